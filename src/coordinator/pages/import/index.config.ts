export default definePageConfig({
  navigationBarTitleText: '导入住户',
})
