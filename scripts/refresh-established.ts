// Writes data/established-npm.tsv: npm names that typosquat-dependency's matcher puts a slip away from a popular package but
// that have a public record of their own: at least RATIO of that package's monthly downloads, or FLOOR a month. Run after
// data/popular-npm.tsv changes, then `node scripts/refresh-popular.mjs --generate-only`:
//
//   npx tsx scripts/refresh-established.ts --npm-list <file>
//
// <file> is a TSV of npm packages with a header naming the columns `name` and `downloads_a_month` (any other columns are
// ignored), e.g. a list assembled from the npm downloads API. Only names near a popular one are kept, so the result stays small.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nearestPopular } from '../src/analysis/popular.js';

const RATIO = 0.01;
const FLOOR = 500_000;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const at = process.argv.indexOf('--npm-list');
const file = at > 0 ? process.argv[at + 1] : undefined;
if (!file) {
  console.error('usage: npx tsx scripts/refresh-established.ts --npm-list <tsv with name and downloads_a_month columns>');
  process.exit(2);
}

const popular = new Map(
  readFileSync(join(root, 'data', 'popular-npm.tsv'), 'utf8')
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((l) => l.split('\t'))
    .map(([name, downloads]) => [name!, Number(downloads)] as const),
);
const [header, ...rows] = readFileSync(file, 'utf8').split('\n');
const columns = header!.split('\t').map((c) => c.trim());
const nameCol = columns.indexOf('name');
const downloadsCol = columns.findIndex((c) => c.startsWith('downloads_a_month'));
if (nameCol < 0 || downloadsCol < 0) throw new Error(`${file}: no name and downloads_a_month columns`);

const kept: [string, number, string, number][] = [];
for (const row of rows) {
  const cells = row.split('\t');
  const name = cells[nameCol]?.trim();
  const downloads = Number(cells[downloadsCol]);
  if (!name || !Number.isFinite(downloads) || /[\s"'`\\$]/.test(name)) continue;
  const m = nearestPopular('npm', name);
  const targetDownloads = m ? popular.get(m.target) : undefined;
  if (!m || targetDownloads === undefined) continue;
  if (downloads >= FLOOR || downloads >= targetDownloads * RATIO) kept.push([name, downloads, m.target, targetDownloads]);
}
kept.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
writeFileSync(
  join(root, 'data', 'established-npm.tsv'),
  `name\tdownloads_a_month\timitates\tits_downloads_a_month\n${kept.map((r) => r.join('\t')).join('\n')}\n`,
);
console.error(`established: kept ${kept.length} names`);
