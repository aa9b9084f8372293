import { describe, expect, it } from 'vitest';
import composeSecretFile from '../../src/rules/secrets/compose-secret-file.js';
import hardcodedSecret from '../../src/rules/secrets/hardcoded-secret.js';
import { checksummed } from '../../src/analysis/secrets/fake.js';
import { scanFiles } from '../../src/scan.js';

const compose = (file: string) => `services:\n  db:\n    image: mariadb:11\n    secrets: [db-password]\nsecrets:\n  db-password:\n    file: ${file}\n  other:\n    external: true\n`;
const scan = (files: Record<string, string>) => scanFiles(files, { rules: [composeSecretFile] });

describe('compose-secret-file', () => {
  it('reports a committed secret file at its own path, at the value, with the file: reference as related location and the value hidden', () => {
    const value = 'kP9x-Qw7vZ2rT5mN8bL4';
    const { findings } = scan({ 'app/compose.yaml': compose('./db/password.txt'), 'app/db/password.txt': `${value}\n` });
    expect(findings.map((f) => [f.path, f.line, f.column, f.endColumn, f.severity, f.confidence])).toEqual([['app/db/password.txt', 1, 1, 21, 'high', 'high']]);
    expect(findings[0]!.related).toEqual([{ path: 'app/compose.yaml', at: { line: 7, column: 11, endLine: 7, endColumn: 28 }, label: 'mounted as compose secret db-password' }]);
    expect(findings[0]!.message).toContain('the secret db-password of app/compose.yaml');
    expect(JSON.stringify(findings)).not.toContain(value);
  });

  it('reads a configs: file too, reporting only a credential-shaped value; a known token is reported once, by hardcoded-secret', () => {
    const configs = (file: string) => `services:\n  web:\n    image: nginx:1.27\nconfigs:\n  web-key:\n    file: ${file}\n`;
    const strong = scan({ 'compose.yaml': configs('./web/key'), 'web/key': 'kP9x-Qw7vZ2rT5mN8bL4\n' }).findings;
    expect(strong.map((f) => [f.path, f.line, f.severity])).toEqual([['web/key', 1, 'high']]);
    expect(strong[0]!.message).toContain('the config web-key of compose.yaml');
    expect(scan({ 'compose.yaml': configs('./web/mode'), 'web/mode': 'production\n' }).findings).toEqual([]);
    const token = checksummed('ghp_', 7);
    const both = scanFiles({ 'compose.yaml': compose('./gh-token'), 'gh-token': `${token}\n` }, { rules: [composeSecretFile, hardcodedSecret] }).findings;
    expect(both.map((f) => [f.ruleId, f.path, f.line, f.severity])).toEqual([['hardcoded-secret', 'gh-token', 1, 'critical']]);
    expect(both.filter((f) => f.ruleId === 'compose-secret-file')).toEqual([]);
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
