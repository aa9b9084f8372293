import type { Span } from '../core/types.js';
import { CA, type TlsFinding } from './tls.js';

/**
 * Tool configuration files that turn off TLS certificate verification for every command that reads them:
 * .npmrc, .yarnrc, .yarnrc.yml, pip.conf/pip.ini, gitconfig files, .curlrc, .wgetrc, .condarc, .bowerrc, .gemrc, .bundle/config.
 * Pure functions over a path and a text; each hit carries the span of its setting (a pip `trusted-host` may span lines).
 */
export type TlsConfigFormat = 'npmrc' | 'yarnrc' | 'yarnrc-yml' | 'pip' | 'gitconfig' | 'curlrc' | 'wgetrc' | 'condarc' | 'bowerrc' | 'gemrc' | 'bundler';

export interface TlsConfigHit extends TlsFinding {
  at: Span;
}

/** The config format a path holds, by its name alone; undefined for every other file. */
export function tlsConfigFormat(path: string): TlsConfigFormat | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  // Every format below ends so (asked for every text file of the tree: one test instead of a dozen).
  if (!/(rc|conf|ini|config|\.ya?ml)$/.test(name)) return undefined;
  if (name === '.npmrc' || name === 'npmrc') return 'npmrc';
  if (name === '.yarnrc') return 'yarnrc';
  if (name === '.yarnrc.yml' || name === '.yarnrc.yaml') return 'yarnrc-yml';
  if (name === 'pip.conf' || name === 'pip.ini') return 'pip';
  if (/^(\.?gitconfig|.+\.gitconfig)$/.test(name) || /(^|\/)\.?git\/config$/.test(path)) return 'gitconfig';
  if (/^[._]?curlrc$/.test(name)) return 'curlrc';
  if (/^\.?wgetrc$/.test(name)) return 'wgetrc';
  if (/^\.?condarc$/.test(name) || /(^|\/)condarc\.d\/[^/]+\.ya?ml$/.test(path)) return 'condarc';
  if (name === '.bowerrc') return 'bowerrc';
  if (/^\.?gemrc$/.test(name)) return 'gemrc';
  if (/(^|\/)\.bundle\/config$/.test(path)) return 'bundler';
  return undefined;
}

