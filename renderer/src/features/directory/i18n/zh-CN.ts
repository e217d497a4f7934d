/** 简体中文 texts of 通讯录. */
export const directoryZhCN = {
  directory: {
    title: '通讯录',
    description:
      '按单位浏览（按职务排序），或按姓名、拼音、首字母、电话号码查找同事（如“zw”可找到张伟）。',
    placeholder: '输入姓名、拼音、首字母或电话号码',
    units: '单位',
    filterUnits: '筛选单位',
    noUnits: '暂无单位信息',
    selectUnit: '在左侧选择单位查看人员',
    name: '姓名',
    username: '用户名',
    post: '职务',
    posts: '单位及职务',
    phone: '电话',
    hidden: '未公开',
    showPhone: '查看',
    showPhoneOf: '查看 {name} 的电话',
    memberCount: '{n} 人',
    noMembers: '该单位暂无人员',
    notCached: '离线状态下无法查看：本机没有该单位的通讯录副本',
    cachedCopy: '本机副本',
    searchResults: '搜索结果',
    offlineSearch: '离线：在本机缓存的 {n} 个单位中查找',
    empty: '输入关键词开始查找',
    noResults: '没有找到匹配的人员',
  },
} as const
