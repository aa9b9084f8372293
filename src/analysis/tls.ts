import { programName, unwrap, type ShellCommand } from './shell.js';

/**
 * Settings that turn off TLS certificate verification, as pure functions over a shell command and over a
 * `name = value` setting (Dockerfile ENV/ARG, workflow `env:`); tool config files (.npmrc, pip.conf, .gitconfig…) are in tls-config.ts.
 */
export interface TlsFinding {
  /** The word as written that turns verification off (`-fsSLk`, `--trusted-host`, `NODE_TLS_REJECT_UNAUTHORIZED=0`). */
  word: string;
  /** What it does, for the message: "`curl -k` accepts any certificate". */
  what: string;
  /** The fix that keeps verification on. */
  fix: string;
}

export const CA = {
  curl: 'install the CA certificate into the trust store (`update-ca-certificates`) or pass it with `--cacert <file>`',
  wget: 'install the CA certificate (`update-ca-certificates`) or pass it with `--ca-certificate=<file>`',
  pip: 'install the CA certificate and point pip at it with `pip --cert <file>` (or `PIP_CERT`, `REQUESTS_CA_BUNDLE`)',
  node: 'give Node the CA certificate with `NODE_EXTRA_CA_CERTS=<file>`',
  npm: 'give npm the CA certificate with `npm config set cafile <file>` (or `NODE_EXTRA_CA_CERTS`)',
  git: 'install the CA certificate or set `git config http.sslCAInfo <file>`',
  python: 'install the CA certificate and set `REQUESTS_CA_BUNDLE` / `SSL_CERT_FILE` to it',
  generic: 'install the CA certificate into the trust store (`update-ca-certificates`) instead',
} as const;

