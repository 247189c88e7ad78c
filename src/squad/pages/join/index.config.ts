export default definePageConfig({
  navigationBarTitleText: '加入送货小分队',
})
