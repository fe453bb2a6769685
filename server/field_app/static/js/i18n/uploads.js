// Texts of the photo uploads' states (the Sync screen's photo list); the shell merges them.
export const zh = {
  'upload.state.waiting': '等待上传',
  'upload.state.retry': '等待重试（上次：{reason}）',
  'upload.state.uploading': '上传中 {pct}%',
  'upload.state.done': '已上传',
  'upload.state.refused': '服务器拒收：{reason}',
  'upload.kind.result': '检查照片',
  'upload.kind.signature': '签名',
  'upload.kind.patrol': '巡逻照片',
  'upload.kind.ticket_fix': '整改照片',
};

export const en = {
  'upload.state.waiting': 'Waiting',
  'upload.state.retry': 'Waiting to retry (last try: {reason})',
  'upload.state.uploading': 'Uploading {pct}%',
  'upload.state.done': 'Sent',
  'upload.state.refused': 'Refused by the server: {reason}',
  'upload.kind.result': 'Inspection photo',
  'upload.kind.signature': 'Signature',
  'upload.kind.patrol': 'Patrol photo',
  'upload.kind.ticket_fix': 'Fix photo',
};

export default { zh, en };
