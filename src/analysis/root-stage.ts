import type { Confidence, Project, Report, Severity } from '../core/types.js';
import type { DockerfileDoc, ImageUse, Stage, UserInstruction } from '../parsers/dockerfile.js';
import { composeBuildsOf } from './build-context.js';
import { devContainerFor } from './devcontainer.js';
import { parseImageRef, type ImageRef } from './image-ref.js';
import { replacedBy } from './named-contexts.js';
import { ancestry, baseImage, dropsPrivileges, isBaseImageDefinition, isTemplateImage, isToolbox, runnableStages } from './image-role.js';

/** A stage that runs as a container, and the words that name it in messages. */
export interface RunStage {
  stage: Stage;
  /** `The final stage`, `The final stage app`, `The stage builder (the target compose service web builds)`. */
  label: string;
}

/**
 * The stages of a Dockerfile that run as containers: the targets the compose files beside it build (when every
 * compose build of it names one), else the last stage, or the stages built with --target when the last only exports files.
 */
export function stagesThatRun(doc: DockerfileDoc, project: Project, path: string): RunStage[] {
  const builds = composeBuildsOf(project, path);
  if (builds.length > 0 && builds.every((b) => b.target !== undefined)) {
    const out: RunStage[] = [];
    for (const b of builds) {
      const stage = doc.stages.find((s) => s.name !== undefined && s.name.toLowerCase() === b.target!.toLowerCase());
      if (stage && !out.some((o) => o.stage === stage))
        out.push({ stage, label: `The stage ${stage.name} (the target compose service ${b.service} builds)` });
    }
    if (out.length > 0) return out;
  }
  const last = doc.stages.at(-1);
  return runnableStages(doc).map((stage) => ({
    stage,
    label: stage === last ? `The final stage${stage.name ? ` ${stage.name}` : ''}` : `The stage ${stage.name ?? stage.index} (built with --target)`,
  }));
}

/** How to report a stage that sets no USER: not at all, or with a note on why it is not (or may not be) a deployed root process. */
export type NoUserVerdict = { skip: true } | { skip: false; note?: string; severity?: Severity; confidence: Confidence };

/** The namespaces of dev container images (canonical names). */
const DEV_IMAGE = /^(mcr\.microsoft\.com\/(vscode\/)?devcontainers\/|devcon\.azurecr\.io\/public\/vscode\/devcontainers\/)/;

function noUserVerdict(doc: DockerfileDoc, stage: Stage, project: Project, path: string, fix: string): NoUserVerdict {
  const top = ancestry(doc, stage).at(-1)!;
  // A base image definition leaves USER to the images built FROM it.
  if (isBaseImageDefinition(doc, stage)) return { skip: true };
  const root = baseImage(doc, stage);
  // a Dockerfile a compose service also builds is not only a dev container's, whatever a devcontainer.json says
  const dev = composeBuildsOf(project, path).length === 0 ? devContainerFor(project, path) : undefined;
  // A dev container's user is chosen in devcontainer.json (remoteUser, containerUser), not by the Dockerfile.
  if (dev?.user !== undefined && !ROOT_USER.test(dev.user)) return { skip: true };
  if (dev || (root && DEV_IMAGE.test(root.canonical)))
    return {
      skip: false,
      note: `: a dev container image${dev ? ` (${dev.config} builds it, and sets no remoteUser or containerUser)` : ''}, whose tools run as the user its devcontainer.json chooses. Set remoteUser there, or ${fix}.`,
      severity: 'medium',
      confidence: 'low',
    };
  const local = replacedBy(project, top.image.value.trim());
  if (local)
    return {
      skip: false,
      note: `: its base is built by this repository (${local}), so the user is whatever that build leaves; fix it there, or ${fix}.`,
      severity: 'medium',
      confidence: 'low',
    };
  const server = dropsPrivileges(doc, stage);
  if (server)
    return {
      skip: false,
      note: `: ${server}'s own command starts as root and runs its workers or service as an unprivileged user, so only that first process is root. If nothing needs root (a port below 1024, files owned by root), ${fix}.`,
      severity: 'medium',
      confidence: 'low',
    };
  if (isToolbox(doc, stage) && !composeBuildsOf(project, path).some((b) => b.command))
    return {
      skip: false,
      note: `, and it has no CMD or ENTRYPOINT: it looks like a build or tool environment, where whatever \`docker run\` starts runs as root. If it runs a service, ${fix}.`,
      severity: 'medium',
      confidence: 'low',
    };
  // A FROM only a template tool fills in (`FROM REPLACE-ME`): the file cannot be built as it is.
  if (isTemplateImage(top.image)) return { skip: false, severity: 'medium', confidence: 'low' };
  return { skip: false, confidence: top.image.unresolved.length > 0 ? 'low' : 'high' };
}

