/**
 * Known token formats, one entry each: what it is, where the provider documents the format (`source`),
 * the literal keywords that must appear on a line before its pattern is tried, the pattern (the secret is the
 * named group `secret`, or group 1), an optional structural/checksum check, and examples the tests run.
 *
 * Positive examples are assembled at run time from `fake.ts` parts: no complete token-shaped literal is committed.
 * Order matters: when two detections overlap, the earlier entry wins (specific formats before broad ones).
 */
import type { Confidence, Severity } from '../../core/types.js';
import { charClasses, hasGithubChecksum } from './checksum.js';
import { ALNUM, BASE32, BASE64, BASE64URL, BECH32, HEX, LETTERS, UPPER_ALNUM, UPPER_HEX, checksummed, fake, pemBlock } from './fake.js';
import { isMarkerPhrase, isWordLike } from './shape.js';
import { isDocumentationValue, isWeakValue } from './values.js';

/** Hosts that are nobody's server: RFC 2606 and RFC 6761 names (`example.com`, `*.test`, `*.invalid`, `localhost`) and loopback. */
const RESERVED_HOST = /^(localhost|127\.[\d.]+|0\.0\.0\.0|\[::1\])$|(^|\.)example\.(com|net|org)$|(^|\.)(example|test|invalid|localhost)$/i;

const percentDecoded = (v: string): string => {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
};

export interface SecretFormat {
  id: string;
  name: string;
  provider: string;
  /** The provider's documentation of the format. */
  source: string;
  /** Where the credential is revoked or rotated. */
  rotate: string;
  /** Case-sensitive literals; a line is tried against `pattern` only when it contains one. */
  keywords: readonly string[];
  pattern: RegExp;
  /** Structure or checksum check: false rejects the match, a confidence overrides the format's. */
  validate?: (value: string, match: RegExpExecArray) => boolean | Confidence;
  severity?: Severity;
  confidence?: Confidence;
  /** Multi-line formats: the pattern runs on this many characters from the keyword's line. */
  window?: { chars: number; anyLine?: boolean };
  /** Two-part credentials: the pattern finds the public half, `pair` the secret half within `lines` lines. */
  pair?: {
    pattern: RegExp;
    lines: number;
    label: string;
    lineFilter?: RegExp;
    validate?: (value: string) => boolean;
    /** What to report when only the public half is present. */
    unpaired: { severity: Severity; confidence: Confidence } | 'skip';
  };
  examples: { positive: string[]; negative: string[] };
}

const L = '(?<![A-Za-z0-9_])'; // a token starts at a word boundary …
const R = '(?![A-Za-z0-9_])'; // … and ends at one
const bounded = (body: string, left = L, right = R): RegExp => new RegExp(`${left}(${body})${right}`);

const githubChecksum = (v: string): boolean => hasGithubChecksum(v, 4);
const mixed = (v: string): boolean => charClasses(v) >= 3;

/** The base64 body of a PEM/OpenSSH/PGP block, without armour headers; undefined when it is not plausible key material. */
export function keyBody(block: string): string | undefined {
  const inner = block.replace(/^-----BEGIN [^\n]*?-----/, '').replace(/-----END [^\n]*?-----$/, '');
  const lines = inner.replace(/\\r|\\n/g, '\n').split(/\r?\n/).map((l) => l.trim());
  const body = lines.filter((l) => !/^[A-Za-z][A-Za-z0-9-]*:/.test(l) && !/^=[A-Za-z0-9+/]{4}$/.test(l)).join('');
  return /^[A-Za-z0-9+/]{64,}={0,2}$/.test(body) && !isDocumentationValue(body) ? body : undefined;
}


const crcBad = (token: string): string => token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');

