// Chinese and English texts. The shell's own are below; every slice adds its keys in
// js/i18n/<slice>.js (export default or export const {zh: {}, en: {}}). The server lists the
// files that exist in index.html (#i18n-modules); a missing or broken one is skipped.
const SHELL = {
  zh: {
    'app.title': '现场检查', 'nav.today': '今日', 'nav.tickets': '整改单', 'nav.status': '同步',
    'status.online': '在线', 'status.offline': '离线', 'status.last_sync': '上次同步 {at}',
    'status.never': '尚未同步', 'status.results_waiting': '待发送 {n}',
    'status.photos_waiting': '待传照片 {n}', 'status.error': '错误：{reason}',
    'status.sync_now': '立即同步', 'status.wechat': '请在浏览器中打开（右上角 … › 在浏览器打开）：微信内无法离线使用', 'status.unreachable': '连不上服务器，联网后自动发送', 'status.syncing': '同步中…',
    'status.rejected': '服务器拒收 {n}', 'status.storage_refused': '浏览器未授予持久存储：未发送的数据可能在存储紧张时被清除。请将应用添加到主屏幕。',
    'status.storage_ok': '持久存储已授予', 'status.storage_short': '存储可能被清除', 'status.user': '用户 {name}', 'status.logout': '退出登录',
    'status.lang': '语言', 'status.lang_auto': '跟随系统',
    'status.outbox': '待发送的更改', 'status.photos': '待传照片', 'status.photo_bytes': '已传 {kb}/{of} KB', 'status.rejected_list': '被拒收的更改', 'status.none': '无',
    'update.ready': '有新版本', 'update.reload': '重新加载', 'update.later': '稍后',
    'update.form_open': '请先保存或关闭正在填写的表单',
    'login.title': '登录', 'login.username': '用户名', 'login.password': '密码',
    'login.submit': '登录', 'login.failed': '登录失败：{reason}', 'login.busy': '正在登录…',
    'login.pending_other': '{user} 有 {n} 条未发送的更改：请以 {user} 登录并先同步',
    'today.title': '今日工作', 'today.start_inspection': '开始检查或交接', 'today.empty': '今天没有分配给你的工作（请先同步）',
    'today.inspections': '检查', 'today.rounds': '巡更', 'today.tickets': '整改单',
    'today.complaints': '投诉', 'today.due': '截止 {at}', 'today.starts': '开始 {at}',
    'complaint.category.repair': '维修', 'complaint.category.environment': '环境',
    'complaint.category.security': '治安', 'complaint.category.parking': '停车',
    'complaint.category.noise': '噪音', 'complaint.category.fees': '收费',
    'complaint.category.service': '服务', 'complaint.category.facilities': '设施',
    'complaint.category.other': '其他',
    'mutation.submit_result': '提交检查', 'mutation.amend_result': '修改检查',
    'mutation.create_ticket': '新建整改单', 'mutation.edit_ticket': '修改整改单',
    'mutation.comment_ticket': '整改单备注', 'mutation.move_ticket': '整改单状态',
    'mutation.review_result': '审核检查', 'mutation.attach_ticket_photos': '整改单照片',
    'mutation.submit_round': '提交巡逻',
    'state.upcoming': '未开始', 'state.due': '待完成', 'state.overdue': '已逾期',
    'state.open': '待处理', 'state.in_progress': '处理中', 'state.fixed': '已整改',
    'state.verified': '已复验', 'state.closed': '已关闭', 'state.reopened': '重新打开',
    'state.disputed': '有异议', 'state.scheduled': '待巡', 'state.queued': '（待发送）',
    'tickets.title': '整改单', 'tickets.mine': '分配给我的', 'tickets.all': '全部',
    'tickets.empty': '没有整改单', 'ticket.not_found': '本机没有这张整改单（请先同步）',
    'ticket.priority': '优先级', 'ticket.due': '期限', 'ticket.location': '位置',
    'ticket.description': '问题', 'ticket.mark_fixed': '标记为已整改', 'ticket.note': '整改说明',
    'ticket.photo': '整改后照片', 'ticket.queued': '已保存，将在联网后发送',
    'ticket.need_note': '请填写整改说明', 'ticket.need_photo': '请拍一张整改后的照片',
    'ticket.cannot_fix': '当前状态（{state}）不能标记为已整改', 'ticket.back': '返回',
    'error.offline': '离线：连不上服务器（{cause}），联网后自动发送', 'error.not_logged_in': '尚未登录',
    'error.token': '服务器不再接受本机的登录凭证，请重新登录（未发送的数据会保留）',
    'error.upgrade': '应用版本过旧，请更新应用（未发送的数据会保留）',
    'error.client_ids': '服务器拒绝了本机的所有客户端编号，请重新登录',
    'error.push_refused': '服务器拒收了发送（HTTP {status}）：{reason}', 'error.pull_refused': '服务器拒绝下载数据：{reason}',
    'error.protocol': '服务器的同步应答不一致，请稍后再试（{detail}）',
    'error.insecure': '拍照需要安全连接（https）：请用 https 地址打开应用',
    'error.screen': '此页面无法打开：{reason}', 'error.not_found': '没有这个页面',
  },
  en: {
    'app.title': 'Field inspections', 'nav.today': 'Today', 'nav.tickets': 'Tickets',
    'nav.status': 'Sync', 'status.online': 'Online', 'status.offline': 'Offline',
    'status.last_sync': 'Last sync {at}', 'status.never': 'Never synced',
    'status.results_waiting': '{n} waiting', 'status.photos_waiting': '{n} photos waiting',
    'status.error': 'Error: {reason}', 'status.sync_now': 'Sync now',
    'status.unreachable': 'Server unreachable; changes are sent when online',
    'status.wechat': 'Open this in the browser (… › Open in browser): WeChat cannot keep it offline',
    'status.syncing': 'Syncing…', 'status.rejected': '{n} refused by the server',
    'status.storage_refused': 'The browser refused persistent storage: unsent data may be cleared when storage runs low. Add the app to the home screen.',
    'status.storage_ok': 'Persistent storage granted', 'status.storage_short': 'Storage may be cleared', 'status.user': 'User {name}',
    'status.logout': 'Log out', 'status.lang': 'Language', 'status.lang_auto': 'As the phone',
    'status.outbox': 'Changes waiting', 'status.photos': 'Photos to send', 'status.photo_bytes': '{kb}/{of} KB sent', 'status.rejected_list': 'Changes the server refused',
    'status.none': 'None',
    'update.ready': 'Update ready', 'update.reload': 'Reload', 'update.later': 'Later',
    'update.form_open': 'Save or close the open form first',
    'login.title': 'Log in', 'login.username': 'Username', 'login.password': 'Password',
    'login.submit': 'Log in', 'login.failed': 'Login failed: {reason}',
    'login.busy': 'Logging in…',
    'login.pending_other': '{n} unsent changes by {user} are waiting: log in as {user} and sync first',
    'today.title': 'Today', 'today.start_inspection': 'Start an inspection or handover', 'today.empty': 'Nothing assigned to you today (sync first)',
    'today.inspections': 'Inspections', 'today.rounds': 'Patrol rounds',
    'today.tickets': 'Tickets', 'today.complaints': 'Complaints', 'today.due': 'due {at}',
    'today.starts': 'starts {at}', 'state.upcoming': 'upcoming', 'state.due': 'due',
    'complaint.category.repair': 'repair', 'complaint.category.environment': 'environment',
    'complaint.category.security': 'security', 'complaint.category.parking': 'parking',
    'complaint.category.noise': 'noise', 'complaint.category.fees': 'fees',
    'complaint.category.service': 'service', 'complaint.category.facilities': 'facilities',
    'complaint.category.other': 'other',
    'mutation.submit_result': 'inspection sent', 'mutation.amend_result': 'inspection amended',
    'mutation.create_ticket': 'new ticket', 'mutation.edit_ticket': 'ticket edited',
    'mutation.comment_ticket': 'ticket comment', 'mutation.move_ticket': 'ticket state',
    'mutation.review_result': 'inspection review', 'mutation.attach_ticket_photos': 'ticket photos',
    'mutation.submit_round': 'patrol round sent',
    'state.overdue': 'overdue', 'state.open': 'open', 'state.in_progress': 'in progress',
    'state.fixed': 'fixed', 'state.verified': 'verified', 'state.closed': 'closed',
    'state.reopened': 'reopened', 'state.disputed': 'disputed', 'state.scheduled': 'scheduled',
    'state.queued': '(queued)', 'tickets.title': 'Tickets', 'tickets.mine': 'Mine',
    'tickets.all': 'All', 'tickets.empty': 'No tickets',
    'ticket.not_found': 'This ticket is not on the device (sync first)',
    'ticket.priority': 'Priority', 'ticket.due': 'Due', 'ticket.location': 'Location',
    'ticket.description': 'Problem', 'ticket.mark_fixed': 'Mark fixed',
    'ticket.note': 'What was done', 'ticket.photo': 'Photo after the fix',
    'ticket.queued': 'Saved; it is sent when online', 'ticket.need_note': 'Write what was done',
    'ticket.need_photo': 'Take a photo of the fix',
    'ticket.cannot_fix': 'A ticket that is {state} cannot be marked fixed',
    'error.offline': 'Offline: cannot reach the server ({cause}); changes are sent when online',
    'error.not_logged_in': 'Not logged in',
    'error.token': "The server no longer accepts this device's login; log in again (unsent work is kept)",
    'error.upgrade': 'This app version is too old for the server: update it (unsent work is kept)',
    'error.client_ids': 'The server refuses every client id of this device; log in again',
    'error.push_refused': 'The server refused the push (HTTP {status}): {reason}', 'error.pull_refused': 'The server refused the pull: {reason}',
    'error.protocol': 'The server answered the sync inconsistently; try again later ({detail})',
    'error.insecure': 'Photos need a secure connection (https): open the app at its https address',
    'ticket.back': 'Back', 'error.screen': 'This screen cannot open: {reason}',
    'error.not_found': 'No such screen',
  },
};

