export default definePageConfig({
  navigationBarTitleText: '居民首页',
})
