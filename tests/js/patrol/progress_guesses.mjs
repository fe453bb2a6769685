// The screen's on-time guesses for many walks (JSON on stdin: [{route, checkpoints,
// occurrence, draft}]), printed as [[guess or null per stop]] for the server's cross-check.
import { progress } from '../../../server/field_app/static/js/patrol/round.js';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const walks = JSON.parse(Buffer.concat(chunks).toString('utf-8'));
process.stdout.write(JSON.stringify(walks.map(({ route, checkpoints, occurrence, draft }) =>
  progress(route, checkpoints, occurrence, draft).stops.map((s) => s.guess))));
