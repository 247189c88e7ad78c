export default definePageConfig({
  navigationBarTitleText: '宅家送',
})
