import type { WorkflowImage } from './workflow-images.js';

/**
 * The line that fixes an image reference of a YAML file (workflow, action, compose, Kubernetes), written as the file
 * writes it: `image: postgres:17.2@sha256:<digest>`, `container: node:22@sha256:<digest>`,
 * `alpine:3.20@sha256:<digest>` after `docker://` in `uses:` or in an action's `image:`. The key and quote come from the source line before the reference; a reference that comes from a matrix
 * is fixed in the matrix, and without the source the key follows from where the rule found the image.
 */
export function pinnedLine(use: WorkflowImage, pinned: string, text: string | undefined, viaMatrix: boolean): string {
  if (viaMatrix) return `\`${pinned}\` in the matrix`;
  const before = text?.split('\n')[use.span.line - 1]?.slice(0, use.span.column - 1);
  const written = before ? /(?:^|[\s{,-])([A-Za-z_][\w.-]*)[ \t]*:[ \t]*(['"]?)(docker:\/\/)?$/.exec(before) : null;
  const key = written?.[1] ?? (use.where.endsWith('uses: docker://') ? 'uses' : use.where.startsWith('container') ? 'container' : 'image');
  // `docker://name:tag@sha256:…` reads as a URL with a user and password, which every output redacts: the scheme stays out of the span.
  if (use.where.endsWith('docker://') || written?.[3]) return `\`${pinned}\` after \`docker://\` in \`${key}:\``;
  const quote = written?.[2] ?? '';
  return `\`${key}: ${quote}${pinned}${quote}\``;
}
