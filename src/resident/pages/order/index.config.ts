export default definePageConfig({
  navigationBarTitleText: '新建订单',
})
