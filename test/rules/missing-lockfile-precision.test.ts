import { describe, expect, it } from 'vitest';
import { rules } from '../../src/rules/index.js';
import { scanFiles } from '../../src/scan.js';

const scan = (files: Record<string, string>) => scanFiles(files, { rules: [rules.find((r) => r.id === 'missing-lockfile')!] }).findings;

describe('missing-lockfile says what really happens', () => {
  it('go.mod without go.sum: medium, and the message says versions are fixed and hashes unrecorded, never that they "resolve afresh"', () => {
    const gomod = 'module github.com/acme/indirect\n\ngo 1.22\n\nrequire (\n\tgithub.com/google/uuid v1.6.0\n\tgolang.org/x/text v0.14.0 // indirect\n)\n';
    const [f, ...rest] = scan({ 'svc/go.mod': gomod });
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'medium', line: 5 });
    expect(f!.message).toContain('go.mod requires 2 modules but there is no go.sum');
    expect(f!.message).toContain('checksum database');
    expect(f!.message).not.toContain('afresh');
    // a go.mod with no requirements needs no go.sum
    expect(scan({ 'tools/go.mod': 'module github.com/acme/tools\n\ngo 1.22\n' })).toEqual([]);
  });

  it('a Cargo library crate (src/lib.rs, no main.rs or bin/) is low confidence; a binary crate stays high', () => {
    const cargo = '[package]\nname = "backend"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\ntokio = { version = "1", features = ["full"] }\nserde = "1"\n';
    const lib = scan({ 'crates/parser/Cargo.toml': cargo, 'crates/parser/src/lib.rs': 'pub fn f() {}\n' });
    expect(lib.map((f) => [f.severity, f.confidence])).toEqual([['high', 'low']]);
    expect(lib[0]!.message).toContain('looks like a library');
    const bin = scan({ 'backend/Cargo.toml': cargo, 'backend/src/main.rs': 'fn main() {}\n' });
    expect(bin.map((f) => [f.severity, f.confidence])).toEqual([['high', 'high']]);
    expect(scan({ 'backend/Cargo.toml': cargo, 'backend/src/lib.rs': '', 'backend/src/bin/cli.rs': 'fn main() {}\n' }).map((f) => f.confidence)).toEqual(['high']);
  });
});
