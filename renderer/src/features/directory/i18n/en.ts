/** English texts of the directory; keys mirror zh-CN.ts. */
export const directoryEn = {
  directory: {
    title: 'Directory',
    description:
      'Browse by unit (in rank order), or find colleagues by name, pinyin, initials or phone number (“zw” finds 张伟).',
    placeholder: 'Name, pinyin, initials or phone number',
    units: 'Units',
    filterUnits: 'Filter units',
    noUnits: 'No units yet',
    selectUnit: 'Select a unit on the left to see its people',
    name: 'Name',
    username: 'Username',
    post: 'Post',
    posts: 'Unit and post',
    phone: 'Phone',
    hidden: 'Not public',
    showPhone: 'Show',
    showPhoneOf: 'Show the phone of {name}',
    memberCount: '{n} people',
    noMembers: 'Nobody in this unit yet',
    notCached: 'Offline: this device has no copy of this unit’s directory',
    cachedCopy: 'Copy on this device',
    searchResults: 'Results',
    offlineSearch: 'Offline: searching the {n} units cached on this device',
    empty: 'Type to search',
    noResults: 'Nobody matches',
  },
}
