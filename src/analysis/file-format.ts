import { isDockerfilePath } from '../parsers/index.js';
import { isLockfilePath } from '../parsers/lockfiles/index.js';
import { isManifestPath } from '../parsers/manifests/index.js';
import { isActionPath, isWorkflowPath } from '../parsers/workflow.js';
import { isComposePath } from '../parsers/workloads/index.js';
import { HAS_KIND, LOOKS_LIKE_KUBERNETES } from '../parsers/workloads/kubernetes.js';

/**
 * The format a finding's file is written in, which decides the syntax its fix is written in: a compose secret is
 * fixed with `${VAR}` and `secrets:`, a Kubernetes one with `valueFrom.secretKeyRef`, a workflow's with
 * `${{ secrets.NAME }}`. `other` is any text file of none of these kinds (source, `.env`, tool configs).
 */
export type FileFormat = 'dockerfile' | 'compose' | 'kubernetes' | 'workflow' | 'action' | 'manifest' | 'lockfile' | 'other';

/** A requirements file is where people write their pins: it is read as a manifest and a lockfile, and fixed as a manifest. */
const REQUIREMENTS = /(^|\/)requirements[^/]*\.txt$/i;

/** The format of `path` (its name, and for YAML that is not named as anything else, whether `text` looks like Kubernetes). */
export function fileFormat(path: string, text = ''): FileFormat {
  if (isDockerfilePath(path)) return 'dockerfile';
  if (isWorkflowPath(path)) return 'workflow';
  if (isActionPath(path)) return 'action';
  if (/\.ya?ml$/i.test(path) && isComposePath(path)) return 'compose';
  if (isLockfilePath(path) && !REQUIREMENTS.test(path)) return 'lockfile';
  if (isManifestPath(path)) return 'manifest';
  // A byte-order mark before `apiVersion:` hides it from the line-start patterns; the YAML parser skips it.
  const yaml = text.replace(/^\uFEFF/, '');
  if (/\.ya?ml$/i.test(path) && LOOKS_LIKE_KUBERNETES.test(yaml) && HAS_KIND.test(yaml)) return 'kubernetes';
  return 'other';
}
