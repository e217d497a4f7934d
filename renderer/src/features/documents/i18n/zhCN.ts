/** 简体中文 texts of the documents screen, unit members and close messages (mounted as `docs`). */
import { CLASSIFIED_REFUSAL } from '../../../../../shared/gongwen/meta'

export const docsZhCN = {
  filters: {
    label: '范围',
    all: '全部',
    mine: '我起草的',
    shared: '与我共享',
    docType: '文种',
    anyType: '全部文种',
    plainType: '普通文档',
    clear: '清除筛选',
  },
  search: {
    label: '全文搜索',
    placeholder: '搜索标题和正文，按回车搜索（快捷键 /）',
    results: '找到 {count} 份公文',
    resultsFor: '“{query}”：找到 {count} 份公文',
    none: '没有找到包含“{query}”的公文',
    noneHint: '请换个关键词，或减少筛选条件。多个关键词用空格分隔，须全部匹配。',
    noneFiltered: '没有符合条件的公文',
    offline: '离线状态：仅在本机缓存的标题中查找',
    failed: '搜索失败',
  },
  columnType: '文种',
  emptyMine: '您还没有起草公文',
  emptyShared: '还没有同事与您共享公文',
  newDialog: {
    docType: '文种',
    plain: '普通文档（不套用模板）',
    hint: '选择文种后，将按 GB/T 9704 版式生成该文种的模板（发文机关取您所在单位）。',
  },
  close: {
    updateRefused:
      '您以批注身份提交的修改超出了权限（只能添加批注和修订），已被服务器拒绝，本机未同步的修改已丢弃。请刷新页面后重新打开文档。',
    classifiedRefused: CLASSIFIED_REFUSAL,
  },
  unitMembers: {
    peopleTab: '按人员',
    unitsTab: '按单位',
    intro: '授权给单位后，该单位及其下级单位的所有在岗人员都获得相应权限；个人权限优先于单位权限。',
    pick: '选择单位',
    pickPlaceholder: '搜索单位名称',
    grant: '授权',
    none: '尚未授权给任何单位',
    granted: '已授权 {name}',
    updated: '已将 {name} 的权限改为 {role}',
    removed: '已取消 {name} 的授权',
    removeConfirm: '确定取消 {name} 的授权吗？该单位人员将失去此权限（个人权限不受影响）。',
    selectFirst: '请先选择单位',
    loadFailed: '单位列表加载失败',
  },
}
