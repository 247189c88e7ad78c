export default definePageConfig({
  enableShareAppMessage: true,
  navigationBarTitleText: '任务大厅',
})
