import { describe, expect, it } from 'vitest';
import composeSecretFile from '../../src/rules/secrets/compose-secret-file.js';
import { scanFiles } from '../../src/scan.js';

const compose = (file: string) => `services:\n  db:\n    image: mariadb:11\n    secrets: [db-password]\nsecrets:\n  db-password:\n    file: ${file}\n  other:\n    external: true\n`;
const scan = (files: Record<string, string>) => scanFiles(files, { rules: [composeSecretFile] });

describe('compose-secret-file', () => {
  it('reports a committed secret file at its file: reference, with the file as related location and the value hidden', () => {
    const value = 'kP9x-Qw7vZ2rT5mN8bL4';
    const { findings } = scan({ 'app/compose.yaml': compose('./db/password.txt'), 'app/db/password.txt': `${value}\n` });
    expect(findings.map((f) => [f.path, f.line, f.severity, f.confidence])).toEqual([['app/compose.yaml', 7, 'high', 'high']]);
    expect(findings[0]!.related).toEqual([{ path: 'app/db/password.txt', at: { line: 1, column: 1, endLine: 1, endColumn: 21 }, label: 'the committed secret file' }]);
    expect(findings[0]!.message).toContain('secret db-password is read from app/db/password.txt');
    expect(JSON.stringify(findings)).not.toContain(value);
  });

  it('rates a short or plain value medium (a local default) and skips placeholders, multi-line files and missing files', () => {
    const plain = scan({ 'compose.yaml': compose('db/password.txt'), 'db/password.txt': 'db-q5n2g\n' }).findings;
    expect(plain.map((f) => [f.severity, f.confidence])).toEqual([['medium', 'medium']]);
    for (const text of ['changeme\n', '\n', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'])
      expect(scan({ 'compose.yaml': compose('db/password.txt'), 'db/password.txt': text }).findings).toEqual([]);
    expect(scan({ 'compose.yaml': compose('db/password.txt') }).findings).toEqual([]);
    // a path outside the repository or built from a variable is never read
    expect(scan({ 'a/compose.yaml': compose('../../password.txt'), 'password.txt': 'kP9x-Qw7vZ2rT5mN8bL4' }).findings).toEqual([]);
    expect(scan({ 'compose.yaml': compose('${DIR}/password.txt'), 'password.txt': 'kP9x-Qw7vZ2rT5mN8bL4' }).findings).toEqual([]);
  });
});
