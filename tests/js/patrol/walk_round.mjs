// Walk a round with the app's own functions and print its submit_round args (JSON on stdout).
// stdin: {occurrence, id, started, scans: [{tag, method, at, fix?}], visits: [{checkpoint_id,
// answers?, photo?, at}], finished} with times as ISO strings.
import { addScan, newRound, submitRoundArgs, updateVisit } from
  '../../../server/field_app/static/js/patrol/round.js';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const plan = JSON.parse(Buffer.concat(chunks).toString('utf-8'));
let draft = newRound(plan.occurrence, { id: plan.id, now: new Date(plan.started) });
for (const scan of plan.scans) draft = addScan(draft, { ...scan, at: new Date(scan.at) });
for (const visit of plan.visits) {
  draft = updateVisit(draft, visit.checkpoint_id, { ...visit, at: new Date(visit.at) });
}
process.stdout.write(JSON.stringify(submitRoundArgs(draft, new Date(plan.finished))));
