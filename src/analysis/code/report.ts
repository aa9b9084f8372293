import semver from 'semver';
import type { CheckContext, Confidence, Project } from '../../core/types.js';
import { manifestDependencies } from '../dependencies.js';
import type { CodeDoc } from '../../parsers/code.js';
import type { CodeFlow, SinkRule } from './flow.js';

/** What a rule says about its sinks: the harm, in a few words ("so the request can run any command on the host"). */
export interface FlowWording {
  harm: string;
}

/**
 * Turns the flows of one rule into findings, severity by evidence: a flow from a source keeps the rule's severity and
 * blocks; a non-constant argument with no source seen is `low` with `low` confidence (reported so someone looks, never
 * blocking by default). The message names the source and its line, the sink, and the fix in the file's language;
 * the flow travels on the finding for SARIF's `codeFlows`.
 */
export function reportFlows(doc: CodeDoc, rule: SinkRule, ctx: CheckContext, wording: FlowWording): void {
  for (const flow of doc.flows) {
    if (flow.rule !== rule) continue;
    const confidence = flowConfidence(flow, ctx);
    if (confidence === undefined) continue;
    const callee = `\`${flow.sink.callee}\``;
    const flowSteps = flow.steps.map((s) => ({ at: s.at, label: s.label }));
    if (flow.source) {
      const src = flow.source;
      ctx.report({
        message: `${capital(src.label)} (line ${src.at.line}) reaches ${callee}, ${wording.harm}. Fix: ${flow.fix}.`,
        at: flow.sink.at,
        related: [{ at: src.at, label: src.label }],
        flow: flowSteps,
        confidence,
      });
    } else {
      ctx.report({
        message:
          `${callee} is called with a value that is not a constant; no request data or command-line argument reaches it within this function, ` +
          `but if the value can come from a user, ${wording.harm}. Fix: ${flow.fix}.`,
        at: flow.sink.at,
        flow: flowSteps,
        severity: 'low',
        confidence: 'low',
      });
    }
  }
}

const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * js-yaml's `load` is unsafe only in version 3 (its default schema builds `!!js/function`): the nearest package.json
 * says which; when none names js-yaml, a flow from a source is medium confidence. Undefined: not reported (version 4).
 */
function flowConfidence(flow: CodeFlow, ctx: CheckContext): Confidence | undefined {
  if (!flow.sink.callee.startsWith('js-yaml.')) return flow.source ? 'high' : 'low';
  const major = jsYamlMajor(ctx.project, ctx.path);
  if (major !== undefined && major >= 4) return undefined;
  if (!flow.source) return 'low';
  return major === undefined ? 'medium' : 'high';
}

/** The lowest major version of js-yaml the nearest package.json above `path` allows (any dependency field). */
export function jsYamlMajor(project: Project, path: string): number | undefined {
  const parts = path.split('/').slice(0, -1);
  for (let n = parts.length; n >= 0; n--) {
    const manifest = [...parts.slice(0, n), 'package.json'].join('/');
    if (!project.has(manifest)) continue;
    const range = manifestDependencies('package.json', project.read(manifest) ?? '').find((d) => d.name === 'js-yaml')?.range;
    if (range === undefined || semver.validRange(range) === null) return undefined;
    return semver.minVersion(range)?.major;
  }
  return undefined;
}
