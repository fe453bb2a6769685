// Print the app's EXIF time of each JPEG named on the command line (JSON list on stdout).
import { readFile } from 'node:fs/promises';
import { exifTime } from '../../../server/field_app/static/js/patrol/exif.js';

const times = [];
for (const path of process.argv.slice(2)) times.push(await exifTime(new Blob([await readFile(path)])));
process.stdout.write(JSON.stringify(times));