const OFF = '(?:false|no|off|0)';
const q = (v: string): string => `["']?${v}["']?`;
/** One-line settings: the pattern matches the line without its indentation (`topLevel`: only a line that has none). */
const LINE_SETTINGS: Partial<Record<TlsConfigFormat, { pattern: RegExp; what: string; fix: string; topLevel?: boolean }>> = {
  npmrc: { pattern: new RegExp(`^strict-ssl\\s*=\\s*${q(OFF)}\\s*([;#].*)?$`, 'i'), what: '`strict-ssl=false` in .npmrc makes npm accept any registry certificate', fix: CA.npm },
  yarnrc: {
    pattern: new RegExp(`^"?strict-ssl"?\\s+${q(OFF)}\\s*(#.*)?$`, 'i'),
    what: '`strict-ssl false` in .yarnrc makes Yarn accept any registry certificate',
    fix: 'point Yarn at the CA certificate with `cafile "<file>"` in .yarnrc (or `NODE_EXTRA_CA_CERTS`)',
  },
  'yarnrc-yml': {
    pattern: new RegExp(`^enableStrictSsl\\s*:\\s*${q(OFF)}\\s*(#.*)?$`, 'i'),
    what: '`enableStrictSsl: false` in .yarnrc.yml makes Yarn accept any registry certificate',
    fix: 'point Yarn at the CA certificate with `httpsCaFilePath: <file>` in .yarnrc.yml',
  },
  curlrc: {
    pattern: /^(-k|(--)?(insecure|proxy-insecure|doh-insecure))(\s*([=:]\s*)?(#.*)?)?$/i,
    what: '`insecure` in a curlrc makes every curl command that reads it accept any TLS certificate',
    fix: CA.curl,
  },
  wgetrc: {
    pattern: new RegExp(`^check[-_]?certificate\\s*=\\s*${OFF}\\s*(#.*)?$`, 'i'),
    what: '`check_certificate = off` in a wgetrc makes every wget command that reads it accept any TLS certificate',
    fix: CA.wget,
  },
  condarc: {
    pattern: new RegExp(`^ssl_verify\\s*:\\s*${OFF}\\s*(#.*)?$`, 'i'),
    what: '`ssl_verify: false` in .condarc makes conda accept any channel certificate',
    fix: 'point conda at the CA certificate with `ssl_verify: <file>` in .condarc',
    topLevel: true,
  },
  bowerrc: {
    pattern: /^"strict-ssl"\s*:\s*false\s*,?$/i,
    what: '`"strict-ssl": false` in .bowerrc makes Bower accept any registry certificate',
    fix: 'point Bower at the CA certificate with `"ca"` in .bowerrc',
  },
  gemrc: {
    pattern: /^:?ssl_verify_mode\s*:\s*0\s*(#.*)?$/i,
    what: '`:ssl_verify_mode: 0` in .gemrc makes RubyGems accept any source certificate',
    fix: 'point RubyGems at the CA certificate with `:ssl_ca_cert: <file>` in .gemrc',
  },
  bundler: {
    pattern: /^BUNDLE_SSL_VERIFY_MODE\s*:\s*["']?0["']?\s*$/,
    what: '`BUNDLE_SSL_VERIFY_MODE: "0"` in .bundle/config makes Bundler accept any source certificate',
    fix: 'point Bundler at the CA certificate with `bundle config set ssl_ca_cert <file>`',
  },
};

/** The span of a line's content, from its first to its last non-blank character. */
function contentSpan(lines: readonly string[], first: number, last = first): Span {
  const indent = /^\s*/.exec(lines[first]!)![0].length;
  return { line: first + 1, column: indent + 1, endLine: last + 1, endColumn: lines[last]!.trimEnd().length + 1 };
}

/** Every setting in the file that turns off certificate verification. */
export function tlsConfigSettings(format: TlsConfigFormat, text: string): TlsConfigHit[] {
  const lines = text.split(/\r?\n/);
  if (format === 'pip') return pipTrustedHosts(lines);
  if (format === 'gitconfig') return gitSslVerify(lines);
  const setting = LINE_SETTINGS[format]!;
  const hits: TlsConfigHit[] = [];
  lines.forEach((line, i) => {
    const content = line.trim();
    if (setting.topLevel && /^\s/.test(line)) return;
    if (setting.pattern.test(content)) hits.push({ word: content, what: setting.what, fix: setting.fix, at: contentSpan(lines, i) });
  });
  return hits;
}

/** `trusted-host = a b` in any section of pip.conf, its hosts on the same line or on indented continuation lines. */
function pipTrustedHosts(lines: readonly string[]): TlsConfigHit[] {
  const hits: TlsConfigHit[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^trusted[-_]host\s*[=:]\s*(.*)$/i.exec(lines[i]!);
    if (!m) continue;
    const hosts = m[1]!.split(/\s+/).filter(Boolean);
    let last = i;
    while (last + 1 < lines.length && /^\s+\S/.test(lines[last + 1]!) && !/^\s*[#;]/.test(lines[last + 1]!)) {
      last++;
      hosts.push(...lines[last]!.trim().split(/\s+/));
    }
    if (hosts.length === 0) continue;
    const what = `\`trusted-host = ${hosts.join(' ')}\` in the pip configuration makes pip trust ${hosts.join(', ')} over plain HTTP or an unverified certificate`;
    hits.push({ word: lines[i]!.trim(), what, fix: CA.pip, at: contentSpan(lines, i, last) });
    i = last;
  }
  return hits;
}

/** `sslVerify = false` (or an empty value, which git reads as false) in an `[http]` or `[http "<url>"]` section. */
function gitSslVerify(lines: readonly string[]): TlsConfigHit[] {
  const hits: TlsConfigHit[] = [];
  let section: { http: boolean; url?: string } = { http: false };
  lines.forEach((raw, i) => {
    let line = raw.trim();
    const header = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]\s*(.*)$/.exec(line);
    if (header) {
      const name = header[1]!.toLowerCase();
      const url = header[2] ?? (name.startsWith('http.') ? header[1]!.slice(5) : undefined);
      section = { http: name === 'http' || name.startsWith('http.'), ...(url ? { url } : {}) };
      line = header[3]!;
    }
    const kv = /^(sslverify)\s*(?:=\s*(.*))?$/i.exec(line);
    if (!section.http || !kv || kv[2] === undefined) return; // a bare `sslVerify` means true
    const value = kv[2].replace(/\s*[#;].*$/, '').trim().replace(/^"(.*)"$/, '$1');
    if (value !== '' && !new RegExp(`^${OFF}$`, 'i').test(value)) return;
    const scope = section.url ? ` for ${section.url.replace(/\/\/[^/@]*@/, '//')}` : '';
    const at = header ? { ...contentSpan(lines, i), column: raw.length - raw.trimStart().length + raw.trim().length - line.length + 1 } : contentSpan(lines, i);
    hits.push({ word: line, what: `\`sslVerify = ${value || '(empty)'}\` in a git config file makes git skip certificate checks${scope}`, fix: CA.git, at });
  });
  return hits;
}
