import type { PropsWithChildren } from 'react'
import { initCloud } from './client/cloud-init'
import { wireSignedOutRedirect } from './client/navigate'
import './app.scss'

// weapp: wx.cloud.init before any cloud call (no-op on H5, which talks to the local host).
initCloud()

// H5: a call answered "not signed in" / "session expired" sends the user back to sign-in.
wireSignedOutRedirect()

// Taro app root: `children` is the current page.
function App({ children }: PropsWithChildren) {
  return children
}

export default App
