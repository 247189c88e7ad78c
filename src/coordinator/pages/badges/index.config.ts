export default definePageConfig({
  navigationBarTitleText: '二维码胸牌',
})
