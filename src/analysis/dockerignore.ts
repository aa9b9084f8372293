import { minimatch } from 'minimatch';

/**
 * Secret file names a `COPY`/`ADD` should never take from the build context, and the `.dockerignore`
 * semantics needed to tell whether a whole-context copy (`COPY . .`) leaves them out.
 */
const SECRET_NAMES = [
  '.env',
  '.env.*',
  'id_rsa*',
  'id_dsa*',
  'id_ed25519*',
  'id_ecdsa*',
  '*.pem',
  '*.key',
  '*.p12',
  '*.pfx',
  '.npmrc',
  '.pypirc',
  '.netrc',
  '_netrc',
  'credentials.json',
  '.git-credentials',
  'kubeconfig*',
  // Directories whose content is credentials.
  '.ssh',
  '.aws',
  '.gnupg',
  '.kube',
];
const SECRET_PATHS = ['**/.aws/credentials', '**/.docker/config.json', '**/.kube/config'];
/** Templates and public halves that are not secrets. */
const NOT_SECRET = /^\.env\.(example|sample|template|dist|defaults)$|\.pub$|^(public|pub)[._-]|[._-](public|pub)\.(pem|key)$|[._-](gpg|pgp|asc)\.key$/i;
/** `.pem` names that are certificates or CA bundles (public), not keys. */
const CERTIFICATE = /(^|[._-])(ca|cacert|cacerts|cert|certs|certificate|chain|fullchain|bundle|root|trust)([._-]|$)/i;
/** Names that a glob meant for ordinary files also matches: a glob that matches these is not about secrets. */
const ORDINARY = ['package.json', 'index.js', 'app.py', 'main.go', 'README.md', 'config.yaml', 'requirements.txt', 'src'];
/** Names standing for each secret pattern, to test globs against. */
const SAMPLES = ['.env', '.env.local', 'id_rsa', 'id_ed25519', 'id_ecdsa', 'server.pem', 'server.key', 'cert.p12', 'cert.pfx', '.npmrc', '.pypirc', '.netrc', 'credentials.json', '.git-credentials', 'kubeconfig', '.ssh', '.aws'];

const opts = { dot: true, nocase: false } as const;

/** True when a literal name is a secret file name (`.env`, `id_rsa`, `tls.key`…), given where it is copied to. */
export function isSecretName(path: string, dest = ''): boolean {
  const clean = path.replace(/^\.\//, '').replace(/\/+$/, '');
  const name = clean.slice(clean.lastIndexOf('/') + 1);
  if (NOT_SECRET.test(name)) return false;
  if (/\.pem$/i.test(name) && (CERTIFICATE.test(name.replace(/\.pem$/i, '')) || /ca-certificates|\/ssl\/certs|\/pki\/(ca-)?trust/.test(dest))) return false;
  return SECRET_NAMES.some((p) => minimatch(name, p, opts)) || SECRET_PATHS.some((p) => minimatch(clean, p, opts));
}

/** The secret a COPY source names or, for a glob, is written to pick up (`*.pem`, `config/.env*`); undefined otherwise. */
export function secretSource(source: string, dest = ''): string | undefined {
  const clean = source.replace(/^\.\//, '').replace(/\/+$/, '');
  if (!/[*?[]/.test(clean)) return isSecretName(clean, dest) ? clean : undefined;
  const name = clean.slice(clean.lastIndexOf('/') + 1);
  if (ORDINARY.some((o) => minimatch(o, name, opts))) return undefined;
  const hit = SAMPLES.find((s) => minimatch(s, name, opts) && isSecretName(s, dest));
  return hit === undefined ? undefined : clean;
}

/** A COPY source that is the whole build context (or all of its top level). */
export function isWholeContext(source: string): boolean {
  return /^(\.|\.\/|\.\/\*|\*|\/)$/.test(source.trim());
}

/** Docker's rule: the last matching pattern wins, `!` re-includes, and a pattern matching a parent directory excludes the path. */
export function dockerignoreExcludes(text: string, path: string): boolean {
  const patterns = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const body = (negate ? l.slice(1) : l).trim().replace(/^\/+/, '').replace(/^\.\/+/, '').replace(/\/+$/, '');
      return { negate, body };
    })
    .filter((p) => p.body !== '');
  const parts = path.split('/');
  const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let excluded = false;
  for (const p of patterns) if (prefixes.some((pre) => minimatch(pre, p.body, opts))) excluded = !p.negate;
  return excluded;
}
