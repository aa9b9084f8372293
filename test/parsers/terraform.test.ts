import { beforeAll, describe, expect, it } from 'vitest';
import { moduleSymbols, resolve, stringList } from '../../src/analysis/network/terraform-values.js';
import type { Notice, Project } from '../../src/core/types.js';
import { attr } from '../../src/analysis/network/terraform-query.js';
import { parseTerraform, type TerraformDoc, type TfBlock } from '../../src/parsers/terraform.js';
import { initTreeSitter } from '../../src/parsers/tree-sitter.js';

beforeAll(() => initTreeSitter());

function parse(text: string, notices: Notice[] = []): TerraformDoc {
  const doc = parseTerraform('main.tf', text, notices);
  if (!doc) throw new Error(`not parsed: ${JSON.stringify(notices)}`);
  return doc;
}
const project = (files: Record<string, string>): Project => ({
  has: (p) => p in files,
  read: (p) => files[p],
  list: (dir) => Object.keys(files).filter((p) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '') === dir),
});

describe('parseTerraform', () => {
  it('lowers blocks, labels, literals, references and unknowns with spans', () => {
    const doc = parse(
      'resource "aws_security_group" "web" {\n  ingress {\n    from_port   = -1\n    cidr_blocks = [local.cidr, "10.0.0.0/8", "${var.x}"]\n' +
        '    name        = "sg-${var.env}"\n    tags        = { Name = "web", "k" = true }\n    other       = cidrsubnet("10.0.0.0/8", 8, 1)\n  }\n}\n',
    );
    const sg = doc.blocks[0]!;
    expect([sg.type, ...sg.labels]).toEqual(['resource', 'aws_security_group', 'web']);
    expect(sg.head).toMatchObject({ line: 1, endLine: 1 });
    const ingress = sg.blocks[0]!;
    expect(attr(ingress, 'from_port')).toMatchObject({ kind: 'number', value: -1 });
    expect(attr(ingress, 'cidr_blocks')).toMatchObject({
      kind: 'tuple',
      items: [{ kind: 'ref', scope: 'local', name: 'cidr' }, { kind: 'string', value: '10.0.0.0/8', span: { line: 4, column: 32 } }, { kind: 'ref', scope: 'var', name: 'x' }],
    });
    expect(attr(ingress, 'name')).toMatchObject({ kind: 'unknown' });
    expect(attr(ingress, 'tags')).toMatchObject({ kind: 'object', entries: [{ key: 'Name', value: { value: 'web' } }, { key: 'k', value: { value: true } }] });
    expect(attr(ingress, 'other')).toMatchObject({ kind: 'unknown', text: 'cidrsubnet("10.0.0.0/8", 8, 1)' });
  });

  it('reads a dynamic block as its content, marked dynamic', () => {
    const doc = parse('resource "aws_security_group" "x" {\n  dynamic "ingress" {\n    for_each = var.ports\n    content {\n      from_port = ingress.value\n      cidr_blocks = ["0.0.0.0/0"]\n    }\n  }\n}\n');
    const dyn = doc.blocks[0]!.blocks[0]!;
    expect(dyn).toMatchObject({ type: 'ingress', dynamic: true });
    expect(attr(dyn, 'from_port')).toMatchObject({ kind: 'unknown' });
    expect(attr(dyn, 'cidr_blocks')).toMatchObject({ kind: 'tuple' });
  });

  it('keeps what parsed from a file with syntax errors, with a notice', () => {
    const notices: Notice[] = [];
    const doc = parse('resource "aws_db_instance" "a" {\n  publicly_accessible = true\n}\n\nresource "x" "y" {\n  bad = = \n', notices);
    expect(doc.partial).toBe(true);
    expect(attr(doc.blocks[0]!, 'publicly_accessible')).toMatchObject({ kind: 'bool', value: true });
    expect(notices.map((n) => n.message)).toEqual([expect.stringMatching(/syntax errors/)]);
  });

  it('survives hostile nesting without recursion: deep values become unknown', () => {
    const deep = `locals {\n  x = ${'['.repeat(20_000)}1${']'.repeat(20_000)}\n}\n${'resource "a" "b" {\n'.repeat(2_000)}${'}\n'.repeat(2_000)}`;
    const doc = parse(deep);
    let v = doc.blocks[0]!.attributes[0]!.value;
    let depth = 0;
    while (v.kind === 'tuple') [v, depth] = [v.items[0]!, depth + 1];
    expect(v.kind).toBe('unknown');
    expect(depth).toBeLessThan(100);
    let b: TfBlock | undefined = doc.blocks[1];
    let blocks = 0;
    while (b) [b, blocks] = [b.blocks[0], blocks + 1];
    expect(blocks).toBeGreaterThan(10);
  });
});