export const SECRET_FORMATS: readonly SecretFormat[] = [
  ...(['p', 'o', 'u', 's', 'r'] as const).map((t, i): SecretFormat => {
    const kind = { p: 'personal access token (classic)', o: 'OAuth access token', u: 'GitHub App user-to-server token', s: 'GitHub App installation token', r: 'GitHub App refresh token' }[t];
    const prefix = `gh${t}_`;
    return {
      id: `github-${{ p: 'pat', o: 'oauth', u: 'user-to-server', s: 'server-to-server', r: 'refresh' }[t]}`,
      name: `GitHub ${kind}`,
      provider: 'GitHub',
      source: 'https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/',
      rotate: t === 'p' ? 'https://github.com/settings/tokens' : 'the GitHub App or OAuth app settings (revoke the token; rotate the app secret if it leaked too)',
      keywords: [prefix],
      pattern: bounded(`${prefix}[A-Za-z0-9]{36,251}`),
      // 40-character tokens carry a CRC-32 checksum; longer ones (refresh tokens) have no published structure.
      validate: (v) => (v.length === 40 ? githubChecksum(v) : 'medium'),
      ...(t === 's' ? { severity: 'high' as const } : {}),
      examples: {
        positive: [`GITHUB_TOKEN=${checksummed(prefix, 10 + i)}`, `git clone https://x:${checksummed(prefix, 20 + i)}@github.com/o/r`],
        negative: [`see ${crcBad(checksummed(prefix, 30 + i))} (checksum does not match)`, `prefix ${prefix} starts a token`, `id = "${prefix}${'x'.repeat(36)}"`],
      },
    };
  }),
  {
    id: 'github-fine-grained-pat',
    name: 'GitHub fine-grained personal access token',
    provider: 'GitHub',
    source: 'https://github.blog/security/application-security/introducing-fine-grained-personal-access-tokens-for-github/',
    rotate: 'https://github.com/settings/personal-access-tokens',
    keywords: ['github_pat_'],
    pattern: bounded('github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}'),
    examples: {
      positive: [`token: ${'github_' + 'pat_'}${fake(22, ALNUM, 40)}_${fake(59, ALNUM, 41)}`],
      negative: [`github_pat_${fake(22, ALNUM, 42)}`, 'Fine-grained tokens start with github_pat_ followed by 82 characters.'],
    },
  },
  ...(
    [
      ['gitlab-pat', 'GitLab personal, project or group access token', 'glpat-', '[A-Za-z0-9_-]{20,64}(?:\\.[0-9a-z]{2}\\.[0-9a-z]{7,12})?', 'the user, project or group Access Tokens settings'],
      ['gitlab-deploy-token', 'GitLab deploy token', 'gldt-', '[A-Za-z0-9_-]{20,64}', 'the project or group Repository → Deploy tokens settings'],
      ['gitlab-runner-token', 'GitLab runner authentication token', 'glrt-', '[A-Za-z0-9_-]{20,64}(?:\\.[0-9a-z]{2}\\.[0-9a-z]{7,12})?', 'the runner settings (reset the token)'],
      ['gitlab-trigger-token', 'GitLab pipeline trigger token', 'glptt-', '[0-9a-f]{40}', 'the project CI/CD → Pipeline trigger tokens settings'],
      ['gitlab-oauth-secret', 'GitLab OAuth application secret', 'gloas-', '[0-9a-f]{64}', 'the OAuth application settings (renew the secret)'],
    ] as const
  ).map(
    ([id, name, prefix, body, rotate], i): SecretFormat => ({
      id,
      name,
      provider: 'GitLab',
      source: 'https://docs.gitlab.com/security/tokens/#token-prefixes',
      rotate,
      keywords: [prefix],
      pattern: bounded(`${prefix}${body}`, '(?<![A-Za-z0-9_-])', '(?![A-Za-z0-9_-])'),
      validate: (v) => /[0-9]/.test(v.slice(prefix.length)) && /[a-z]/i.test(v.slice(prefix.length)),
      examples: {
        positive: [`GITLAB_TOKEN="${prefix}${body.includes('0-9a-f') ? fake(body.includes('64') ? 64 : 40, HEX, 50 + i) : fake(20, ALNUM, 50 + i)}"`],
        negative: [`${prefix}xxxxxxxxxxxxxxxxxxxx`, `Tokens start with ${prefix} by default.`],
      },
    }),
  ),
  {
    id: 'aws-access-key',
    name: 'AWS access key',
    provider: 'AWS',
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids',
    rotate: 'IAM → Users → Security credentials (deactivate and delete the key, then check CloudTrail for its use)',
    keywords: ['AKIA', 'ASIA', 'ABIA', 'ACCA'],
    pattern: bounded('(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}', '(?<![A-Za-z0-9])', '(?![A-Za-z0-9])'),
    pair: {
      pattern: /(?<![A-Za-z0-9/+=])([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/,
      lines: 5,
      label: 'the access key id',
      // a secret access key mixes cases and digits; a 40-hex git SHA does not
      validate: (v) => /[a-z]/.test(v) && /[A-Z]/.test(v) && /[0-9]/.test(v) && !/^[0-9a-f]+$/i.test(v),
      // The id alone is not a secret (AWS: "not secret"), but its secret key is probably close by or in another file.
      unpaired: { severity: 'medium', confidence: 'medium' },
    },
    examples: {
      positive: [
        `aws_access_key_id = AKIA${fake(16, BASE32, 60)}\naws_secret_access_key = ${fake(40, BASE64, 61)}\n`,
        `export AWS_ACCESS_KEY_ID=ASIA${fake(16, BASE32, 62)}`,
      ],
      negative: [
        'aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n',
        `commit ${fake(40, HEX, 63)} and arn:aws:iam::123456789012:user/AKIA`,
      ],
    },
  },
  {
    id: 'gcp-service-account-key',
    name: 'Google Cloud service account key',
    provider: 'Google Cloud',
    source: 'https://cloud.google.com/iam/docs/keys-create-delete',
    rotate: 'IAM & Admin → Service accounts → Keys (delete the key; prefer workload identity federation)',
    keywords: ['"service_account"'],
    window: { chars: 8000, anyLine: true },
    pattern: /"private_key"\s*:\s*"(-----BEGIN PRIVATE KEY-----(?:\\n|[A-Za-z0-9+/=]){64,6000}?-----END PRIVATE KEY-----(?:\\n)?)"/,
    validate: (v) => keyBody(v.replace(/\\n$/, '')) !== undefined,
    examples: {
      positive: [
        `{\n  "type": "service_account",\n  "project_id": "demo",\n  "private_key_id": "${fake(40, HEX, 70)}",\n  "private_key": "${pemBlock('PRIVATE KEY', 6, 71, '\\n')}\\n",\n  "client_email": "ci@demo.iam.gserviceaccount.com"\n}\n`,
      ],
      negative: ['{\n  "type": "service_account",\n  "private_key": "-----BEGIN PRIVATE KEY-----\\n...\\n-----END PRIVATE KEY-----\\n"\n}\n'],
    },
  },
  {
    id: 'google-api-key',
    name: 'Google API key',
    provider: 'Google Cloud',
    source: 'https://cloud.google.com/docs/authentication/api-keys',
    rotate: 'APIs & Services → Credentials (regenerate or delete the key, and restrict the new one)',
    keywords: ['AIza'],
    pattern: bounded('AIza[0-9A-Za-z_-]{35}', '(?<![A-Za-z0-9_+/-])', '(?![A-Za-z0-9_-])'),
    severity: 'high',
    examples: {
      positive: [`const mapsKey = "AIza${fake(35, BASE64URL, 80)}";`],
      negative: [`AIza${fake(20, ALNUM, 81)}`, 'keys look like AIza… (39 characters)'],
    },
  },
  {
    id: 'google-oauth-client-secret',
    name: 'Google OAuth client secret',
    provider: 'Google Cloud',
    source: 'https://support.google.com/cloud/answer/15549257',
    rotate: 'APIs & Services → Credentials → OAuth client (add a new secret, then disable the old one)',
    keywords: ['GOCSPX-'],
    pattern: bounded('GOCSPX-[A-Za-z0-9_-]{28}', '(?<![A-Za-z0-9_-])', '(?![A-Za-z0-9_-])'),
    examples: { positive: [`client_secret=GOCSPX-${fake(28, BASE64URL, 85)}`], negative: ['GOCSPX-xxxxxxxxxxxxxxxxxxxxxxxxxxxx'] },
  },
  {
    id: 'azure-storage-key',
    name: 'Azure storage account key',
    provider: 'Microsoft Azure',
    source: 'https://learn.microsoft.com/en-us/azure/storage/common/storage-configure-connection-string',
    rotate: 'Storage account → Security + networking → Access keys (rotate the key; prefer Entra ID or SAS with expiry)',
    keywords: ['AccountKey', 'accountKey', 'account_key', 'ACCOUNT_KEY', 'StorageKey', 'storageKey', 'storage_key', 'STORAGE_KEY'],
    pattern: bounded('[A-Za-z0-9+/]{86}==', '(?<![A-Za-z0-9+/])', '(?![A-Za-z0-9+/=])'),
    examples: {
      positive: [
        `AZURE_STORAGE_CONNECTION_STRING="DefaultEndpointsProtocol=https;AccountName=demo;AccountKey=${fake(86, BASE64, 90)}==;EndpointSuffix=core.windows.net"`,
        `storage_key: ${fake(86, BASE64, 91)}==`,
      ],
      negative: ['DefaultEndpointsProtocol=https;AccountName=devstoreaccount1;AccountKey=<account-key>;', `sha512 ${fake(86, BASE64, 92)}==`],
    },
  },
  {
    id: 'azure-shared-access-key',
    name: 'Azure Service Bus / Event Hubs / IoT Hub shared access key',
    provider: 'Microsoft Azure',
    source: 'https://learn.microsoft.com/en-us/azure/service-bus-messaging/service-bus-sas',
    rotate: 'the namespace or hub → Shared access policies (regenerate the key; prefer Entra ID)',
    keywords: ['SharedAccessKey='],
    pattern: /SharedAccessKey=([A-Za-z0-9+/]{43}=)(?![A-Za-z0-9+/=])/,
    examples: {
      positive: [`Endpoint=sb://demo.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=${fake(43, BASE64, 95)}=`],
      negative: ['Endpoint=sb://demo.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=${SB_KEY}'],
    },
  },
  {
    id: 'slack-token',
    name: 'Slack token',
    provider: 'Slack',
    source: 'https://api.slack.com/authentication/token-types',
    rotate: 'the app\'s OAuth & Permissions page (revoke tokens / reinstall) or https://api.slack.com/methods/auth.revoke',
    keywords: ['xoxb-', 'xoxp-', 'xoxa-', 'xoxo-', 'xoxr-', 'xoxs-', 'xoxe-', 'xoxe.'],
    pattern: bounded('(?:xoxe\\.)?xox[abeoprs]-(?:[0-9]{1,16}-){1,4}[A-Za-z0-9]{10,250}', '(?<![A-Za-z0-9_.-])', '(?![A-Za-z0-9_-])'),
    examples: {
      positive: [`SLACK_BOT_TOKEN=xoxb-${fake(11, '0123456789', 100)}-${fake(13, '0123456789', 101)}-${fake(24, ALNUM, 102)}`],
      negative: ['SLACK_BOT_TOKEN=xoxb-your-token-here', 'SLACK_BOT_TOKEN=xoxb-0000000000-0000000000000-xxxxxxxxxxxxxxxxxxxxxxxx'],
    },
  },
  {
    id: 'slack-app-token',
    name: 'Slack app-level token',
    provider: 'Slack',
    source: 'https://api.slack.com/authentication/token-types#app-level',
    rotate: 'the app\'s Basic Information → App-Level Tokens (revoke and regenerate)',
    keywords: ['xapp-'],
    pattern: bounded('xapp-[0-9]-[A-Z0-9]{9,12}-[0-9]{10,16}-[a-f0-9]{64}', '(?<![A-Za-z0-9_-])'),
    examples: {
      positive: [`SLACK_APP_TOKEN=xapp-1-A${fake(10, UPPER_ALNUM, 105)}-${fake(13, '0123456789', 106)}-${fake(64, HEX, 107)}`],
      negative: ['SLACK_APP_TOKEN=xapp-1-...'],
    },
  },
  {
    id: 'slack-webhook',
    name: 'Slack incoming webhook URL',
    provider: 'Slack',
    source: 'https://api.slack.com/messaging/webhooks',
    rotate: 'the app\'s Incoming Webhooks page (remove the webhook and add a new one)',
    keywords: ['hooks.slack.com'],
    // the secret is the path after the fixed host and kind
    pattern: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/(?<secret>T[A-Z0-9]{8,12}\/[A-Z0-9]{8,12}\/[A-Za-z0-9]{20,32})(?![A-Za-z0-9])/,
    examples: {
      positive: [`webhook: https://hooks.slack.com/services/T${fake(10, UPPER_ALNUM, 110)}/B${fake(10, UPPER_ALNUM, 111)}/${fake(24, ALNUM, 112)}`],
      negative: ['webhook: https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX', 'https://hooks.slack.com/services/…'],
    },
  },
  ...(
    [
      ['stripe-live-secret-key', 'Stripe live secret key', 'sk_live_', 'critical', 120],
      ['stripe-live-restricted-key', 'Stripe live restricted key', 'rk_live_', 'critical', 121],
      // Test-mode keys reach only test data: reported, but low.
      ['stripe-test-secret-key', 'Stripe test-mode secret key', 'sk_test_', 'low', 122],
    ] as const
  ).map(
    ([id, name, prefix, severity, seed]): SecretFormat => ({
      id,
      name,
      provider: 'Stripe',
      source: 'https://docs.stripe.com/keys',
      rotate: 'Dashboard → Developers → API keys (roll the key)',
      keywords: [prefix],
      pattern: bounded(`${prefix}[0-9A-Za-z]{24,247}`),
      validate: mixed,
      severity,
      examples: {
        positive: [`Stripe::api_key = "${prefix.slice(0, 3)}${prefix.slice(3)}${fake(24, ALNUM, seed)}"`],
        negative: [`${prefix}${'x'.repeat(24)}`, `keys begin with ${prefix}`],
      },
    }),
  ),
  {
    id: 'stripe-webhook-secret',
    name: 'Stripe webhook signing secret',
    provider: 'Stripe',
    source: 'https://docs.stripe.com/webhooks#verify-events',
    rotate: 'Dashboard → Developers → Webhooks → the endpoint (roll the signing secret)',
    keywords: ['whsec_'],
    pattern: bounded('whsec_[A-Za-z0-9+/=]{32,64}', L, '(?![A-Za-z0-9_+/=])'),
    validate: mixed,
    severity: 'high',
    examples: { positive: [`STRIPE_WEBHOOK_SECRET=whsec_${fake(32, ALNUM, 125)}`], negative: ['STRIPE_WEBHOOK_SECRET=whsec_...'] },
  },
  {
    id: 'twilio-api-key',
    name: 'Twilio API key SID',
    provider: 'Twilio',
    source: 'https://www.twilio.com/docs/iam/api-keys',
    rotate: 'Console → Account → API keys & tokens (delete the key)',
    keywords: ['SK'],
    pattern: bounded('SK[0-9a-f]{32}', '(?<![A-Za-z0-9])', '(?![A-Za-z0-9])'),
    severity: 'high',
    confidence: 'medium',
    examples: { positive: [`TWILIO_API_KEY=SK${fake(32, HEX, 130)}`], negative: [`TASK${fake(32, HEX, 131)}`, 'SKU-1234'] },
  },
  {
    id: 'twilio-auth-token',
    name: 'Twilio account auth token',
    provider: 'Twilio',
    source: 'https://www.twilio.com/docs/iam/credentials/api',
    rotate: 'Console → Account → API keys & tokens (promote a secondary auth token)',
    keywords: ['AC'],
    pattern: bounded('AC[0-9a-f]{32}', '(?<![A-Za-z0-9])', '(?![A-Za-z0-9])'),
    // The account SID is an identifier; the auth token next to it is the secret.
    pair: { pattern: /(?<![A-Za-z0-9])([0-9a-f]{32})(?![A-Za-z0-9])/, lines: 3, label: 'the account SID', lineFilter: /token|auth|secret/i, unpaired: 'skip' },
    examples: {
      positive: [`TWILIO_ACCOUNT_SID=AC${fake(32, HEX, 135)}\nTWILIO_AUTH_TOKEN=${fake(32, HEX, 136)}\n`],
      negative: [`TWILIO_ACCOUNT_SID=AC${fake(32, HEX, 137)}\nTWILIO_AUTH_TOKEN=\${TWILIO_AUTH_TOKEN}\n`],
    },
  },
  {
    id: 'sendgrid-api-key',
    name: 'SendGrid API key',
    provider: 'Twilio SendGrid',
    source: 'https://www.twilio.com/docs/sendgrid/ui/account-and-settings/api-keys',
    rotate: 'Settings → API Keys (delete the key)',
    keywords: ['SG.'],
    pattern: bounded('SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}', '(?<![A-Za-z0-9_.-])', '(?![A-Za-z0-9_-])'),
    examples: { positive: [`SENDGRID_API_KEY=SG.${fake(22, BASE64URL, 140)}.${fake(43, BASE64URL, 141)}`], negative: ['SENDGRID_API_KEY=SG.xxxxxxxx.yyyyyyyy'] },
  },
  {
    id: 'mailgun-api-key',
    name: 'Mailgun API key',
    provider: 'Mailgun',
    source: 'https://documentation.mailgun.com/docs/mailgun/api-reference/authentication',
    rotate: 'Account settings → API security (delete the key)',
    keywords: ['key-'],
    pattern: bounded('key-[0-9a-f]{32}', '(?<![A-Za-z0-9_-])', '(?![A-Za-z0-9_-])'),
    examples: { positive: [`MAILGUN_API_KEY=key-${fake(32, HEX, 145)}`], negative: ['primary-key-rotation', `public-key-${fake(10, HEX, 146)}`] },
  },
  {
    id: 'mailchimp-api-key',
    name: 'Mailchimp API key',
    provider: 'Mailchimp (Intuit)',
    source: 'https://mailchimp.com/developer/marketing/guides/quick-start/#generate-your-api-key',
    rotate: 'Profile → Extras → API keys (disable the key)',
    keywords: ['-us'],
    pattern: bounded('[0-9a-f]{32}-us[0-9]{1,2}', '(?<![A-Za-z0-9_-])', '(?![A-Za-z0-9_-])'),
    examples: { positive: [`mailchimp_key: ${fake(32, HEX, 150)}-us21`], negative: ['region: en-us1', `${fake(16, HEX, 151)}-us21`] },
  },
  {
    id: 'npm-token',
    name: 'npm access token',
    provider: 'npm',
    source: 'https://github.blog/changelog/2021-09-23-npm-has-a-new-access-token-format/',
    rotate: 'https://www.npmjs.com/settings/~/tokens (delete the token; prefer trusted publishing)',
    keywords: ['npm_'],
    pattern: bounded('npm_[A-Za-z0-9]{36}'),
    validate: githubChecksum,
    examples: {
      positive: [`//npm.internal.example/:_authToken=${checksummed('np' + 'm_', 155)}`],
      negative: [`//npm.internal.example/:_authToken=${crcBad(checksummed('np' + 'm_', 156))}`, '//npm.internal.example/:_authToken=${NPM_TOKEN}'],
    },
  },
  {
    id: 'pypi-token',
    name: 'PyPI API token',
    provider: 'PyPI',
    source: 'https://packaging.python.org/en/latest/specifications/pypirc/',
    rotate: 'the API tokens page of your PyPI account settings (remove the token; prefer trusted publishing)',
    keywords: ['pypi-AgEIcHlwaS5vcmc', 'pypi-AgENdGVzdC5weXBpLm9yZw'],
    pattern: bounded('pypi-(?:AgEIcHlwaS5vcmc|AgENdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,1000}', '(?<![A-Za-z0-9_-])', '(?![A-Za-z0-9_-])'),
    examples: { positive: [`password = pypi-AgEIcHlwaS5vcmc${fake(120, BASE64URL, 160)}`], negative: ['password = pypi-AgEIcHlwaS5vcmc...'] },
  },
  {
    id: 'docker-hub-token',
    name: 'Docker Hub access token',
    provider: 'Docker',
    source: 'https://docs.docker.com/security/access-tokens/',
    rotate: 'Docker Hub → Account settings → Personal access tokens (delete the token)',
    keywords: ['dckr_pat_', 'dckr_oat_'],
    pattern: bounded('dckr_(?:pat|oat)_[A-Za-z0-9_-]{27,40}', L, '(?![A-Za-z0-9_-])'),
    examples: { positive: [`echo dckr_pat_${fake(27, BASE64URL, 165)} | docker login -u ci --password-stdin`], negative: ['DOCKERHUB_TOKEN=dckr_pat_xxxxxxxxxxxxxxxxxxxxxxxxxxx'] },
  },
  {
    id: 'openai-api-key',
    name: 'OpenAI API key',
    provider: 'OpenAI',
    source: 'https://platform.openai.com/docs/api-reference/authentication',
    rotate: 'https://platform.openai.com/api-keys (revoke the key)',
    keywords: ['sk-proj-', 'sk-svcacct-', 'sk-admin-', 'T3BlbkFJ'],
    pattern: bounded('sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{58,250}|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}', '(?<![A-Za-z0-9_-])', '(?![A-Za-z0-9_-])'),
    validate: mixed,
    examples: {
      positive: [`OPENAI_API_KEY=sk-proj-${fake(74, BASE64URL, 170)}T3Blbk` + `FJ${fake(74, BASE64URL, 171)}`, `openai.api_key = "sk-${fake(20, ALNUM, 172)}T3Blbk` + `FJ${fake(20, ALNUM, 173)}"`],
      negative: ['OPENAI_API_KEY=sk-proj-...', 'OPENAI_API_KEY=sk-xxxxxxxx'],
    },
  },
  {
    id: 'anthropic-api-key',
    name: 'Anthropic API key',
    provider: 'Anthropic',
    source: 'https://docs.anthropic.com/en/api/overview#authentication',
    rotate: 'https://console.anthropic.com/settings/keys (delete the key)',
    keywords: ['sk-ant-'],
    pattern: bounded('sk-ant-(?:api|admin)[0-9]{2}-[A-Za-z0-9_-]{80,120}AA', '(?<![A-Za-z0-9_-])', '(?![A-Za-z0-9_-])'),
    examples: { positive: [`ANTHROPIC_API_KEY=sk-ant-api03-${fake(93, BASE64URL, 175)}AA`], negative: ['ANTHROPIC_API_KEY=sk-ant-api03-...'] },
  },
  {
    id: 'huggingface-token',
    name: 'Hugging Face access token',
    provider: 'Hugging Face',
    source: 'https://huggingface.co/docs/hub/security-tokens',
    rotate: 'https://huggingface.co/settings/tokens (invalidate and refresh the token)',
    keywords: ['hf_', 'api_org_'],
    pattern: bounded('(?:hf_|api_org_)[A-Za-z]{34}'),
    validate: (v) => /[A-Z]/.test(v.slice(3)) && /[a-z]/.test(v.slice(3)),
    examples: { positive: [`HF_TOKEN=hf_${fake(34, LETTERS, 180)}`], negative: ['hf_hub_download_and_cache_snapshots', `hf_${'x'.repeat(34)}`] },
  },
  {
    id: 'databricks-token',
    name: 'Databricks personal access token',
    provider: 'Databricks',
    source: 'https://docs.databricks.com/aws/en/dev-tools/auth/pat',
    rotate: 'User settings → Developer → Access tokens (revoke the token; prefer OAuth M2M)',
    keywords: ['dapi'],
    pattern: bounded('dapi[0-9a-f]{32}(?:-[0-9])?', '(?<![A-Za-z0-9_-])', '(?![A-Za-z0-9_-])'),
    examples: { positive: [`DATABRICKS_TOKEN=dapi${fake(32, HEX, 185)}`], negative: ['dapi_client = make_dapi()', `dapi${fake(16, HEX, 186)}`] },
  },
  {
    id: 'shopify-token',
    name: 'Shopify access token or shared secret',
    provider: 'Shopify',
    source: 'https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/generate-app-access-tokens-admin',
    rotate: 'the app\'s API credentials in the Shopify admin or Partner dashboard (rotate the token or secret)',
    keywords: ['shpat_', 'shpca_', 'shppa_', 'shpss_'],
    pattern: bounded('shp(?:at|ca|pa|ss)_[0-9a-fA-F]{32}'),
    examples: { positive: [`SHOPIFY_ACCESS_TOKEN=shpat_${fake(32, HEX, 190)}`], negative: ['SHOPIFY_ACCESS_TOKEN=shpat_<token>'] },
  },
  {
    id: 'telegram-bot-token',
    name: 'Telegram bot token',
    provider: 'Telegram',
    source: 'https://core.telegram.org/bots/api#authorizing-your-bot',
    rotate: '@BotFather → /revoke',
    // the secret half always starts with "AA": a cheap keyword for an otherwise keyword-less format
    keywords: [':AA'],
    pattern: bounded('[0-9]{8,10}:AA[A-Za-z0-9_-]{33}', '(?<![A-Za-z0-9_-])', '(?![A-Za-z0-9_-])'),
    examples: { positive: [`TELEGRAM_BOT_TOKEN=${fake(10, '123456789', 195)}:AA${fake(33, BASE64URL, 196)}`], negative: ['time 12345678:AAAA', 'TELEGRAM_BOT_TOKEN=123456789:AA...'] },
  },
  {
    id: 'discord-bot-token',
    name: 'Discord bot token',
    provider: 'Discord',
    source: 'https://discord.com/developers/docs/reference#authentication',
    rotate: 'Developer Portal → the application → Bot → Reset Token',
    // no literal prefix: only lines that mention Discord are tried
    keywords: ['discord', 'Discord', 'DISCORD'],
    pattern: bounded('[MNO][A-Za-z0-9_-]{23,25}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,38}', '(?<![A-Za-z0-9_.-])', '(?![A-Za-z0-9_.-])'),
    validate: mixed,
    examples: { positive: [`DISCORD_BOT_TOKEN=M${fake(25, ALNUM, 200)}.${fake(6, BASE64URL, 201)}.${fake(38, ALNUM, 202)}`], negative: ['DISCORD_BOT_TOKEN=MTxxxxxxxxxx.xxxxxx.xxxxxxxx'] },
  },
  {
    id: 'discord-webhook',
    name: 'Discord webhook URL',
    provider: 'Discord',
    source: 'https://discord.com/developers/docs/resources/webhook#execute-webhook',
    rotate: 'Server settings → Integrations → Webhooks (delete the webhook)',
    keywords: ['/api/webhooks/'],
    pattern: /https:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/(?<secret>[0-9]{17,20}\/[A-Za-z0-9_-]{60,68})(?![A-Za-z0-9_-])/,
    examples: {
      positive: [`DISCORD_WEBHOOK=https://discord.com/api/webhooks/${fake(19, '0123456789', 205)}/${fake(68, BASE64URL, 206)}`],
      negative: ['DISCORD_WEBHOOK=https://discord.com/api/webhooks/{id}/{token}'],
    },
  },
  {
    id: 'openssh-private-key',
    name: 'OpenSSH private key',
    provider: 'SSH',
    source: 'https://github.com/openssh/openssh-portable/blob/master/PROTOCOL.key',
    rotate: 'every authorized_keys, deploy-key and host list that trusts its public key (remove it there, generate a new key pair)',
    keywords: ['BEGIN OPENSSH PRIVATE KEY'],
    window: { chars: 60000 },
    pattern: /(-----BEGIN OPENSSH PRIVATE KEY-----[\s\S]{64,60000}?-----END OPENSSH PRIVATE KEY-----)/,
    // the body is base64 of the "openssh-key-v1" magic
    validate: (v) => keyBody(v)?.startsWith('b3BlbnNzaC1rZXktdjE') ?? false,
    examples: {
      positive: [pemBlock('OPENSSH PRIVATE KEY', 5, 210).replace(/(KEY-----\n)/, '$1b3BlbnNzaC1rZXktdjEAAAAA')],
      negative: ['-----BEGIN OPENSSH PRIVATE KEY-----\n...\n-----END OPENSSH PRIVATE KEY-----', 'Save it as `-----BEGIN OPENSSH PRIVATE KEY-----` text.'],
    },
  },
  {
    id: 'pgp-private-key',
    name: 'PGP private key block',
    provider: 'OpenPGP',
    source: 'https://www.rfc-editor.org/rfc/rfc4880#section-6.2',
    rotate: 'the key\'s keyservers and trust stores (publish a revocation certificate, generate a new key)',
    keywords: ['BEGIN PGP PRIVATE KEY BLOCK'],
    window: { chars: 60000 },
    pattern: /(-----BEGIN PGP PRIVATE KEY BLOCK-----[\s\S]{64,60000}?-----END PGP PRIVATE KEY BLOCK-----)/,
    validate: (v) => keyBody(v) !== undefined,
    examples: {
      positive: [pemBlock('PGP PRIVATE KEY BLOCK', 8, 215).replace(/(BLOCK-----\n)/, '$1Version: GnuPG v2\n\n')],
      negative: ['gpg --armor --export-secret-keys > key.asc  # writes -----BEGIN PGP PRIVATE KEY BLOCK-----'],
    },
  },
  {
    id: 'pem-private-key',
    name: 'private key (PEM)',
    provider: 'PKI',
    source: 'https://www.rfc-editor.org/rfc/rfc7468#section-10',
    rotate: 'whatever trusts its public key or certificate (revoke the certificate, replace the key pair)',
    keywords: ['PRIVATE KEY-----'],
    window: { chars: 60000 },
    pattern: /(-----BEGIN ((?:RSA |EC |DSA |ENCRYPTED )?)PRIVATE KEY-----[\s\S]{64,60000}?-----END \2PRIVATE KEY-----)/,
    validate: (v) => keyBody(v) !== undefined,
    examples: {
      positive: [pemBlock('RSA PRIVATE KEY', 6, 220), `key: "${pemBlock('PRIVATE KEY', 4, 221, '\\n')}"`, pemBlock('EC PRIVATE KEY', 3, 222, '\r\n')],
      negative: ['-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA...\n-----END RSA PRIVATE KEY-----', 'if (pem.startsWith("-----BEGIN PRIVATE KEY-----")) {', pemBlock('PUBLIC KEY', 4, 223)],
    },
  },
  {
    id: 'heroku-api-key',
    name: 'Heroku API key',
    provider: 'Heroku',
    source: 'https://devcenter.heroku.com/articles/authentication',
    rotate: 'Account settings → API key (regenerate) or `heroku authorizations:revoke`',
    keywords: ['HRKU-'],
    pattern: bounded('HRKU-AA[0-9A-Za-z_-]{58}', '(?<![A-Za-z0-9_-])', '(?![A-Za-z0-9_-])'),
    examples: { positive: [`HEROKU_API_KEY=HRKU-AA${fake(58, BASE64URL, 225)}`], negative: ['HEROKU_API_KEY=HRKU-AA...'] },
  },
  {
    id: 'digitalocean-token',
    name: 'DigitalOcean token',
    provider: 'DigitalOcean',
    source: 'https://docs.digitalocean.com/reference/api/create-personal-access-token/',
    rotate: 'API → Tokens (delete the token)',
    keywords: ['dop_v1_', 'doo_v1_', 'dor_v1_'],
    pattern: bounded('do[opr]_v1_[a-f0-9]{64}'),
    examples: { positive: [`DIGITALOCEAN_TOKEN=dop_v1_${fake(64, HEX, 230)}`], negative: ['DIGITALOCEAN_TOKEN=dop_v1_${TOKEN}'] },
  },
  {
    id: 'linear-api-key',
    name: 'Linear API key',
    provider: 'Linear',
    source: 'https://linear.app/developers/graphql#personal-api-keys',
    rotate: 'Settings → Security & access → Personal API keys (revoke)',
    keywords: ['lin_api_'],
    pattern: bounded('lin_api_[A-Za-z0-9]{40}'),
    examples: { positive: [`LINEAR_API_KEY=lin_api_${fake(40, ALNUM, 235)}`], negative: ['LINEAR_API_KEY=lin_api_xxxxxxxx'] },
  },
  {
    id: 'notion-token',
    name: 'Notion integration token',
    provider: 'Notion',
    source: 'https://developers.notion.com/docs/authorization',
    rotate: 'https://www.notion.so/my-integrations (refresh the integration secret)',
    keywords: ['secret_', 'ntn_'],
    pattern: bounded('secret_[A-Za-z0-9]{43}|ntn_[0-9]{11}[A-Za-z0-9]{35}'),
    validate: mixed,
    examples: { positive: [`NOTION_TOKEN=ntn_${fake(11, '0123456789', 240)}${fake(35, ALNUM, 241)}`, `notion = Client(auth="secret_${fake(43, ALNUM, 242)}")`], negative: ['secret_key_base_for_development_only_do_not_use'] },
  },
  {
    id: 'atlassian-api-token',
    name: 'Atlassian API token',
    provider: 'Atlassian',
    source: 'https://support.atlassian.com/atlassian-account/docs/manage-api-tokens-for-your-atlassian-account/',
    rotate: 'https://id.atlassian.com/manage-profile/security/api-tokens (revoke)',
    keywords: ['ATATT'],
    pattern: bounded('ATATT[A-Za-z0-9_=-]{150,250}', '(?<![A-Za-z0-9_-])', '(?![A-Za-z0-9_=-])'),
    validate: mixed,
    examples: { positive: [`JIRA_API_TOKEN=ATATT3xFfGF0${fake(171, BASE64URL, 245)}=${fake(8, UPPER_HEX, 246)}`], negative: ['JIRA_API_TOKEN=ATATT3...'] },
  },
  {
    id: 'sentry-token',
    name: 'Sentry auth token',
    provider: 'Sentry',
    source: 'https://docs.sentry.io/account/auth-tokens/',
    rotate: 'Settings → Auth Tokens / Organization Tokens (revoke)',
    keywords: ['sntrys_', 'sntryu_'],
    pattern: bounded('sntrys_eyJ[A-Za-z0-9+/=_-]{50,500}|sntryu_[0-9a-f]{64}', L, '(?![A-Za-z0-9_+/=-])'),
    examples: { positive: [`SENTRY_AUTH_TOKEN=sntryu_${fake(64, HEX, 250)}`, `SENTRY_AUTH_TOKEN=sntrys_eyJ${fake(80, BASE64, 251)}_${fake(43, BASE64, 252)}`], negative: ['SENTRY_AUTH_TOKEN=sntrys_...'] },
  },
  {
    id: 'vault-token',
    name: 'HashiCorp Vault token',
    provider: 'HashiCorp Vault',
    source: 'https://developer.hashicorp.com/vault/docs/concepts/tokens#token-prefixes',
    rotate: 'vault token revoke (and revoke its accessor\'s children)',
    keywords: ['hvs.', 'hvb.'],
    pattern: bounded('hv[sb]\\.[A-Za-z0-9_-]{90,300}', '(?<![A-Za-z0-9_.-])', '(?![A-Za-z0-9_.-])'),
    examples: { positive: [`VAULT_TOKEN=hvs.CAESI${fake(100, BASE64URL, 255)}`], negative: ['VAULT_TOKEN=hvs.xxxxx', 'see docs for hvs.* tokens'] },
  },
  {
    id: 'terraform-cloud-token',
    name: 'HCP Terraform / Terraform Enterprise API token',
    provider: 'HashiCorp',
    source: 'https://developer.hashicorp.com/terraform/cloud-docs/users-teams-organizations/api-tokens',
    rotate: 'User / team / organization settings → Tokens (delete the token)',
    keywords: ['.atlasv1.'],
    pattern: bounded('[A-Za-z0-9]{14}\\.atlasv1\\.[A-Za-z0-9_=-]{60,70}', L, '(?![A-Za-z0-9_=-])'),
    examples: { positive: [`token = "${fake(14, ALNUM, 260)}.atlasv1.${fake(67, BASE64URL, 261)}"`], negative: ['token = "xxxxxxxxxxxxxx.atlasv1.xxxxxxxx"'] },
  },
  {
    id: 'doppler-token',
    name: 'Doppler token',
    provider: 'Doppler',
    source: 'https://docs.doppler.com/reference/api#authentication',
    rotate: 'the Doppler dashboard → Tokens / the config\'s Access tab (revoke)',
    keywords: ['dp.pt.', 'dp.st.', 'dp.ct.', 'dp.sa.', 'dp.scim.', 'dp.audit.'],
    pattern: bounded('dp\\.(?:pt|ct|sa|scim|audit)\\.[A-Za-z0-9]{40,44}|dp\\.st\\.(?:[a-z0-9_-]{2,35}\\.)?[A-Za-z0-9]{40,44}', '(?<![A-Za-z0-9_.-])'),
    examples: { positive: [`DOPPLER_TOKEN=dp.st.prd.${fake(43, ALNUM, 265)}`, `DOPPLER_TOKEN=dp.pt.${fake(43, ALNUM, 266)}`], negative: ['DOPPLER_TOKEN=dp.st.xxxx'] },
  },
  {
    id: 'pulumi-token',
    name: 'Pulumi access token',
    provider: 'Pulumi',
    source: 'https://www.pulumi.com/docs/pulumi-cloud/access-management/access-tokens/',
    rotate: 'Pulumi Cloud → Access tokens (delete the token)',
    keywords: ['pul-'],
    pattern: bounded('pul-[a-f0-9]{40}', '(?<![A-Za-z0-9_-])'),
    examples: { positive: [`PULUMI_ACCESS_TOKEN=pul-${fake(40, HEX, 270)}`], negative: ['pul-request', 'PULUMI_ACCESS_TOKEN=pul-...'] },
  },
  {
    id: 'postman-api-key',
    name: 'Postman API key',
    provider: 'Postman',
    source: 'https://learning.postman.com/docs/developer/postman-api/authentication/',
    rotate: 'Postman → Settings → API keys (revoke)',
    keywords: ['PMAK-'],
    pattern: bounded('PMAK-[a-f0-9]{24}-[a-f0-9]{34}', '(?<![A-Za-z0-9_-])'),
    examples: { positive: [`POSTMAN_API_KEY=PMAK-${fake(24, HEX, 275)}-${fake(34, HEX, 276)}`], negative: ['POSTMAN_API_KEY=PMAK-xxxxxxxx'] },
  },
  {
    id: 'grafana-token',
    name: 'Grafana service account or Cloud token',
    provider: 'Grafana Labs',
    source: 'https://grafana.com/docs/grafana/latest/administration/service-accounts/',
    rotate: 'Administration → Service accounts (delete the token), or Grafana Cloud → Access policies',
    keywords: ['glsa_', 'glc_'],
    pattern: bounded('glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}|glc_eyJ[A-Za-z0-9+/=]{60,400}', L, '(?![A-Za-z0-9_+/=])'),
    examples: { positive: [`GRAFANA_TOKEN=glsa_${fake(32, ALNUM, 280)}_${fake(8, HEX, 281)}`], negative: ['GRAFANA_TOKEN=glsa_...'] },
  },
  {
    id: 'new-relic-user-key',
    name: 'New Relic user API key',
    provider: 'New Relic',
    source: 'https://docs.newrelic.com/docs/apis/intro-apis/new-relic-api-keys/',
    rotate: 'API keys UI (delete the key)',
    keywords: ['NRAK-'],
    pattern: bounded('NRAK-[A-Z0-9]{27}', '(?<![A-Za-z0-9_-])'),
    examples: { positive: [`NEW_RELIC_API_KEY=NRAK-${fake(27, UPPER_ALNUM, 285)}`], negative: ['NEW_RELIC_API_KEY=NRAK-XXXXXXXXXXXXXXXXXXXXXXXXXXX'] },
  },
  {
    id: 'square-token',
    name: 'Square access token or application secret',
    provider: 'Square',
    source: 'https://developer.squareup.com/docs/build-basics/access-tokens',
    rotate: 'Developer Console → the application → Credentials / OAuth (replace the token or secret)',
    keywords: ['EAAA', 'sq0atp-', 'sq0csp-'],
    pattern: bounded('EAAA[A-Za-z0-9_-]{60}|sq0atp-[A-Za-z0-9_-]{22}|sq0csp-[A-Za-z0-9_-]{43}', '(?<![A-Za-z0-9_-])', '(?![A-Za-z0-9_-])'),
    validate: mixed,
    examples: { positive: [`SQUARE_ACCESS_TOKEN=EAAA${fake(60, BASE64URL, 290)}`, `square_secret: sq0csp-${fake(43, BASE64URL, 291)}`], negative: ['SQUARE_ACCESS_TOKEN=EAAAxxxxxxxx'] },
  },
  {
    id: 'braintree-access-token',
    name: 'Braintree (PayPal) production access token',
    provider: 'PayPal Braintree',
    source: 'https://developer.paypal.com/braintree/docs/guides/authorization/access-token',
    rotate: 'the Braintree Control Panel → API (revoke the access token)',
    keywords: ['access_token$production$'],
    pattern: /(access_token\$production\$[0-9a-z]{16}\$[0-9a-f]{32})(?![A-Za-z0-9])/,
    examples: { positive: [`BT_TOKEN='access_token$production$${fake(16, '0123456789abcdefghijklmnopqrstuvwxyz', 295)}$${fake(32, HEX, 296)}'`], negative: ['production tokens look like access_token$production$<merchant-id>$<hex>'] },
  },
  {
    id: 'firebase-fcm-server-key',
    name: 'Firebase Cloud Messaging legacy server key',
    provider: 'Google Firebase',
    source: 'https://firebase.google.com/docs/cloud-messaging/auth-server',
    rotate: 'Firebase console → Project settings → Cloud Messaging (delete the server key; migrate to the HTTP v1 API)',
    keywords: [':APA91b'],
    pattern: bounded('AAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]{134}', '(?<![A-Za-z0-9_-])', '(?![A-Za-z0-9_-])'),
    examples: { positive: [`FCM_SERVER_KEY=AAAA${fake(7, BASE64URL, 300)}:APA91b${fake(134, BASE64URL, 301)}`], negative: ['registration id APA91b...'] },
  },
  {
    id: 'age-secret-key',
    name: 'age secret key',
    provider: 'age',
    source: 'https://age-encryption.org/v1',
    rotate: 'every file encrypted to its recipient (re-encrypt to a new key)',
    keywords: ['AGE-SECRET-KEY-1'],
    pattern: bounded(`AGE-SECRET-KEY-1[${BECH32}]{58}`, '(?<![A-Za-z0-9_-])'),
    examples: { positive: [`AGE-SECRET-KEY-1${fake(58, BECH32, 305)}`], negative: ['# created: 2024-01-01\n# public key: age1...\nAGE-SECRET-KEY-1...'] },
  },
  {
    id: 'dynatrace-token',
    name: 'Dynatrace API token',
    provider: 'Dynatrace',
    source: 'https://docs.dynatrace.com/docs/manage/identity-access-management/access-tokens-and-oauth-clients/access-tokens#token-format',
    rotate: 'Access tokens (revoke the token)',
    keywords: ['dt0c01.', 'dt0s01.'],
    pattern: bounded('dt0[cs]01\\.[A-Z0-9]{24}\\.[A-Z0-9]{64}', '(?<![A-Za-z0-9_.-])'),
    examples: { positive: [`DT_API_TOKEN=dt0c01.${fake(24, UPPER_ALNUM, 310)}.${fake(64, UPPER_ALNUM, 311)}`], negative: ['DT_API_TOKEN=dt0c01.ABC.DEF'] },
  },
  {
    id: 'rubygems-api-key',
    name: 'RubyGems API key',
    provider: 'RubyGems.org',
    source: 'https://guides.rubygems.org/api-key-scopes/',
    rotate: 'the API keys page of your RubyGems profile (delete the key; prefer trusted publishing)',
    keywords: ['rubygems_'],
    pattern: bounded('rubygems_[0-9a-f]{48}'),
    examples: { positive: [`:rubygems_api_key: rubygems_${fake(48, HEX, 315)}`], negative: [':rubygems_api_key: rubygems_xxxx'] },
  },
  {
    id: 'buildkite-token',
    name: 'Buildkite API access token',
    provider: 'Buildkite',
    source: 'https://buildkite.com/docs/apis/managing-api-tokens',
    rotate: 'Personal settings → API access tokens (revoke)',
    keywords: ['bkua_'],
    pattern: bounded('bkua_[a-f0-9]{40}'),
    examples: { positive: [`BUILDKITE_API_TOKEN=bkua_${fake(40, HEX, 320)}`], negative: ['BUILDKITE_API_TOKEN=bkua_...'] },
  },
  {
    id: 'mapbox-secret-token',
    name: 'Mapbox secret access token',
    provider: 'Mapbox',
    source: 'https://docs.mapbox.com/accounts/guides/tokens/',
    rotate: 'Account → Access tokens (revoke the secret token)',
    keywords: ['sk.eyJ'],
    pattern: bounded('sk\\.eyJ[A-Za-z0-9_-]{50,400}\\.[A-Za-z0-9_-]{22}', '(?<![A-Za-z0-9_.-])', '(?![A-Za-z0-9_.-])'),
    examples: { positive: [`MAPBOX_DOWNLOADS_TOKEN=sk.eyJ${fake(60, BASE64URL, 325)}.${fake(22, BASE64URL, 326)}`], negative: ['MAPBOX_DOWNLOADS_TOKEN=sk.eyJ...'] },
  },
  {
    id: 'planetscale-token',
    name: 'PlanetScale service token or password',
    provider: 'PlanetScale',
    source: 'https://planetscale.com/docs/concepts/service-tokens',
    rotate: 'Organization settings → Service tokens, or the branch\'s Passwords (delete)',
    keywords: ['pscale_tkn_', 'pscale_pw_', 'pscale_oauth_'],
    pattern: bounded('pscale_(?:tkn|pw|oauth)_[A-Za-z0-9_.-]{32,64}'),
    validate: mixed,
    examples: { positive: [`DATABASE_PASSWORD=pscale_pw_${fake(43, ALNUM, 330)}`], negative: ['DATABASE_PASSWORD=pscale_pw_...'] },
  },
  {
    id: '1password-service-account-token',
    name: '1Password service account token',
    provider: '1Password',
    source: 'https://developer.1password.com/docs/service-accounts/security/',
    rotate: '1Password → Developer → Service accounts (revoke the token)',
    keywords: ['ops_eyJ'],
    pattern: bounded('ops_eyJ[A-Za-z0-9+/=_-]{100,2000}', L, '(?![A-Za-z0-9_+/=-])'),
    examples: { positive: [`OP_SERVICE_ACCOUNT_TOKEN="ops_eyJ${fake(300, BASE64, 340)}"`], negative: ['OP_SERVICE_ACCOUNT_TOKEN="ops_eyJ..."'] },
  },
  {
    id: 'tailscale-key',
    name: 'Tailscale auth or API key',
    provider: 'Tailscale',
    source: 'https://tailscale.com/kb/1085/auth-keys',
    rotate: 'the admin console → Settings → Keys (revoke the key)',
    keywords: ['tskey-'],
    pattern: bounded('tskey-(?:auth|api|client|scim|webhook)-[A-Za-z0-9]{8,20}CNTRL-[A-Za-z0-9]{20,64}', '(?<![A-Za-z0-9_-])'),
    examples: { positive: [`TS_AUTHKEY=tskey-auth-k${fake(11, ALNUM, 345)}CNTRL-${fake(33, ALNUM, 346)}`], negative: ['TS_AUTHKEY=tskey-auth-XXXX'] },
  },
  {
    id: 'url-credentials',
    name: 'password in a URL',
    provider: 'the service the URL points at',
    source: 'https://www.rfc-editor.org/rfc/rfc3986#section-3.2.1',
    rotate: 'the service the URL points at (change the password or token of that user)',
    keywords: ['://'],
    pattern:
      /(?<![A-Za-z0-9+.-])[a-zA-Z][a-zA-Z0-9+.-]{1,30}:\/\/(?<user>[^\s:@/?#'"`<>{}()[\]\\]{0,128}):(?<secret>[^\s@/?#'"`<>\\]{1,256})@(?<host>[A-Za-z0-9][A-Za-z0-9.-]{0,252}|\[[0-9A-Fa-f:.]+\])/,
    validate: (v, m) => {
      const user = m.groups?.user ?? '';
      if (/^\d{1,5}$/.test(v) || v === user || isWeakValue(v) || /^[$%{]|\$\{|\{\{|^\*+$|^x+$/i.test(v)) return false;
      const password = percentDecoded(v);
      if (password === user || isWeakValue(password) || isMarkerPhrase(password)) return false;
      // `user:p@ss@example.com`: the host is what follows the last `@` of the authority
      const after = /^[^\s/?#'"`<>\\@]*@([A-Za-z0-9][A-Za-z0-9.-]*)/.exec(m.input.slice(m.index + m[0].length));
      const host = after?.[1] ?? m.groups?.host ?? '';
      const reserved = RESERVED_HOST.test(host);
      // a word, or a stand-in spelled out (`fake-token`); a random value with a marker written in (`EXAMPLE3kLh…`) stays shaped like a secret
      const wordy = isWordLike(password) || isMarkerPhrase(password);
      // an address that cannot be anyone's server (RFC 2606/6761) with a word for a password illustrates the syntax
      if (reserved && wordy) return false;
      // a word-like password, or any password to a local or example host, is likelier a development default
      return reserved || wordy ? 'low' : true;
    },
    examples: {
      positive: [`DATABASE_URL=postgres://app:${fake(20, ALNUM, 335)}@db.internal:5432/app`, `redis_url = "rediss://:${fake(24, ALNUM, 336)}@cache.prod.acme.io:6380/0"`],
      negative: [
        'DATABASE_URL=postgres://postgres:postgres@localhost:5432/app',
        'url: https://${USER}:${PASSWORD}@registry.acme.io',
        'git clone git@github.com:acme/app.git',
        'curl https://user:@example.com',
        'https://x-access-token:${{ secrets.GITHUB_TOKEN }}@github.com/acme/app',
        'see http://example.com:8080/path?a=b@c',
      ],
    },
  },
];
