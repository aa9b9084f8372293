// node bench/peers/dockerfilelint.mjs DIR LIST: dockerfilelint's library over each Dockerfile in LIST, in one
// process (its CLI takes the same files but prints a report per file). Prints {files, findings}.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const dockerfilelint = createRequire(import.meta.url)('dockerfilelint');
const [dir, list] = process.argv.slice(2);
let files = 0;
let findings = 0;
for (const p of readFileSync(list, 'utf8').split('\n')) {
  if (!p) continue;
  // The config path is a folder to look for .dockerfilelintrc in: none there, so the default rules.
  findings += dockerfilelint.run(dir, readFileSync(join(dir, p), 'utf8')).length;
  files++;
}
console.log(JSON.stringify({ files, findings }));