/** Why an image reference in a Dockerfile matters less than in a deployed image, for the image-pinning rules. */
export interface ImageNote {
  note: string;
  severity: Severity;
  confidence: Confidence;
}

/**
 * For `unpinned-image` and `latest-image-tag`: a reference only a template tool fills in, an image of a dev
 * container (built by a devcontainer.json, or on a dev container base), and (`baseDefinition`, for unpinned-image)
 * the parent of a base image definition, which tracks its parent's tag on purpose so that every rebuild takes the
 * parent's fixes.
 */
export function imageUseNote(doc: DockerfileDoc, use: ImageUse, project: Project, path: string, baseDefinition: boolean): ImageNote | undefined {
  if (isTemplateImage(use.image)) return { note: ' (a placeholder that only a template tool fills in)', severity: 'medium', confidence: 'low' };
  const local = replacedBy(project, use.image.value.trim());
  if (local)
    return { note: ` (the repository's builds replace it with ${local}, which they build first: nothing is pulled)`, severity: 'low', confidence: 'low' };
  const last = doc.stages.at(-1);
  const root = last && baseImage(doc, last);
  if ((composeBuildsOf(project, path).length === 0 && devContainerFor(project, path)) || (root && DEV_IMAGE.test(root.canonical)))
    return { note: ' (in a dev container image, a developer workstation)', severity: 'medium', confidence: 'low' };
  if (baseDefinition && use.kind === 'from' && last && ancestry(doc, last).some((s) => s.index === use.stage) && isBaseImageDefinition(doc, last))
    return {
      note: ' (this Dockerfile defines a base image, which tracks its parent\'s tag so that each rebuild takes the parent\'s fixes; a digest with automated updates makes it reproducible)',
      severity: 'low',
      confidence: 'low',
    };
  return undefined;
}

const ROOT_USER = /^(root|0)(:.*)?$/;

/**
 * runs-as-root's finding for one stage that runs, if any: its last USER (inherited through FROM <stage>) is root or
 * cannot be resolved, or it sets none on a base not known to run as non-root (see noUserVerdict for how that is rated).
 */
export function stageUserReport(
  doc: DockerfileDoc,
  final: Stage,
  which: string,
  project: Project,
  path: string,
  isNonRoot: (ref: ImageRef) => boolean,
): Report | undefined {
  let stage: Stage | undefined = final;
  let root: Stage = final;
  let user: UserInstruction | undefined;
  for (const seen = new Set<number>(); stage && !seen.has(stage.index); stage = stage.parent !== undefined ? doc.stages[stage.parent] : undefined) {
    seen.add(stage.index);
    root = stage;
    user = stage.users.at(-1);
    if (user) break;
  }
  const related = user && stage !== final ? [{ at: final.fromSpan, label: `${which.replace(/^The /, 'the ')}, which inherits this USER` }] : [];
  if (user) {
    const name = user.user.value.split(':')[0]!;
    const unresolved = user.user.unresolved;
    if (unresolved.length > 0 && name.includes('$')) {
      const args = unresolved.map((n) => `ARG ${n}`).join(', ');
      return {
        message: `USER ${user.user.raw} cannot be resolved (${args} has no value here): make sure the image does not run as root.`,
        at: user.span,
        confidence: 'low',
        related,
      };
    }
    if (!ROOT_USER.test(user.user.value)) return undefined;
    const image = /^The final stage/.test(which) ? 'The final image' : which;
    return {
      message: `${image} runs as root (\`USER ${user.user.raw}\`): switch to an unprivileged user, e.g. \`USER 10001\`, after the steps that need root.`,
      at: user.span,
      related,
    };
  }
  const ref = parseImageRef(root.image.value);
  if (ref && isNonRoot(ref)) return undefined;
  const fix = 'create an unprivileged user and end the stage with `USER 10001`';
  const verdict = noUserVerdict(doc, final, project, path, fix);
  if (verdict.skip) return undefined;
  return {
    message: `${which} sets no USER (FROM ${final.image.value.replace(/@sha256:[a-f0-9]{64}$/, '@sha256:…')}), so it runs as root${verdict.note ?? `: ${fix}.`}`,
    at: final.fromSpan,
    ...(verdict.severity ? { severity: verdict.severity } : {}),
    confidence: verdict.confidence,
  };
}
