// The anchor's device for bench/sync.py: PouchDB 7.3.1 in Node with the memory
// adapter, replicating with a pouchdb-server over HTTP -- the real CouchDB
// protocol (_revs_diff, _bulk_docs new_edits=false, _changes, checkpoints).
//
//   node device.js <command> '<json options>'   -> one JSON line on stdout
//
// push  {url, db, docs, batch}     load the JSONL docs into a cold local db
//                                  (untimed), then time local -> server
// pull  {url, db, batch, noops}    time server -> empty local db; with `noops`,
//                                  print that, wait for a stdin line, then time
//                                  `noops` no-op syncs (push + pull, nothing new)
// photo {url, db, id, size, tries} one doc with a `size`-byte attachment,
//                                  replicated local -> server, retried after a cut
//
// Only modules that pouchdb-server 4.2.0 brings are used (see package.json).
'use strict';

const fs = require('fs');
const crypto = require('crypto');
const PouchDB = require('pouchdb-core')
  .plugin(require('pouchdb-adapter-memory'))
  .plugin(require('pouchdb-adapter-http'))
  .plugin(require('pouchdb-replication'));

const now = () => Number(process.hrtime.bigint()) / 1e9;
const localDb = () => new PouchDB('device-' + crypto.randomBytes(6).toString('hex'),
                                  { adapter: 'memory' });

async function push(o) {
  const local = localDb();
  const docs = fs.readFileSync(o.docs, 'utf8').split('\n').filter(Boolean).map(JSON.parse);
  for (let i = 0; i < docs.length; i += 1000) await local.bulkDocs(docs.slice(i, i + 1000));
  const start = now();
  const info = await PouchDB.replicate(local, `${o.url}/${o.db}`, { batch_size: o.batch });
  return { seconds: now() - start, docs_written: info.docs_written, ok: info.ok };
}

async function pull(o) {
  const local = localDb();
  const remote = new PouchDB(`${o.url}/${o.db}`);
  const start = now();
  const info = await PouchDB.replicate(remote, local, { batch_size: o.batch });
  const seconds = now() - start;
  if (o.noops) {  // report the pull, then wait for a line on stdin (the bench reads the server's CPU)
    process.stdout.write(JSON.stringify({ seconds, docs_written: info.docs_written }) + '\n');
    await new Promise((resolve) => process.stdin.once('data', resolve));
    process.stdin.pause();
  }
  const noops = [];
  for (let i = 0; i < (o.noops || 0); i++) {
    const t = now();
    const up = await PouchDB.replicate(local, remote, { batch_size: o.batch });
    const down = await PouchDB.replicate(remote, local, { batch_size: o.batch });
    noops.push(now() - t);
    if (up.docs_written || down.docs_written) throw new Error('no-op sync moved documents');
  }
  return { seconds, docs_written: info.docs_written, noops };
}

async function photo(o) {
  const local = localDb();
  await local.put({ _id: o.id, kind: 'photo', _attachments: {
    'photo.jpg': { content_type: 'image/jpeg', data: crypto.randomBytes(o.size) } } });
  const start = now();
  let errors = 0;
  for (;;) {
    try {
      await PouchDB.replicate(local, `${o.url}/${o.db}`, { batch_size: 1 });
      break;
    } catch (err) {
      if (++errors >= o.tries) throw err;
    }
  }
  return { seconds: now() - start, cuts_seen: errors };
}

const commands = { push, pull, photo };
commands[process.argv[2]](JSON.parse(process.argv[3]))
  .then((out) => { process.stdout.write(JSON.stringify(out) + '\n'); })
  .catch((err) => { process.stderr.write(String(err && err.stack || err) + '\n'); process.exit(1); });
