#!/usr/bin/env node
// gen-labelled.mjs — the labelled secret examples shared by the gate and secretlint.
//
//   node bench/secrets/gen-labelled.mjs OUT_DIR            write the tree
//   node bench/secrets/gen-labelled.mjs OUT_DIR --update   also rewrite bench/secrets/labels.json
//
// Writes a small repository-like tree in which every line worth scoring is labelled: planted
// secrets of 50-odd formats (every format @secretlint/secretlint-rule-preset-recommend knows, and
// more) and look-alike decoys that are not secrets (documentation values such as AWS's example
// keys, placeholders, template references, hashes, UUIDs, lockfile integrity lines, a base64
// image, a JWT test string, public keys and certificates, tokens whose checksum fails).
//
// Nothing token-like is committed: this script assembles every prefix from parts at run time and
// draws every body from a seeded PRNG, so the same seed always gives the same bytes and the same
// labels (bench/secrets/labels.json is that list: file, line, format, secret true/false, why). The
// values are random and were never issued by any provider. Where a format has a checksum, the
// value carries a valid one (GitHub's CRC32 in base62, npm's likewise), so a checksum-aware
// scanner treats it as well-formed; the decoy `github-classic-bad-checksum` carries a wrong one.
//
// No dependencies; Node >= 20. Also imported by bench/secrets/compare.mjs and the vitest test.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { seedFrom, sfc32 } from '../prng.mjs';

// ---------------------------------------------------------------- PRNG (cyrb128 -> sfc32)


const DIGITS = '0123456789';
const HEX = '0123456789abcdef';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const B62 = DIGITS + UPPER + LOWER;
const B64 = B62 + '+/';
const B64URL = B62 + '-_';
const BASE32 = UPPER + '234567';
const BECH32 = 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L';

// ---------------------------------------------------------------- checksums

