export default defineAppConfig({
  // Main package: launch / dev sign-in and the shared "我的" page. Everything role-specific lives in a
  // subpackage so the main package stays small (WeChat limit: 2 MB per package).
  pages: ['pages/index/index', 'pages/me/index', 'pages/inbox/index'],
  subPackages: [
    {
      root: 'resident',
      pages: ['pages/home/index', 'pages/order/index', 'pages/orders/index', 'pages/detail/index', 'pages/join/index'],
    },
    {
      root: 'squad',
      pages: ['pages/board/index', 'pages/tasks/index', 'pages/task/index', 'pages/join/index', 'pages/proxy/index', 'pages/campaign/index'],
    },
    {
      root: 'coordinator',
      pages: [
        'pages/dashboard/index',
        'pages/households/index',
        'pages/squad/index',
        'pages/robots/index',
        'pages/catalog/index',
        // 创建社区 is opened by a person with no role yet (they become its coordinator); 住户码 to print.
        'pages/setup/index',
        'pages/codes/index',
        'pages/badges/index',
        'pages/ledger/index',
        'pages/import/index',
        'pages/map/index',
        'pages/grids/index',
        'pages/campaigns/index',
        'pages/campaign/index',
        'pages/audit/index',
      ],
    },
  ],
  // 组件按需注入: only the components a page's template uses are injected at launch (WeChat's code-quality
  // audit requires it). Taro's pages declare just `comp` (its recursive renderer), used by base.wxml.
  lazyCodeLoading: 'requiredComponents',
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '宅家送',
    navigationBarTextStyle: 'black',
    backgroundColor: '#f5f6f7',
  },
})
