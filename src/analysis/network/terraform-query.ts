import type { Span } from '../../core/types.js';
import type { TerraformDoc, TfBlock, TfValue } from '../../parsers/terraform.js';

// Reading a Terraform document: its resources, their attributes, and the resources they point at in the same file.

/** The attribute's value, when the block has it. */
export function attr(block: TfBlock, name: string): TfValue | undefined {
  return block.attributes.find((a) => a.name === name)?.value;
}

/** `type.name` of a resource, as Terraform addresses it; cut short and on one line (labels are the author's text). */
export function resourceName(r: TfBlock): string {
  return `${r.labels[0] ?? ''}.${r.labels[1] ?? ''}`.replace(/[\s`]+/g, ' ').slice(0, 120);
}

/** Where an attribute is written, or the block's first line when it is not. */
export function attrSpan(b: TfBlock, name: string): Span {
  return b.attributes.find((a) => a.name === name)?.span ?? b.head;
}

/** The resource of `types` declared in this file that one of `attributes` points at (`aws_lb.web.arn`). */
export function referencedResource(b: TfBlock, attributes: readonly string[], types: readonly string[], doc: TerraformDoc): TfBlock | undefined {
  const ref = b.attributes.find((a) => attributes.includes(a.name))?.value;
  const m = ref?.kind === 'unknown' ? /^([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.(id|arn|name)$/.exec(ref.text) : null;
  return m && types.includes(m[1]!) ? doc.blocks.find((x) => x.type === 'resource' && x.labels[0] === m[1] && x.labels[1] === m[2]) : undefined;
}

/** Resources of the given types (`resource "type" "name"` blocks). */
export function resourcesOf(doc: TerraformDoc, types: readonly string[]): TfBlock[] {
  return doc.blocks.filter((b) => b.type === 'resource' && types.includes(b.labels[0] ?? ''));
}
