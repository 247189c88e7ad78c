import type { PropsWithChildren } from 'react'
import { wireSignedOutRedirect } from './client/navigate'
import './app.scss'

// H5: a call answered "not signed in" / "session expired" sends the user back to sign-in.
wireSignedOutRedirect()

// Taro app root: `children` is the current page.
function App({ children }: PropsWithChildren) {
  return children
}

export default App
