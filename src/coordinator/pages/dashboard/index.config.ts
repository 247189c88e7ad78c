export default definePageConfig({
  navigationBarTitleText: '调度总览',
})
