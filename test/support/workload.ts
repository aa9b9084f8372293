// Parses a compose file or Kubernetes manifest the way the pipeline does, recording whether the
// YAML parser was reached at all (the cheap path-and-text test should skip other YAML).
import type { Notice } from '../../src/core/types.js';
import type { WorkloadDoc } from '../../src/parsers/workload.js';
import { parseWorkload } from '../../src/parsers/workloads/index.js';
import { parseYaml } from '../../src/parsers/yaml.js';

export function parseWorkloadFile(path: string, text: string): { doc: WorkloadDoc | undefined; notices: Notice[]; parsed: boolean } {
  const notices: Notice[] = [];
  let parsed = false;
  const doc = parseWorkload(path, text, notices, () => {
    parsed = true;
    return parseYaml(path, text, notices);
  });
  return { doc, notices, parsed };
}