describe('locals and variable defaults', () => {
  it('follows local.x and var.x (a default is less certain); unknown when unresolved, never guessed', () => {
    const doc = parse(
      'locals {\n  world = "0.0.0.0/0"\n  alias = local.world\n  loop = local.loop\n}\nvariable "cidrs" {\n  default = ["0.0.0.0/0"]\n}\nvariable "nodefault" {}\n',
    );
    const sym = moduleSymbols(doc, 'main.tf');
    const ref = (scope: 'local' | 'var', name: string) => ({ kind: 'ref' as const, scope, name, span: { line: 20, column: 1, endLine: 20, endColumn: 5 } });
    expect(resolve(ref('local', 'alias'), sym)).toMatchObject({ value: { kind: 'string', value: '0.0.0.0/0', span: { line: 20 } }, confidence: 'high' });
    expect(stringList(ref('var', 'cidrs'), sym)).toMatchObject({ values: ['0.0.0.0/0'], unknown: false, confidence: 'medium' });
    expect(resolve(ref('var', 'nodefault'), sym)).toMatchObject({ value: { kind: 'unknown' }, confidence: 'low' });
    expect(resolve(ref('local', 'loop'), sym)).toMatchObject({ value: { kind: 'unknown' }, confidence: 'low' });
    expect(resolve(ref('local', 'missing'), sym)).toMatchObject({ value: { kind: 'unknown' }, confidence: 'low' });
  });

  it('reads the locals and variables of the other .tf files of the same folder, not of other folders', () => {
    const files = {
      'infra/main.tf': 'resource "x" "y" {}\n',
      'infra/locals.tf': 'locals {\n  world = "0.0.0.0/0"\n}\n',
      'other/locals.tf': 'locals {\n  far = "0.0.0.0/0"\n}\n',
    };
    const sym = moduleSymbols(parse(files['infra/main.tf']), 'infra/main.tf', project(files));
    expect([...sym.locals.keys()]).toEqual(['world']);
  });

  it('takes the values of terraform.tfvars and *.auto.tfvars over the defaults, not those of other .tfvars files', () => {
    const files = {
      'm/main.tf': 'variable "a" {\n  default = "0.0.0.0/0"\n}\nvariable "b" {\n  default = "0.0.0.0/0"\n}\nvariable "c" {\n  default = "0.0.0.0/0"\n}\n',
      'm/terraform.tfvars': 'a = "10.0.0.0/8"\nundeclared = "x"\n',
      'm/net.auto.tfvars': 'b = "192.168.0.0/16"\n',
      'm/prod.tfvars': 'c = "172.16.0.0/12"\n',
    };
    const sym = moduleSymbols(parse(files['m/main.tf']), 'm/main.tf', project(files));
    const value = (name: string) => resolve({ kind: 'ref', scope: 'var', name, span: { line: 1, column: 1, endLine: 1, endColumn: 1 } }, sym)?.value;
    expect([value('a'), value('b'), value('c')]).toMatchObject([{ value: '10.0.0.0/8' }, { value: '192.168.0.0/16' }, { value: '0.0.0.0/0' }]);
    expect(sym.variables.has('undeclared')).toBe(false);
  });
});
