export default definePageConfig({
  navigationBarTitleText: '待接任务',
})