const CRC_TABLE = Array.from({ length: 256 }, (_, i) => {
  let c = i;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
/** CRC-32 (IEEE 802.3, the zlib one) of a string's UTF-8 bytes. */
export function crc32(s) {
  let c = 0xffffffff;
  for (const byte of Buffer.from(s, 'utf8')) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
/** Base62 with digits first, zero-padded to `width` (GitHub's token checksum encoding). */
export function base62(num, width) {
  let s = '';
  do { s = B62[num % 62] + s; num = Math.floor(num / 62); } while (num > 0);
  return s.padStart(width, '0');
}

// ---------------------------------------------------------------- prefixes, assembled at run time

const j = (...parts) => parts.join('');
const P = {
  akia: j('AK', 'IA'), asia: j('AS', 'IA'),
  gh: (t) => j('gh', t, '_'), ghFine: j('github', '_pat_'),
  npm: j('np', 'm_'), glpat: j('gl', 'pat-'), glc: j('gl', 'c_'), glsa: j('gl', 'sa_'),
  xoxb: j('xo', 'xb-'), xoxp: j('xo', 'xp-'), xapp: j('xa', 'pp-'), slackHook: j('https://hooks.', 'slack', '.com/services/'),
  sg: j('S', 'G.'), shpat: j('shp', 'at_'), shpss: j('shp', 'ss_'),
  skLive: j('sk', '_live_'), rkLive: j('rk', '_live_'), skTest: j('sk', '_test_'), pkLive: j('pk', '_live_'), whsec: j('wh', 'sec_'),
  skProj: j('sk-', 'proj-'), skAnt: j('sk-', 'ant-', 'api03-'), openaiMark: j('T3Blbk', 'FJ'),
  gsk: j('gs', 'k_'), hf: j('h', 'f_'), lin: j('lin', '_api_'), ntn: j('nt', 'n_'), ops: j('op', 's_'),
  hvs: j('hv', 's.'), vcp: j('vc', 'p_'), dapi: j('da', 'pi'), dckr: j('dckr', '_pat_'), figd: j('fig', 'd_'),
  cfut: j('cf', 'ut_'), tskey: j('ts', 'key-auth-'),
  twilioSk: j('S', 'K'), mailgun: j('ke', 'y-'), pypi: j('py', 'pi-', 'AgEIcHlwaS5vcmc'), aiza: j('AI', 'za'),
  dop: j('do', 'p_v1_'), age: j('AGE-', 'SECRET-KEY-1'), discordHook: j('https://discord', '.com/api/webhooks/'),
  azureKey: j('Account', 'Key='),
  pem: (kind) => [`-----BEGIN ${kind}-----`, `-----END ${kind}-----`],
  priv: j('PRIVATE', ' KEY'),
};

// ---------------------------------------------------------------- the tree

/** A file under construction: lines plus the labels of the lines just added. */
class Doc {
  constructor(file, labels) { this.file = file; this.lines = []; this.labels = labels; }
  add(...lines) { for (const l of lines) this.lines.push(...String(l).split('\n')); return this; }
  /** Add one line (possibly several physical lines) and label its first line. */
  put(text, format, secret, why, extra = {}) {
    const line = this.lines.length + 1;
    this.add(text);
    this.labels.push({ file: this.file, line, format, secret, ...(why ? { why } : {}), ...extra });
    return this;
  }
  text() { return this.lines.join('\n') + '\n'; }
}

/**
 * Builds the labelled tree in memory: `{ files: {path: text}, labels: [...] }`.
 * Every label is a line of a file; `secret: false` marks a decoy; `pair` groups the lines of one
 * credential (an AWS key id and its secret key): finding either line counts for both.
 */
export function buildLabelled(seed = 'labelled-1') {
  const rnd = sfc32(...seedFrom(seed));
  const str = (alphabet, n) => { let s = ''; for (let i = 0; i < n; i++) s += alphabet[Math.floor(rnd() * alphabet.length)]; return s; };
  const bytes = (n) => Buffer.from(Array.from({ length: n }, () => Math.floor(rnd() * 256)));
  const files = {};
  const labels = [];
  const doc = (file) => new Doc(file, labels);
  const save = (d) => { files[d.file] = d.text(); };

  const ghToken = (type) => { const body = str(B62, 30); return P.gh(type) + body + base62(crc32(body), 6); };
  const ghFine = () => { const body = str(B62, 22) + '_' + str(B62, 53); return P.ghFine + body + base62(crc32(body), 6); };
  const npmToken = () => { const body = str(B62, 30); return P.npm + body + base62(crc32(body), 6); };
  const awsId = (pfx = P.akia) => pfx + str(BASE32, 16);
  const awsSecret = () => str(B64, 40);
  /** A password: alphanumerics with one URL-safe punctuation character (`!*~` are allowed in a URL's userinfo). */
  const pw = (n = 20) => str(B62, n - 4) + str('!*~', 1) + str(B62, 3);
  const alnumPw = (n = 20) => str(B62, n);
  const hexs = (n) => str(HEX, n);
  const uuid = () => `${hexs(8)}-${hexs(4)}-4${hexs(3)}-${str('89ab', 1)}${hexs(3)}-${hexs(12)}`;
  const wrap = (b64) => b64.match(/.{1,64}/g).join('\n');
  const derKey = (header, total) => Buffer.concat([Buffer.from(header), bytes(total - header.length)]).toString('base64');
  const pemKey = (kind, header, total) => { const [b, e] = P.pem(kind); return `${b}\n${wrap(derKey(header, total))}\n${e}`; };
  const b64json = (obj, padTo) => {
    let s = JSON.stringify(obj);
    if (padTo !== undefined) while (s.length % 3 !== padTo) s = s.replace(/}$/, ' }');
    return Buffer.from(s).toString('base64');
  };
  const b64url = (s) => Buffer.from(s).toString('base64url');

  // --- AWS: a key id with its secret key (one credential), documentation values, an account id.
  {
    const d = doc('config/aws.env');
    d.add('# deployment credentials for the nightly export job');
    d.put(`AWS_ACCESS_KEY_ID=${awsId()}`, 'aws-access-key-id', true, undefined, { pair: 'aws-1' });
    d.put(`AWS_SECRET_ACCESS_KEY=${awsSecret()}`, 'aws-secret-access-key', true, undefined, { pair: 'aws-1' });
    d.add('AWS_REGION=eu-west-1', '');
    d.add('# temporary session credentials copied from the console');
    d.put(`aws_access_key_id = ${awsId(P.asia)}`, 'aws-access-key-id', true, undefined, { pair: 'aws-2' });
    d.put(`aws_secret_access_key = ${awsSecret()}`, 'aws-secret-access-key', true, undefined, { pair: 'aws-2' });
    d.add('', '# values from the AWS documentation (not secrets)');
    d.put(`EXAMPLE_KEY_ID=${P.akia}IOSFODNN7EXAMPLE`, 'aws-access-key-id', false, "AWS documentation's example access key id");
    d.put(`aws_secret_access_key=${j('wJalrXUtnFEMI/K7MDENG/', 'bPxRfiCYEXAMPLEKEY')}`, 'aws-secret-access-key', false, "AWS documentation's example secret key");
    d.put(`OTHER_EXAMPLE_ID=${P.akia}I44QH8DHBEXAMPLE`, 'aws-access-key-id', false, "AWS documentation's second example access key id");
    d.put(`aws_secret_access_key: ${j('je7MtGbClwBF/2Zp9Utk/', 'h3yCo8nvbEXAMPLEKEY')}`, 'aws-secret-access-key', false, "AWS documentation's second example secret key");
    d.put('aws_account_id = 123456789012', 'aws-account-id', false, 'an AWS account id identifies an account and is not a secret (AWS documentation)');
    save(d);
  }

  // --- GitHub: every token kind with its CRC32 checksum, and look-alikes.
  {
    const d = doc('src/github.ts');
    d.add("import { Octokit } from '@octokit/rest';", '');
    d.put(`const pat = '${ghToken('p')}';`, 'github-classic-pat', true);
    d.put(`const oauth = '${ghToken('o')}';`, 'github-oauth', true);
    d.put(`const userToServer = '${ghToken('u')}';`, 'github-user-to-server', true);
    d.put(`const serverToServer = '${ghToken('s')}';`, 'github-server-to-server', true);
    d.put(`const refresh = '${ghToken('r')}';`, 'github-refresh', true);
    d.put(`const fineGrained = '${ghFine()}';`, 'github-fine-grained-pat', true);
    d.add('', '// look-alikes');
    {
      const body = str(B62, 30);
      const good = base62(crc32(body), 6);
      const bad = good.slice(0, 5) + (good[5] === 'A' ? 'B' : 'A');
      d.put(`const typo = '${P.gh('p')}${body}${bad}';`, 'github-classic-bad-checksum', false, 'CRC32 suffix does not match: cannot be an issued token');
    }
    d.put(`const placeholder = '${P.gh('p')}${'x'.repeat(36)}';`, 'github-placeholder', false, 'placeholder made of x');
    d.put(`const docs = '${P.gh('p')}${'X'.repeat(36)}';`, 'github-placeholder', false, 'placeholder made of X');
    d.put('const fromEnv = process.env.GITHUB_TOKEN;', 'env-reference', false, 'read from the environment');
    d.put("const octokit = new Octokit({ auth: '${{ secrets.GITHUB_TOKEN }}' });", 'template-reference', false, 'Actions secret reference');
    d.put(`const pinned = 'actions/checkout@${hexs(40)}';`, 'git-sha', false, 'commit SHA (high entropy, not a secret)');
    save(d);
  }

  // --- Token formats secretlint's recommended preset knows (beyond AWS/GitHub/keys/URLs).
  {
    const d = doc('src/providers.py');
    d.add('"""Provider clients. Credentials should come from the environment; these did not."""', 'import os', '');
    d.put(`SLACK_BOT_TOKEN = "${P.xoxb}${str(DIGITS, 12)}-${str(DIGITS, 13)}-${str(B62, 24)}"`, 'slack-bot-token', true);
    d.put(`SLACK_USER_TOKEN = "${P.xoxp}${str(DIGITS, 12)}-${str(DIGITS, 12)}-${str(DIGITS, 13)}-${hexs(32)}"`, 'slack-user-token', true);
    d.put(`SLACK_APP_TOKEN = "${P.xapp}1-A${str(UPPER + DIGITS, 10)}-${str(DIGITS, 13)}-${hexs(64)}"`, 'slack-app-token', true);
    d.put(`SLACK_WEBHOOK = "${P.slackHook}T${str(UPPER + DIGITS, 10)}/B${str(UPPER + DIGITS, 10)}/${str(B62, 24)}"`, 'slack-webhook', true);
    d.put(`SENDGRID_API_KEY = "${P.sg}${str(B64URL.replace('-', ''), 22)}.${str(B62 + '_', 43)}"`, 'sendgrid', true);
    d.put(`SHOPIFY_ACCESS_TOKEN = "${P.shpat}${hexs(32)}"`, 'shopify-access-token', true);
    d.put(`SHOPIFY_SHARED_SECRET = "${P.shpss}${hexs(32)}"`, 'shopify-shared-secret', true);
    d.put(`STRIPE_SECRET_KEY = "${P.skLive}${str(B62, 99)}"`, 'stripe-live-secret', true);
    d.put(`STRIPE_RESTRICTED_KEY = "${P.rkLive}${str(B62, 24)}"`, 'stripe-live-restricted', true);
    d.put(`STRIPE_TEST_KEY = "${P.skTest}${str(B62, 99)}"`, 'stripe-test-secret', true);
    d.put(`GITLAB_TOKEN = "${P.glpat}${str(B62 + '_-', 20)}"`, 'gitlab-pat', true);
    d.put(`GRAFANA_CLOUD_TOKEN = "${P.glc}${b64json({ o: str(DIGITS, 6), n: 'stack-' + str(DIGITS, 6) + '-hm-read', k: str(B62, 24), m: { r: 'prod-eu-west-2' } })}"`, 'grafana-cloud-token', true);
    { const body = str(B62, 32); d.put(`GRAFANA_SA_TOKEN = "${P.glsa}${body}_${crc32(body).toString(16).padStart(8, '0')}"`, 'grafana-service-account', true); }
    d.put(`OPENAI_API_KEY = "${P.skProj}${str(B64URL, 74)}${P.openaiMark}${str(B64URL, 74)}"`, 'openai-project-key', true);
    d.put(`OPENAI_LEGACY_KEY = "sk-${str(B62, 20)}${P.openaiMark}${str(B62, 20)}"`, 'openai-legacy-key', true);
    d.put(`ANTHROPIC_API_KEY = "${P.skAnt}${str(B64URL, 93)}AA"`, 'anthropic', true);
    d.put(`GROQ_API_KEY = "${P.gsk}${str(B62, 52)}"`, 'groq', true);
    d.put(`HF_TOKEN = "${P.hf}${str(UPPER + LOWER, 34)}"`, 'huggingface', true);
    d.put(`LINEAR_API_KEY = "${P.lin}${str(B62, 40)}"`, 'linear', true);
    d.put(`NOTION_TOKEN = "${P.ntn}${str(DIGITS, 11)}${str(B62, 35)}"`, 'notion', true);
    d.put(`OP_SERVICE_ACCOUNT_TOKEN = "${P.ops}${b64json({ signInAddress: 'my.1password.com', userAuth: { method: 'SRPg-4096', alg: 'PBES2g-HS256', iterations: 650000, salt: str(B64URL, 22) }, email: str(LOWER, 12) + '@1passwordserviceaccounts.com', srpX: hexs(64), muk: { alg: 'A256GCM', ext: true, k: str(B64URL, 43), key_ops: ['encrypt', 'decrypt'], kty: 'oct', kid: 'mp' }, secretKey: 'A3-' + str(UPPER + DIGITS, 6) + '-' + str(UPPER + DIGITS, 6), throttleSecret: { seed: hexs(64), uuid: str(UPPER + DIGITS, 26) }, deviceUuid: str(LOWER + DIGITS, 26) }, 1)}"`, '1password-service-account', true);
    d.put(`VAULT_TOKEN = "${P.hvs}CAESI${str(B64URL, 90)}"`, 'vault-service-token', true);
    d.put(`VERCEL_TOKEN = "${P.vcp}${str(B62, 56)}"`, 'vercel', true);
    d.put(`DATABRICKS_TOKEN = "${P.dapi}${hexs(32)}"`, 'databricks', true);
    d.put(`DOCKERHUB_TOKEN = "${P.dckr}${str(B64URL, 27)}"`, 'dockerhub-pat', true);
    d.put(`FIGMA_TOKEN = "${P.figd}${str(B64URL, 40)}"`, 'figma', true);
    d.put(`CLOUDFLARE_API_TOKEN = "${P.cfut}${str(B62, 40)}${hexs(8)}"`, 'cloudflare', true);
    d.put(`TS_AUTHKEY = "${P.tskey}k${str(B62, 11)}CNTRL-${str(B62, 33)}"`, 'tailscale', true);
    d.put(`NPM_TOKEN = "${npmToken()}"`, 'npm-token', true);
    d.add('', '# look-alikes');
    d.put(`STRIPE_PUBLISHABLE_KEY = "${P.pkLive}${str(B62, 99)}"`, 'stripe-publishable', false, 'publishable keys are public by design');
    d.put(`STRIPE_PLACEHOLDER = "${P.skLive}${'x'.repeat(24)}"`, 'stripe-placeholder', false, 'placeholder made of x');
    d.put(`SLACK_PLACEHOLDER = "${P.xoxb}your-bot-token"`, 'slack-placeholder', false, 'documentation placeholder');
    d.put('OPENAI_API_KEY_FROM_ENV = os.environ["OPENAI_API_KEY"]', 'env-reference', false, 'read from the environment');
    d.put(`REQUEST_ID = "${uuid()}"`, 'uuid', false, 'UUID (high entropy, not a secret)');
    save(d);
  }

  // --- Formats the preset does not know.
  {
    const d = doc('services/clients.go');
    d.add('package services', '', 'const (');
    d.put(`\ttwilioAPIKey = "${P.twilioSk}${hexs(32)}"`, 'twilio-api-key', true);
    d.put(`\tmailgunKey = "${P.mailgun}${hexs(32)}"`, 'mailgun', true);
    d.put(`\tpypiToken = "${P.pypi}${str(B64URL, 140)}"`, 'pypi', true);
    d.put(`\ttelegramBot = "${str('123456789', 1)}${str(DIGITS, 9)}:AA${str(B64URL, 33)}"`, 'telegram-bot', true);
    d.put(`\tdiscordWebhook = "${P.discordHook}${str('123456789', 1)}${str(DIGITS, 17)}/${str(B64URL, 68)}"`, 'discord-webhook', true);
    d.put(`\tazureStorage = "DefaultEndpointsProtocol=https;AccountName=acmeprod${str(LOWER, 6)};${P.azureKey}${str(B64, 86)}==;EndpointSuffix=core.windows.net"`, 'azure-storage-connection-string', true);
    d.put(`\tgoogleAPIKey = "${P.aiza}Sy${str(B64URL, 33)}"`, 'google-api-key', true);
    d.put(`\tdigitalOcean = "${P.dop}${hexs(64)}"`, 'digitalocean', true);
    d.put(`\tageKey = "${P.age}${str(BECH32, 58)}"`, 'age-secret-key', true);
    d.put(`\tstripeWebhook = "${P.whsec}${str(B62, 32)}"`, 'stripe-webhook-secret', true);
    d.add(')', '', '// look-alikes', 'const (');
    d.put(`\tgoogleClientID = "${str(DIGITS, 12)}-${str(LOWER + DIGITS, 32)}.apps.googleusercontent.com"`, 'google-client-id', false, 'OAuth client ids are public');
    d.put(`\tcontentDigest = "sha256:${hexs(64)}"`, 'sha256', false, 'content digest (high entropy, not a secret)');
    d.put(`\tsessionID = "${uuid()}"`, 'uuid', false, 'UUID (high entropy, not a secret)');
    d.add(')');
    save(d);
  }

  // --- Private keys of every PEM/OpenSSH/PGP kind, each in its own file, and public look-alikes.
  {
    const rsa = [0x30, 0x82, 0x04, 0xa4, 0x02, 0x01, 0x00, 0x02, 0x82, 0x01, 0x01, 0x00];
    const keys = [
      ['keys/deploy_rsa.pem', j('RSA ', P.priv), rsa, 1192, 'private-key-rsa'],
      ['keys/signing-ec.pem', j('EC ', P.priv), [0x30, 0x77, 0x02, 0x01, 0x01, 0x04, 0x20], 121, 'private-key-ec'],
      ['keys/service.key', P.priv, [0x30, 0x82, 0x04, 0xbe, 0x02, 0x01, 0x00, 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00], 1218, 'private-key-pkcs8'],
      ['keys/legacy_dsa.pem', j('DSA ', P.priv), [0x30, 0x82, 0x01, 0xbb, 0x02, 0x01, 0x00, 0x02, 0x81, 0x81, 0x00], 447, 'private-key-dsa'],
    ];
    for (const [file, kind, header, total, format] of keys) {
      const d = doc(file);
      d.put(pemKey(kind, header, total), format, true);
      save(d);
    }
    {
      const d = doc('keys/id_ed25519');
      const body = Buffer.concat([Buffer.from('openssh-key-v1\0'), bytes(384)]).toString('base64');
      const [b, e] = P.pem(j('OPENSSH ', P.priv));
      d.put(`${b}\n${body.match(/.{1,70}/g).join('\n')}\n${e}`, 'private-key-openssh', true);
      save(d);
    }
    {
      const d = doc('keys/release-signing.asc');
      const [b, e] = P.pem(j('PGP ', P.priv, ' BLOCK'));
      const body = Buffer.concat([Buffer.from([0x95, 0x07, 0x46, 0x04]), bytes(1200)]).toString('base64');
      d.put(`${b}\n\n${wrap(body)}\n=${str(B64, 4)}\n${e}`, 'private-key-pgp', true);
      save(d);
    }
    {
      const d = doc('deploy/k8s-tls-secret.yaml');
      d.add('apiVersion: v1', 'kind: Secret', 'metadata:', '  name: ingress-tls', 'type: kubernetes.io/tls', 'stringData:', '  tls.key: |');
      d.put(pemKey(j('RSA ', P.priv), rsa, 1192).split('\n').map((l) => '    ' + l).join('\n'), 'private-key-rsa', true);
      save(d);
    }
    const cert = doc('keys/server.crt');
    cert.put(pemKey('CERTIFICATE', [0x30, 0x82, 0x03, 0x5a, 0x30, 0x82, 0x02, 0x42, 0xa0, 0x03, 0x02, 0x01, 0x02], 862), 'certificate', false, 'certificates are public');
    save(cert);
    const pub = doc('keys/deploy_rsa.pub.pem');
    pub.put(pemKey('PUBLIC KEY', [0x30, 0x82, 0x01, 0x22, 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00], 294), 'public-key', false, 'public keys are public');
    save(pub);
    const ssh = doc('keys/id_ed25519.pub');
    ssh.put(`ssh-ed25519 ${Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.from([0, 0, 0, 32]), bytes(32)]).toString('base64')} deploy@ci`, 'ssh-public-key', false, 'public keys are public');
    save(ssh);
    const docs = doc('docs/keys.md');
    docs.add('# Signing keys', '', 'Put the deploy key in `keys/` (never commit it). It looks like this:', '', '```');
    const [b, e] = P.pem(j('RSA ', P.priv));
    docs.put(`${b}\n...your key here...\n${e}`, 'private-key-placeholder', false, 'documentation placeholder');
    docs.add('```', '');
    save(docs);
  }

  // --- GCP service-account JSON (alone in its file: secretlint reports the whole file).
  {
    const d = doc('deploy/gcp-service-account.json');
    const [b, e] = P.pem(P.priv);
    const key = `${b}\n${wrap(derKey([0x30, 0x82, 0x04, 0xbe, 0x02, 0x01, 0x00, 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00], 1218))}\n${e}\n`;
    d.add('{', '  "type": "service_account",', '  "project_id": "acme-prod-4711",', `  "private_key_id": "${hexs(40)}",`);
    d.put(`  "private_key": ${JSON.stringify(key)},`, 'gcp-service-account', true);
    d.add(`  "client_email": "deployer@acme-prod-4711.iam.gserviceaccount.com",`, `  "client_id": "${str(DIGITS, 21)}",`);
    d.add('  "auth_uri": "https://accounts.google.com/o/oauth2/auth",', '  "token_uri": "https://oauth2.googleapis.com/token"', '}');
    save(d);
  }

  // --- Credentials in URLs and connection strings.
  {
    const d = doc('deploy/database.yml');
    d.add('production:');
    d.put(`  primary: postgresql://billing_svc:${pw()}@pg-primary.prod.internal:5432/billing`, 'postgres-url', true);
    d.put(`  replica: "mysql://reporting:${pw()}@mysql-replica.prod.internal:3306/reports"`, 'mysql-url', true);
    d.put(`  events: mongodb+srv://events-writer:${pw()}@cluster0.${str(LOWER + DIGITS, 5)}.mongodb.net/events?retryWrites=true`, 'mongodb-url', true);
    d.put(`  cache: redis://default:${pw(32)}@redis.prod.internal:6379/0`, 'redis-url', true);
    d.put(`  queue: amqp://orders:${pw()}@rabbitmq.prod.internal:5672/orders`, 'amqp-url', true);
    d.add('development:');
    d.put('  primary: postgres://postgres:postgres@localhost:5432/billing_dev', 'postgres-url', false, 'local development defaults');
    d.put('  replica: mysql://${DB_USER}:${DB_PASSWORD}@db:3306/reports', 'mysql-url', false, 'values substituted from the environment');
    d.put('  events: mongodb://user:password@localhost:27017/events', 'mongodb-url', false, 'documentation placeholder credentials');
    save(d);
  }
  {
    const d = doc('scripts/mirror.sh');
    d.add('#!/bin/sh', 'set -eu');
    d.put(`git clone https://deploy-bot:${alnumPw(24)}@git.acme-corp.io/platform/infra.git`, 'basic-auth-url', true);
    d.put(`curl -fsSL https://ci-upload:${alnumPw()}@artifacts.acme-corp.io/upload -T build.tar.gz`, 'basic-auth-url', true);
    d.put(`lftp ftp://backup:${pw()}@ftp.acme-corp.io/nightly`, 'basic-auth-url', true);
    d.add('# look-alikes');
    d.put('curl https://user:password@example.com/api', 'basic-auth-url', false, 'documentation placeholder credentials');
    d.put('git clone "https://${GIT_USER}:${GIT_TOKEN}@github.com/acme/infra.git"', 'basic-auth-url', false, 'values substituted from the environment');
    d.put('echo "see https://docs.acme-corp.io:8443/setup"', 'url-with-port', false, 'a port, not a password');
    save(d);
  }
  {
    const d = doc('.npmrc');
    d.add('registry=https://npm.internal.example/');
    d.put(`//npm.internal.example/:_authToken=${npmToken()}`, 'npmrc-auth-token', true);
    d.put('//npm.mirror.example/:_authToken=${NODE_AUTH_TOKEN}', 'npmrc-auth-token', false, 'value substituted from the environment');
    save(d);
  }

  // --- Generic: credential-named keys holding high-entropy literals, and placeholders.
  {
    const d = doc('app/settings.yaml');
    d.add('server:', '  port: 8080');
    d.put(`  session_secret: "${str(B62, 48)}"`, 'generic-secret', true);
    d.add('database:', '  host: pg-primary.prod.internal');
    d.put(`  password: "${pw(24)}"`, 'generic-password', true);
    d.add('payments:');
    d.put(`  api_key: ${str(B62, 40)}`, 'generic-api-key', true);
    d.put(`  client_secret: '${str(B64URL, 40)}'`, 'generic-client-secret', true);
    d.add('# look-alikes');
    d.put('  admin_password: changeme', 'generic-password', false, 'placeholder');
    d.put('  webhook_secret: <your-webhook-secret>', 'generic-secret', false, 'placeholder');
    d.put('  token: ${API_TOKEN}', 'generic-token', false, 'value substituted from the environment');
    d.put('  auth_token: xxxxxxxxxxxxxxxxxxxxxxxx', 'generic-token', false, 'placeholder made of x');
    d.put('  password_file: /run/secrets/db_password', 'generic-password', false, 'path to a secret file');
    d.put('  secret_name: prod/payments/api-key', 'generic-secret', false, 'name of a secret in a secret manager');
    d.put(`  api_key_sha256: ${hexs(64)}`, 'sha256', false, 'digest of a key, not the key');
    save(d);
  }
  {
    const d = doc('.env.production');
    d.put(`DJANGO_SECRET_KEY=${str(B62 + '!@#%^&*(-_=+)', 50)}`, 'generic-secret', true);
    d.put(`JWT_SIGNING_SECRET=${str(B64, 44)}`, 'generic-secret', true);
    d.add('DEBUG=false', 'ALLOWED_HOSTS=acme-corp.io');
    save(d);
  }

  // --- Decoys that are high entropy but not secrets.
  {
    const d = doc('package-lock.json');
    d.add('{', '  "name": "acme-web",', '  "lockfileVersion": 3,', '  "packages": {');
    for (const name of ['left-pad', 'lodash', 'yaml']) {
      d.add(`    "node_modules/${name}": {`, `      "version": "1.${str(DIGITS, 1)}.${str(DIGITS, 1)}",`, `      "resolved": "https://npm.internal.example/${name}/-/${name}-1.0.0.tgz",`);
      d.put(`      "integrity": "sha512-${bytes(64).toString('base64')}"`, 'lockfile-integrity', false, 'subresource integrity hash');
      d.add(`    }${name === 'yaml' ? '' : ','}`);
    }
    d.add('  }', '}');
    save(d);
  }
  {
    const d = doc('yarn.lock');
    d.add('# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.', '');
    d.add('left-pad@^1.3.0:', '  version "1.3.0"');
    d.put(`  resolved "https://npm.internal.example/left-pad/-/left-pad-1.3.0.tgz#${hexs(40)}"`, 'lockfile-resolved-sha1', false, 'tarball checksum');
    d.put(`  integrity sha512-${bytes(64).toString('base64')}`, 'lockfile-integrity', false, 'subresource integrity hash');
    save(d);
  }
  {
    const d = doc('web/index.html');
    d.add('<!doctype html>', '<html><body>');
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), bytes(600)]).toString('base64');
    d.put(`<img alt="logo" src="data:image/png;base64,${png}">`, 'base64-image', false, 'inline image');
    d.put(`<script src="/app.js" integrity="sha384-${bytes(48).toString('base64')}" crossorigin="anonymous"></script>`, 'sri-hash', false, 'subresource integrity hash');
    d.add('</body></html>');
    save(d);
  }
  {
    const d = doc('test/auth.test.js');
    d.add("import { verify } from '../src/auth.js';", '');
    const jwt = [b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' })), b64url(JSON.stringify({ sub: '1234567890', name: 'John Doe', iat: 1516239022 })), bytes(32).toString('base64url')].join('.');
    d.put(`const token = '${jwt}';`, 'jwt', false, 'JWT test string (signed test claims, not a credential)');
    d.put(`const user = { id: '${uuid()}', etag: '${hexs(32)}' };`, 'uuid', false, 'UUID and an ETag');
    d.put(`const commit = '${hexs(40)}';`, 'git-sha', false, 'commit SHA');
    d.put("const password = 'hunter2';", 'generic-password', false, 'test password too short and common to be a credential');
    d.add("test('verifies', () => { verify(token); });");
    save(d);
  }
  {
    const d = doc('README.md');
    d.add('# acme-web', '', 'Set your credentials before running:', '', '```sh');
    d.put('export GITHUB_TOKEN=<your-token>', 'placeholder', false, 'placeholder');
    d.put(`export AWS_ACCESS_KEY_ID=${P.akia}XXXXXXXXXXXXXXXX`, 'aws-placeholder', false, 'placeholder made of X');
    d.put('export OPENAI_API_KEY=sk-...', 'placeholder', false, 'placeholder');
    d.add('```');
    save(d);
  }

  return { files, labels };
}