export const LANGS = ['zh', 'en'];
const dictionaries = { zh: { ...SHELL.zh }, en: { ...SHELL.en } };

/** The language: the user's setting, else the browser's, else Chinese. */
export function pickLang(setting, browserLangs = navigator.languages || [navigator.language]) {
  if (LANGS.includes(setting)) return setting;
  for (const tag of browserLangs) {
    const base = String(tag || '').toLowerCase().split('-')[0];
    if (LANGS.includes(base)) return base;
  }
  return 'zh';
}

/** Merge one slice's {zh: {...}, en: {...}} into the dictionaries. */
export function addTexts(texts) {
  for (const lang of LANGS) Object.assign(dictionaries[lang], (texts && texts[lang]) || {});
}

/** Import every listed slice file; a missing or broken one is skipped (and logged). */
export async function loadSliceTexts(urls) {
  await Promise.all(urls.map(async (url) => {
    try {
      const mod = await import(url);
      addTexts(mod.default || mod.texts || mod);
    } catch (err) {
      console.warn('texts not loaded', url, err);
    }
  }));
}

/** A translator for `lang`: t(key, {var: value}); falls back to English, then the key. */
export function translator(lang) {
  return (key, vars = {}) => {
    const text = dictionaries[lang][key] ?? dictionaries.en[key] ?? key;
    return text.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
  };
}
