import type { PropsWithChildren } from 'react'
import './app.scss'

// Taro app root: `children` is the current page.
function App({ children }: PropsWithChildren) {
  return children
}

export default App