/** Writes the tree under `outDir` (which must be absent or empty) and returns its labels. */
export function writeLabelled(outDir, seed) {
  const { files, labels } = buildLabelled(seed);
  if (fs.existsSync(outDir) && fs.readdirSync(outDir).length) throw new Error(`gen-labelled: ${outDir} is not empty`);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(outDir, rel)), { recursive: true });
    fs.writeFileSync(path.join(outDir, rel), text);
  }
  return labels;
}

/** The committed label list (no values), as written by --update. */
export const LABELS_FILE = path.join(import.meta.dirname, 'labels.json');
export const labelsJson = (labels) =>
  `{\n "generator": "bench/secrets/gen-labelled.mjs",\n "seed": "labelled-1",\n "labels": [\n${labels.map((l) => `  ${JSON.stringify(l)}`).join(',\n')}\n ]\n}\n`;

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [out, ...flags] = process.argv.slice(2);
  if (!out) { console.error('usage: node bench/secrets/gen-labelled.mjs OUT_DIR [--update]'); process.exit(2); }
  const labels = writeLabelled(out);
  if (flags.includes('--update')) fs.writeFileSync(LABELS_FILE, labelsJson(labels));
  const secrets = labels.filter((l) => l.secret).length;
  console.log(`gen-labelled: ${new Set(labels.map((l) => l.file)).size} files, ${secrets} planted secrets, ${labels.length - secrets} decoys -> ${out}`);
}
