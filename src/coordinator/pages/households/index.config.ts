export default definePageConfig({
  navigationBarTitleText: '居家户管理',
})
