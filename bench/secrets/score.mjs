// Scoring findings against labels (bench/secrets/labels.json, or a monorepo manifest turned into
// labels), shared by compare.mjs and test/secrets-compare.test.ts.
//
// A finding is {file, line, endLine} (1-based, inclusive). It matches a label of the same file
// whose line lies within [line, endLine] (a private key block or a whole-file report covers its
// label). A finding that matches a secret label finds it; one that matches only decoys is a false
// alarm; one that matches no label is "unlabelled" (a false alarm on the labelled tree, where every
// line worth reporting is labelled). Several findings on one label count once. Labels sharing a
// `pair` are one credential (an AWS key id and its secret key): finding either line finds both.
import path from 'node:path';

/** secretlint's JSON formatter output → findings relative to `root`. */
export function fromSecretlint(results, root) {
  const out = [];
  for (const r of results) {
    const file = path.relative(root, r.filePath).split(path.sep).join('/');
    for (const m of r.messages) out.push({ file, line: m.loc.start.line, endLine: m.loc.end.line, id: m.messageId });
  }
  return out;
}

/** The gate's findings (Finding or the gate-entry JSON) → findings. */
export function fromGate(findings) {
  return findings.map((f) => ({ file: f.path, line: f.line, endLine: f.endLine, id: f.ruleId ?? 'hardcoded-secret' }));
}

/** Labels from gen-monorepo's manifest.json: planted hardcoded secrets and decoys, skipping node_modules and binaries. */
export function labelsFromManifest(manifest) {
  const inScanned = (file) => !file.split('/').includes('node_modules');
  const labels = [];
  for (const i of manifest.issues) if (i.kind === 'hardcoded-secret' && inScanned(i.file)) labels.push({ file: i.file, line: i.line, format: i.detail, secret: true });
  for (const d of manifest.decoys) {
    if (d.looks_like === 'hardcoded-secret' && d.line !== null && inScanned(d.file)) labels.push({ file: d.file, line: d.line, format: `decoy: ${d.reason}`, secret: false, why: d.reason });
  }
  return labels;
}

/**
 * Scores one tool's findings: `found` holds the secret labels found (pairs expanded), `decoysHit` the
 * decoy labels reported, `unlabelled` the findings on no label; `falseAlarms` counts the last two.
 */
export function score(labels, findings) {
  const byFile = new Map();
  for (const l of labels) {
    if (!byFile.has(l.file)) byFile.set(l.file, []);
    byFile.get(l.file).push(l);
  }
  const found = new Set();
  const decoysHit = new Set();
  const unlabelled = [];
  for (const f of findings) {
    const inRange = (byFile.get(f.file) ?? []).filter((l) => l.line >= f.line && l.line <= (f.endLine ?? f.line));
    // Prefer the secret label nearest the finding's start (a whole-file report credits one label, not all).
    const secret = inRange.filter((l) => l.secret).sort((a, b) => a.line - b.line)[0];
    if (secret) found.add(secret);
    else if (inRange.length > 0) decoysHit.add(inRange[0]);
    else unlabelled.push(f);
  }
  for (const l of [...found]) if (l.pair) for (const m of labels) if (m.pair === l.pair) found.add(m);
  return { found, decoysHit, unlabelled, falseAlarms: decoysHit.size + unlabelled.length };
}

/** Per-format rows: planted, found by each tool; decoys, hit by each tool. */
export function formatRows(labels, scores) {
  const names = Object.keys(scores);
  const rows = new Map();
  for (const l of labels) {
    const key = `${l.secret ? 'secret' : 'decoy'}\u0000${l.format}`;
    if (!rows.has(key)) rows.set(key, { format: l.format, secret: l.secret, count: 0, ...Object.fromEntries(names.map((n) => [n, 0])) });
    const row = rows.get(key);
    row.count++;
    for (const n of names) if ((l.secret ? scores[n].found : scores[n].decoysHit).has(l)) row[n]++;
  }
  return [...rows.values()].sort((a, b) => Number(b.secret) - Number(a.secret) || a.format.localeCompare(b.format));
}

/** A markdown table of formatRows plus totals (found / false alarms). */
export function markdownTable(labels, scores) {
  const names = Object.keys(scores);
  const rows = formatRows(labels, scores);
  const out = [`| kind | format | labels | ${names.map((n) => `${n}`).join(' | ')} |`, `| --- | --- | --- | ${names.map(() => '---').join(' | ')} |`];
  for (const r of rows) {
    const cells = names.map((n) => (r.secret ? (r[n] === r.count ? `${r[n]} ✓` : `${r[n]} ✗`) : r[n] === 0 ? '0' : `${r[n]} false alarm${r[n] > 1 ? 's' : ''}`));
    out.push(`| ${r.secret ? 'secret' : 'decoy'} | ${r.format} | ${r.count} | ${cells.join(' | ')} |`);
  }
  const secrets = labels.filter((l) => l.secret).length;
  const decoys = labels.length - secrets;
  out.push(`| **total** | secrets found | ${secrets} | ${names.map((n) => `**${scores[n].found.size}**`).join(' | ')} |`);
  out.push(`| **total** | decoys reported | ${decoys} | ${names.map((n) => `**${scores[n].decoysHit.size}**`).join(' | ')} |`);
  out.push(`| **total** | unlabelled findings | - | ${names.map((n) => `**${scores[n].unlabelled.length}**`).join(' | ')} |`);
  return out.join('\n');
}

/** Secret labels that `a` found and `b` did not. */
export function foundOnlyBy(a, b) {
  return [...a.found].filter((l) => !b.found.has(l));
}
