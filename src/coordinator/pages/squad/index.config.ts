export default definePageConfig({
  navigationBarTitleText: '送货小分队',
})
