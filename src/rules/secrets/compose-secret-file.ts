import { credentialEvidence, isPlaceholder, knownTokenFormat } from '../../analysis/credentials.js';
import { hasStandInMarker, isMarkerPhrase } from '../../analysis/secrets/shape.js';
import { redact } from '../../core/redact.js';
import type { Rule } from '../../core/types.js';
import type { WorkloadDoc } from '../../parsers/workload.js';

const COMPOSE = 'services:\n  db:\n    image: postgres:17.2\n    secrets: [db-password]\nsecrets:\n  db-password:\n    file: ./db/password.txt\n';
/** Longer files are certificates, keys or configs with more than a value in them: the secret detectors read those as text. */
const MAX_VALUE = 4096;

export default {
  id: 'compose-secret-file',
  title: 'Compose secret file committed with its value',
  severity: 'high',
  area: 'secrets',
  summary:
    'A compose file\'s top-level `secrets:` names a `file:` that is committed in the repository with a value in it: the secret is in git, ' +
    'for everyone who can read the repository and in its history.',
  rationale:
    'Compose secrets exist so that a password never sits in the compose file or the image; a secret file committed next to it puts the ' +
    'password back in the repository. The finding is at the `file:` reference, with the file itself as a related location; the value is never ' +
    'shown. A value in a known token format or shaped like a generated credential (long, mixed, random) is high; a short or plain value ' +
    '(`db-q5n2g`, `postgres`), most likely the throwaway default of a local stack, is medium; placeholders (`changeme`, `<password>`) and ' +
    'stand-ins marked EXAMPLE/FAKE are not reported. A secret file ignored by `.gitignore`, or not committed, is not read.',
  fix:
    'Remove the file from git (`git rm --cached db/password.txt`), ignore it, and rotate the secret: deleting it does not remove it from the ' +
    'history. Create the file at deploy time (from your secret store or CI secrets), or use `environment:` secrets with `${VAR}` from an untracked `.env`.',
  references: [
    'https://docs.docker.com/compose/how-tos/use-secrets/',
    'https://cwe.mitre.org/data/definitions/540.html',
    'https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/removing-sensitive-data-from-a-repository',
  ],
  examples: {
    bad: [{ path: 'compose.yaml', text: COMPOSE, files: { 'db/password.txt': 'Xq7#vLp2!mRt9zKw\n' }, line: 7 }],
    good: [
      { path: 'compose.yaml', text: COMPOSE },
      { path: 'compose.yaml', text: COMPOSE, files: { 'db/password.txt': 'changeme\n' } },
    ],
  },
  reads: ['workload'],
  check(doc, ctx) {
    for (const s of (doc.secretFiles ?? []).filter((f) => f.section === 'secrets')) {
      if (!ctx.project.has(s.path)) continue;
      const text = ctx.project.read(s.path);
      if (text === undefined || text.length > MAX_VALUE) continue;
      const value = text.trim();
      if (value === '' || value.includes('\n') || isPlaceholder(value) || isMarkerPhrase(value)) continue;
      const format = knownTokenFormat(value);
      const strong = format !== undefined || credentialEvidence(value) !== undefined;
      ctx.report({
        message: strong
          ? `secret ${s.name} is read from ${s.path}, which is committed with ${format ? `what looks like a ${format}` : 'a credential'} in it (${redact(value)}): remove it from git, ignore it and rotate the secret.`
          : `secret ${s.name} is read from ${s.path}, which is committed with a short or plain value (${redact(value)}), likely a local stack's default: fine for a throwaway local stack, not for one that is deployed; there, create the file at deploy time.`,
        at: s.file.span,
        ...(strong ? {} : { severity: 'medium' as const, confidence: 'medium' as const }),
        ...(hasStandInMarker(value) ? { confidence: 'low' as const } : {}),
        related: [{ path: s.path, at: { line: 1, column: 1, endLine: 1, endColumn: 1 + (text.split(/\r?\n/)[0]?.length ?? 0) }, label: 'the committed secret file' }],
        fingerprintKey: `compose secret ${s.name} ${s.path}`,
        secretValue: value,
      });
    }
  },
} satisfies Rule<WorkloadDoc>;