const OFF = /^(false|0|no|off)$/i;
const unquote = (v: string): string => v.trim().replace(/^(["'])(.*)\1$/, '$2').trim();

/** A `NAME=value` setting (environment variable) that disables verification; names are matched case-insensitively where the tool does. */
export function tlsSetting(name: string, rawValue: string | undefined): TlsFinding | undefined {
  const value = unquote(rawValue ?? '');
  const word = `${name}=${rawValue ?? ''}`;
  const upper = name.toUpperCase();
  if (name === 'NODE_TLS_REJECT_UNAUTHORIZED' && value === '0')
    return { word, what: '`NODE_TLS_REJECT_UNAUTHORIZED=0` makes Node accept any TLS certificate', fix: CA.node };
  if (name === 'PYTHONHTTPSVERIFY' && value === '0')
    return { word, what: '`PYTHONHTTPSVERIFY=0` makes Python skip HTTPS certificate checks', fix: CA.python };
  if (name === 'GIT_SSL_NO_VERIFY' && value !== '')
    return { word, what: '`GIT_SSL_NO_VERIFY` (whatever its value) makes git skip certificate checks', fix: CA.git };
  if (upper === 'PIP_TRUSTED_HOST' && value !== '')
    return { word, what: `\`PIP_TRUSTED_HOST\` makes pip trust ${value} over plain HTTP or an unverified certificate`, fix: CA.pip };
  if (upper === 'NPM_CONFIG_STRICT_SSL' && OFF.test(value))
    return { word, what: '`NPM_CONFIG_STRICT_SSL=false` makes npm accept any registry certificate', fix: CA.npm };
  if (upper === 'YARN_ENABLE_STRICT_SSL' && OFF.test(value))
    return { word, what: '`YARN_ENABLE_STRICT_SSL=false` makes Yarn accept any registry certificate', fix: CA.npm };
  return undefined;
}

/** curl short options that take a value: in a cluster (`-fsSLo file`) the rest of the word, or the next word, is that value. */
const CURL_VALUE = new Set('oHdXuxAeTwmCrbcEFKQYyzDUPt'.split(''));

function curlInsecure(argv: readonly string[]): string | undefined {
  for (let i = 1; i < argv.length; i++) {
    const w = argv[i]!;
    if (w === '--insecure' || w === '--proxy-insecure' || w === '--doh-insecure') return w;
    if (w === '--') return undefined;
    if (w.startsWith('--')) continue;
    if (!/^-[A-Za-z0-9#:]+$/.test(w)) continue;
    for (let k = 1; k < w.length; k++) {
      if (w[k] === 'k') return w;
      if (CURL_VALUE.has(w[k]!)) {
        if (k === w.length - 1) i++;
        break;
      }
    }
  }
  return undefined;
}

const valueOf = (argv: readonly string[], i: number, flag: string): string | undefined =>
  argv[i] === flag ? argv[i + 1] : argv[i]!.startsWith(`${flag}=`) ? argv[i]!.slice(flag.length + 1) : undefined;

/** A command that disables verification: curl -k, wget --no-check-certificate, pip --trusted-host, npm/yarn strict-ssl, git sslVerify, `export X=0`. */
export function tlsCommand(c: ShellCommand): TlsFinding | undefined {
  for (const a of c.assignments) {
    const eq = a.indexOf('=');
    const hit = tlsSetting(a.slice(0, eq), a.slice(eq + 1));
    if (hit) return { ...hit, word: a };
  }
  let argv = unwrap(c.argv);
  // `env X=0 cmd`: unwrap drops the assignments, so read them from the wrapper words.
  for (const w of c.argv.slice(0, c.argv.length - argv.length)) {
    const m = /^([A-Za-z_]\w*)=(.*)$/s.exec(w);
    const hit = m ? tlsSetting(m[1]!, m[2]) : undefined;
    if (hit) return { ...hit, word: w };
  }
  let p = programName(argv[0]);
  if (/^python[\d.]*$/.test(p) && argv[1] === '-m' && /^pip[\d.]*$/.test(argv[2] ?? '')) {
    argv = ['pip', ...argv.slice(3)];
    p = 'pip';
  }
  // `export X=0`, and `echo "X=0" >> "$GITHUB_ENV"` (or an env file) that sets it for later steps.
  if (/^(export|declare|typeset|readonly|echo|printf)$/.test(p)) {
    for (const w of argv.slice(1)) {
      const m = /^([A-Za-z_]\w*)=(.*)$/s.exec(w);
      const hit = m ? tlsSetting(m[1]!, m[2]) : undefined;
      if (hit) return { ...hit, word: w };
    }
    return undefined;
  }
  if (p === 'curl') {
    const w = curlInsecure(argv);
    return w ? { word: w, what: `\`curl ${w}\` accepts any TLS certificate`, fix: CA.curl } : undefined;
  }
  const plainFlag = (flag: string, what: string, fix: string): TlsFinding | undefined => {
    const w = argv.find((x) => x === flag || x.startsWith(`${flag}=`));
    return w ? { word: w, what, fix } : undefined;
  };
  if (p === 'wget') return plainFlag('--no-check-certificate', '`wget --no-check-certificate` accepts any TLS certificate', CA.wget);
  if (p === 'apk') return plainFlag('--no-check-certificate', '`apk --no-check-certificate` accepts any repository certificate', CA.generic);
  const skip = plainFlag('--insecure-skip-tls-verify', `\`${p} --insecure-skip-tls-verify\` accepts any server certificate`, CA.generic);
  if (skip && !/^(false|0)$/i.test(skip.word.split('=')[1] ?? '')) return skip;
  if (/^pip[\d.]*$/.test(p)) {
    const th = plainFlag('--trusted-host', '`pip --trusted-host` trusts that host over plain HTTP or an unverified certificate', CA.pip);
    if (th) return th;
    if (argv[1] === 'config' && argv[2] === 'set' && /^[a-z]+\.trusted-host$/.test(argv[3] ?? ''))
      return { word: argv[3]!, what: `\`pip config set ${argv[3]}\` makes pip trust ${argv[4] ?? 'a host'} without certificate checks`, fix: CA.pip };
    return undefined;
  }
  if (/^(npm|yarn|pnpm)$/.test(p)) {
    const set = argv[1] === 'config' ? 2 : 1;
    if (argv[set] === 'set') {
      const [key, inline] = (argv[set + 1] ?? '').split('=');
      const value = inline ?? argv[set + 2] ?? '';
      if (/^(strict-ssl|enableStrictSsl)$/.test(key ?? '') && OFF.test(unquote(value)))
        return { word: argv[set + 1]!, what: `\`${p} config set ${key} false\` makes ${p} accept any registry certificate`, fix: CA.npm };
    }
    const flag = argv.find((w) => /^--strict-ssl=(false|0)$/.test(w) || w === '--no-strict-ssl');
    return flag ? { word: flag, what: `\`${p} ${flag}\` accepts any registry certificate`, fix: CA.npm } : undefined;
  }
  if (p === 'git') {
    for (let i = 1; i < argv.length; i++) {
      const c1 = valueOf(argv, i, '-c');
      if (c1 !== undefined && /^http\.(.+\.)?sslverify=(false|0|no|off)?$/i.test(c1))
        return { word: argv[i] === '-c' ? c1 : argv[i]!, what: `\`git -c ${c1}\` skips certificate checks`, fix: CA.git };
      if (argv[i] === 'config') {
        const rest: string[] = [];
        for (let j = i + 1; j < argv.length; j++) {
          if (/^(-f|--file|--type|--blob)$/.test(argv[j]!)) j++;
          else if (!argv[j]!.startsWith('-')) rest.push(argv[j]!);
        }
        if (/^http\.(.+\.)?sslverify$/i.test(rest[0] ?? '') && OFF.test(unquote(rest[1] ?? '')))
          return { word: rest[0]!, what: `\`git config ${rest[0]} ${rest[1]}\` turns off certificate checks`, fix: CA.git };
        return undefined;
      }
    }
    return undefined;
  }
  if (/^(yum|dnf|dnf5|microdnf|tdnf|yum-config-manager)$/.test(p)) {
    // `yum --setopt=sslverify=0 install …`, `yum-config-manager --save --setopt=*.sslverify=0`, `dnf config-manager --setopt=…`
    for (let i = 1; i < argv.length; i++) {
      const opt = valueOf(argv, i, '--setopt');
      if (opt !== undefined && /^([^=]*\.)?sslverify=(false|0|no|off)$/i.test(unquote(opt))) {
        const saved = argv.includes('--save') || argv.includes('config-manager');
        return {
          word: argv[i] === '--setopt' ? opt : argv[i]!,
          what: `\`${p} --setopt=${unquote(opt)}\` makes ${p === 'yum-config-manager' ? 'yum' : p} accept any repository certificate${saved ? ' (saved into the repository configuration)' : ''}`,
          fix: CA.generic,
        };
      }
    }
    return undefined;
  }
  if (p === 'conda' && argv[1] === 'config') {
    const i = argv.indexOf('ssl_verify');
    if (i > 0 && argv[i - 1] === '--set' && OFF.test(argv[i + 1] ?? ''))
      return { word: 'ssl_verify', what: '`conda config --set ssl_verify false` makes conda accept any certificate', fix: CA.generic };
  }
  return undefined;
}
