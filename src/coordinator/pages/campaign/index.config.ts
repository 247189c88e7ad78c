export default definePageConfig({
  navigationBarTitleText: '发放进度',
  enableShareAppMessage: true,
})
