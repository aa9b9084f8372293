// node bench/peers/lockfile-lint.mjs DIR LIST HOST: lockfile-lint's validators (https, allowed host HOST,
// sha512 integrity, package names) over each npm/yarn lockfile in LIST, in one process (its CLI stops at the
// first lockfile with an issue). Prints {files, findings}.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const { runValidators } = createRequire(import.meta.url)('lockfile-lint/src/main.js');
const [dir, list, host] = process.argv.slice(2);
const options = {
  emptyHostname: true,
  allowedHosts: [host],
  allowedUrls: undefined,
  allowedPackageNameAliases: undefined,
  integrityExclude: [],
};
const validators = [
  { name: 'validateHttps', values: true, options },
  { name: 'validateHosts', values: [host], options },
  { name: 'validateIntegrity', values: true, options },
  { name: 'ValidatePackageNames', values: true, options },
];
// The validators print each issue with console.error; count them instead of writing them out.
let findings = 0;
console.error = () => void findings++;
let files = 0;
for (const p of readFileSync(list, 'utf8').split('\n')) {
  if (!p) continue;
  const type = p.endsWith('yarn.lock') ? 'yarn' : 'npm';
  runValidators({ path: join(dir, p), type, validators });
  files++;
}
console.log(JSON.stringify({ files, findings }));
