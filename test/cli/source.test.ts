// The source lines the terminal report shows under findings: read again from the scanned tree, as the scan reads.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sourceLines } from '../../src/cli/source.js';
import { redactText } from '../../src/core/redact.js';
import { ScanSecrets } from '../../src/core/secrets.js';

const scratch = mkdtempSync(join(tmpdir(), 'portcullis-source-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('source lines for the terminal report', () => {
  const root = join(scratch, 'repo');
  mkdirSync(join(root, 'svc'), { recursive: true });
  writeFileSync(join(root, 'svc/Dockerfile'), 'FROM node:20\r\nENV API_KEY=sk_live_0123456789abcdef\r\nUSER node\nRUN pip install --index-url https://ci:hunter2secret@pypi.example/simple app\n');
  writeFileSync(join(scratch, 'outside.txt'), 'outside the root\n');
  writeFileSync(join(root, 'key.pem'), '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n');
  symlinkSync(join(scratch, 'outside.txt'), join(root, 'link.txt'));

  it('gives a line by number, without its line ending, and nothing past the end', () => {
    const line = sourceLines(root, redactText);
    expect(line('svc/Dockerfile', 1)).toBe('FROM node:20');
    expect(line('svc/Dockerfile', 3)).toBe('USER node');
    expect(line('svc/Dockerfile', 9)).toBeUndefined();
    expect(line('missing/Dockerfile', 1)).toBeUndefined();
  });

  it('never gives a line that the redaction of the scan would change: a secret it found, a credential shape', () => {
    const secrets = new ScanSecrets([['fp1', ['sk_live_0123456789abcdef']], ['fp2', ['-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----']]]);
    const line = sourceLines(root, (l) => secrets.redactSnippet(l));
    expect(line('svc/Dockerfile', 2)).toBeUndefined();
    expect(line('svc/Dockerfile', 1)).toBe('FROM node:20');
    // URL userinfo is a credential whatever found it
    expect(line('svc/Dockerfile', 4)).toBeUndefined();
    // the key's body; its armour lines are public text
    expect(line('key.pem', 2)).toBeUndefined();
  });

  it('follows no symlink, leaves the root by no `..`, and waits on no FIFO', () => {
    const line = sourceLines(root, redactText);
    expect(line('link.txt', 1)).toBeUndefined();
    expect(line('../outside.txt', 1)).toBeUndefined();
    expect(line(join(scratch, 'outside.txt'), 1)).toBeUndefined();
    execFileSync('mkfifo', [join(root, 'fifo')]);
    expect(line('fifo', 1)).toBeUndefined();
  });
});
