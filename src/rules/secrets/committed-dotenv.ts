import { isCredentialName, knownTokenFormat } from '../../analysis/credentials.js';
import { dotenvValues, isDotenvPath } from '../../analysis/dotenv.js';
import type { Rule } from '../../core/types.js';

const MAX_NAMES = 8;
/** The password of `scheme://user:password@host`, registered for masking. */
const URL_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^:@/\s]*:([^@/\s]+)@/i;

const names = (list: readonly string[]): string =>
  list.slice(0, MAX_NAMES).join(', ') + (list.length > MAX_NAMES ? ` and ${list.length - MAX_NAMES} more` : '');

export default {
  id: 'committed-dotenv',
  title: 'Committed .env file with values',
  severity: 'high',
  area: 'secrets',
  summary:
    'A `.env` or `.env.*` file (`.env.local`, `.env.production`…, in any directory) is committed with at least one non-empty value. ' +
    'Templates (`.env.example`, `.env.sample`, `.env.template`, `.env.dist`, `.env.defaults`, `.env.schema`, `.env.vault`) are not reported.',
  rationale:
    'A `.env` file is where local and deployment secrets live: database passwords, API keys, signing secrets. Once committed, everyone who ' +
    'can read the repository can read them, and they stay in its history (forks and clones included) after the file is deleted. ' +
    'Empty values (`KEY=`, `KEY=""`), placeholders (`changeme`, `<token>`) and pure references to other variables (`KEY=${OTHER}`) are not ' +
    'values. A value is a secret when it is in a known token format, when it is a URL with a password, or when a credential-named variable ' +
    '(`*_PASSWORD`, `*_TOKEN`, `API_KEY`…) holds something shaped like a credential; everything else (versions, image names, time zones, ' +
    'hosts, ports, flags, paths, templates) is a setting. When every value is a setting, the finding is low severity: the file is still ' +
    'better kept out of git. When the only credentials are plain words (`POSTGRES_PASSWORD=postgres`, `DB_PASSWORD=app_password`), likely ' +
    'local defaults, it is medium. A known token format is also reported by `hardcoded-secret`, with its provider. Only variable names are ' +
    'shown, never values. ' +
    'A `.env` that is ignored by `.gitignore` is not scanned, as it is not committed.',
  fix:
    'Remove the file from git but keep it locally (`git rm --cached .env`), add `.env` and `.env.*` (with `!.env.example`) to `.gitignore`, ' +
    'and rotate every secret the file held: removing it does not remove it from the history. Commit a `.env.example` that lists the ' +
    'variable names with empty values instead, and give CI its values through Actions secrets.',
  references: [
    'https://cwe.mitre.org/data/definitions/540.html',
    'https://github.com/motdotla/dotenv#should-i-commit-my-env-file',
    'https://12factor.net/config',
    'https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/removing-sensitive-data-from-a-repository',
  ],
  examples: {
    bad: [
      { path: '.env', text: '# local settings\nNODE_ENV=development\nDATABASE_URL=postgres://app:Tr0ub4dor-and-3@db:5432/app\n', line: 3 },
      { path: 'services/api/.env.production', text: 'export STRIPE_SECRET_KEY="k7Qz2Lw9Xp4Rt8Vm"\nSENTRY_DSN=\n', line: 1 },
      { path: '.env.local', text: 'PORT=3000\nDEBUG=true\n', line: 1 },
    ],
    good: [
      { path: '.env.example', text: 'DATABASE_URL=\nSTRIPE_SECRET_KEY=\nPORT=3000\n' },
      { path: '.env', text: '# values come from the shell\nAPI_TOKEN=${API_TOKEN}\nDB_PASSWORD=""\nSECRET_KEY=changeme\n' },
      { path: 'config/.env.template', text: 'API_KEY=<your key>\n' },
    ],
  },
  reads: ['text'],
  check(text, ctx) {
    if (!isDotenvPath(ctx.path)) return;
    const { valued, secrets, weak } = dotenvValues(text);
    const first = valued[0];
    if (!first) return;
    const flagged = secrets.length > 0 ? secrets : weak;
    const listed = [...new Set((flagged.length > 0 ? flagged : valued).map((a) => a.name))];
    const count = new Set(valued.map((a) => a.name)).size;
    const file = ctx.path.slice(ctx.path.lastIndexOf('/') + 1);
    const vars = `${count} variable${count === 1 ? ' that has a value' : 's that have values'}`;
    const some = (one: string, many: string): string =>
      listed.length === count
        ? `${ctx.path} is committed with ${vars}, ${count === 1 ? one : `all ${many}`} (${names(listed)})`
        : `${ctx.path} is committed with ${vars}, ${listed.length} of them ${listed.length === 1 ? one : many} (${names(listed)})`;
    const what =
      flagged.length === 0
        ? `${ctx.path} is committed with ${vars}, all of which look like settings rather than secrets (${names(listed)})`
        : secrets.length > 0
          ? some('a credential', 'credentials')
          : some('a plain-word password, likely a local default', 'plain-word passwords, likely local defaults');
    const then =
      secrets.length > 0 ? 'rotate every secret it held, ' : weak.length > 0 ? 'change those passwords wherever they are used beyond a local stack, ' : '';
    ctx.report({
      message:
        `${what}: everyone who can read the repository and its history can read them. ` +
        `Run \`git rm --cached ${ctx.path}\`, add ${file} to .gitignore, ${then}and commit a .env.example with empty values instead.`,
      at: (flagged[0] ?? first).span,
      ...(secrets.length > 0 ? {} : { severity: weak.length > 0 ? ('medium' as const) : ('low' as const) }),
      fingerprintKey: 'committed .env file',
      secretValue: secrets.flatMap((a) =>
        isCredentialName(a.name) || knownTokenFormat(a.value) !== undefined ? [a.value] : (URL_PASSWORD.exec(a.value)?.slice(1) ?? []),
      ),
    });
  },
} satisfies Rule<string>;
