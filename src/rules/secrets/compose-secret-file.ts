import { credentialEvidence, isPlaceholder, knownTokenFormat } from '../../analysis/credentials.js';
import { hasStandInMarker, isMarkerPhrase } from '../../analysis/secrets/shape.js';
import { redact } from '../../core/redact.js';
import type { Rule } from '../../core/types.js';

const COMPOSE = 'services:\n  db:\n    image: postgres:17.2\n    secrets: [db-password]\nsecrets:\n  db-password:\n    file: ./db/password.txt\n';
/** Longer files are certificates, keys or configs with more than a value in them: the secret detectors read those as text. */
const MAX_VALUE = 4096;

export default {
  id: 'compose-secret-file',
  title: 'Compose secret file committed with its value',
  severity: 'high',
  area: 'secrets',
  summary:
    'A file that a compose file\'s top-level `secrets:` (or `configs:`) names with `file:` is committed in the repository with a value in it: ' +
    'the secret is in git, for everyone who can read the repository and in its history.',
  rationale:
    'Compose secrets exist so that a password never sits in the compose file or the image; a secret file committed next to it puts the ' +
    'password back in the repository. The finding is in the secret file itself, at its value, with the compose `file:` reference as a related ' +
    'location; the value is never shown. A value in a known token format or shaped like a generated credential (long, mixed, random) is high; a ' +
    'short or plain value (`db-q5n2g`, `postgres`), most likely the throwaway default of a local stack, is medium; placeholders (`changeme`, ' +
    '`<password>`) and stand-ins marked EXAMPLE/FAKE are not reported. A file mounted as a `configs:` entry is a secret only when its one value ' +
    'is shaped like a credential. A value in a known token format is reported once, by `hardcoded-secret`, which reads every text file. A secret ' +
    'file ignored by `.gitignore`, or not committed, is not read.',
  fix:
    'Remove the file from git (`git rm --cached db/password.txt`), ignore it, and rotate the secret: deleting it does not remove it from the ' +
    'history. Create the file at deploy time (from your secret store or CI secrets), or use `environment:` secrets with `${VAR}` from an untracked `.env`.',
  references: [
    'https://docs.docker.com/compose/how-tos/use-secrets/',
    'https://cwe.mitre.org/data/definitions/540.html',
    'https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/removing-sensitive-data-from-a-repository',
  ],
  examples: {
    bad: [{ path: 'db/password.txt', text: 'Xq7#vLp2!mRt9zKw\n', files: { 'compose.yaml': COMPOSE }, line: 1 }],
    good: [
      { path: 'db/password.txt', text: 'Xq7#vLp2!mRt9zKw\n' },
      { path: 'db/password.txt', text: 'changeme\n', files: { 'compose.yaml': COMPOSE } },
    ],
  },
  reads: ['text'],
  yieldsTo: ['hardcoded-secret'],
  check(text, ctx) {
    const refs = ctx.project.referrers?.(ctx.path).filter((r) => r.kind === 'secret' || r.kind === 'config') ?? [];
    if (refs.length === 0 || text.length > MAX_VALUE) return;
    const value = text.trim();
    if (value === '' || value.includes('\n') || isPlaceholder(value) || isMarkerPhrase(value)) return;
    const format = knownTokenFormat(value);
    const strong = format !== undefined || credentialEvidence(value) !== undefined;
    const secrets = refs.filter((r) => r.kind === 'secret');
    // a config holds settings: only a value shaped like a credential makes it a secret
    if (secrets.length === 0 && !strong) return;
    const named = (secrets.length > 0 ? secrets : refs).map((r) => `${r.kind} ${r.name} of ${r.from}`).join(', ');
    const offset = text.indexOf(value);
    const lines = text.slice(0, offset).split('\n');
    const line = lines.length;
    const column = lines[line - 1]!.length + 1;
    ctx.report({
      message: strong
        ? `this file, the ${named}, is committed with ${format ? `what looks like a ${format}` : 'a credential'} in it (${redact(value)}): remove it from git, ignore it and rotate the secret.`
        : `this file, the ${named}, is committed with a short or plain value (${redact(value)}), likely a local stack's default: fine for a throwaway local stack, not for one that is deployed; there, create the file at deploy time.`,
      at: { line, column, endLine: line, endColumn: column + value.length },
      ...(strong ? {} : { severity: 'medium' as const, confidence: 'medium' as const }),
      ...(hasStandInMarker(value) ? { confidence: 'low' as const } : {}),
      related: refs.map((r) => ({ path: r.from, at: r.at, label: `mounted as compose ${r.kind} ${r.name}` })),
      fingerprintKey: `compose ${refs[0]!.kind} file ${refs[0]!.name}`,
      secretValue: value,
    });
  },
} satisfies Rule<string>;
