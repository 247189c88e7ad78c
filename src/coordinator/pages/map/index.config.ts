export default definePageConfig({
  navigationBarTitleText: '楼栋图',
})
