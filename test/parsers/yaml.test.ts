import { describe, expect, it } from 'vitest';
import type { Notice } from '../../src/core/types.js';
import { MAX_YAML_BYTES, parseYaml, parseYamlOnDemand } from '../../src/parsers/yaml.js';

describe('parseYaml and parseYamlOnDemand', () => {
  it('give the same documents, spans and notices once the documents are read', () => {
    const text = 'a: 1\nb:\n  c: [x, y]\n---\nd: 2\n---\ne: [\n';
    const eager: Notice[] = [];
    const lazy: Notice[] = [];
    const e = parseYaml('x.yaml', text, eager)!;
    const l = parseYamlOnDemand('x.yaml', text, lazy)!;
    expect(l.documents.map((d) => d.toJS())).toEqual(e.documents.map((d) => d.toJS()));
    expect(l.documents.map((d) => l.keySpanOf(d.contents as never, 'b'))).toEqual(e.documents.map((d) => e.keySpanOf(d.contents as never, 'b')));
    expect(lazy).toEqual(eager);
    expect(lazy).toEqual([{ path: 'x.yaml', line: 8, message: expect.stringMatching(/^invalid YAML: /) }]);
  });

  it('parse on demand only when the documents are read, and raise the notice then, once', () => {
    const notices: Notice[] = [];
    const file = parseYamlOnDemand('bad.yaml', 'a: [\n', notices)!;
    expect(notices).toEqual([]);
    expect(file.documents).toEqual([]);
    expect(file.documents).toBe(file.documents);
    expect(notices).toHaveLength(1);
  });

  it('skip files over the size cap at once, saying so', () => {
    const notices: Notice[] = [];
    expect(parseYamlOnDemand('big.yaml', 'a'.repeat(MAX_YAML_BYTES + 1), notices)).toBeUndefined();
    expect(notices[0]?.message).toMatch(/^not parsed as YAML: larger than 2 MiB/);
  });
});
