import type { ContainerSpec, PodSpec, WorkloadDoc } from '../parsers/workload.js';
import { interpolate, type ComposeVars } from './compose-vars.js';
import { parseImageRef } from './image-ref.js';
import type { WorkflowImage } from './workflow-images.js';

/** One container of a compose file or Kubernetes manifest, with the words that name it in messages. */
export interface WorkloadContainer {
  pod: PodSpec;
  container: ContainerSpec;
  /** `service web`, `Deployment/api container app`, `Deployment/api init container migrate`. */
  where: string;
}

const ROLE_WORDS: Record<ContainerSpec['role'], string> = {
  service: '',
  container: 'container',
  initContainer: 'init container',
  ephemeralContainer: 'ephemeral container',
};

export function workloadContainers(doc: WorkloadDoc): WorkloadContainer[] {
  return doc.pods.flatMap((pod) =>
    pod.containers.map((container) => ({
      pod,
      container,
      where:
        doc.format === 'compose' || container.role === 'service'
          ? pod.label
          : `${pod.label} ${ROLE_WORDS[container.role]} ${container.name}`.replace(/\s+/g, ' '),
    })),
  );
}

const NAMES = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/g;

/** The reference interpolated with the committed `.env`, when that file sets one of its variables and leaves none unset. */
function fromDotenv(text: string, vars: ComposeVars): string | undefined {
  if (![...text.matchAll(NAMES)].some((m) => vars.get(m[1]!) !== undefined)) return undefined;
  const out = interpolate(text, vars)?.trim();
  return out && out !== text ? out : undefined;
}

/** Images of databases and brokers that take their initial password from the environment. */
const DATABASE_IMAGE = /(^|\/)(postgres|postgresql|postgis|timescaledb|mysql|mariadb|mongo|mongodb|redis|valkey|keydb|mssql\/server|couchdb|cassandra|neo4j|influxdb|clickhouse-server|rabbitmq|cockroach|elasticsearch|opensearch|minio)$/;

/** True when the file starts a database or broker of its own (a compose stack with its `db` service). */
export function startsDatabase(doc: WorkloadDoc): boolean {
  return workloadContainers(doc).some(({ container }) => {
    const ref = container.image && parseImageRef(container.image.value);
    return ref !== undefined && DATABASE_IMAGE.test(ref.repository);
  });
}

/** `cap_sys_admin`, `CAP_SYS_ADMIN` and `SYS_ADMIN` are one capability: `SYS_ADMIN`. */
export function capabilityName(text: string): string {
  return text.trim().toUpperCase().replace(/^CAP_/, '');
}

/** An image that is one whole variable: `$IMAGE`, `${IMAGE}`, `${IMAGE:?required}`, `${IMAGE:-nginx:1.27}`. */
const WHOLE_VARIABLE = /^\$(?:[A-Za-z_][A-Za-z0-9_]*|\{[A-Za-z_][A-Za-z0-9_]*(?:(:?-)(.*)|:?[?+].*)?\})$/;

/**
 * The images a compose file or manifest pulls, in the shape the image rules share with workflows. Skipped: a compose
 * service with both `build:` and `image:` (the image names what it builds, it is not pulled), and an image that is
 * one whole variable without a default. A variable's `:-default` is checked with low confidence; a reference with a
 * variable inside (`app:${TAG}`) with medium confidence. With the compose file's committed `.env` (`vars`), a reference
 * whose variables it sets is judged as it interpolates, at medium confidence (the shell can override the file).
 */
export function workloadImages(doc: WorkloadDoc, vars?: ComposeVars): WorkflowImage[] {
  const out: WorkflowImage[] = [];
  for (const { container, where } of workloadContainers(doc)) {
    const image = container.image;
    // a service that builds its image names it in `image:`, whether or not its Dockerfile's path could be resolved
    if (!image || container.build) continue;
    let text = image.value.trim();
    let confidence: WorkflowImage['confidence'] = 'high';
    const fromFile = doc.format === 'compose' && vars ? fromDotenv(text, vars) : undefined;
    if (fromFile) {
      const ref = parseImageRef(fromFile);
      if (ref && !ref.templated) {
        out.push({ where: `${where} image: `, span: image.span, refs: [{ text: `${fromFile} (\`${text}\` with ${vars!.source})`, ref }], confidence: 'medium' });
        continue;
      }
    }
    const whole = WHOLE_VARIABLE.exec(text);
    if (whole) {
      const fallback = whole[1] !== undefined ? whole[2]?.trim() : undefined;
      if (!fallback) continue;
      text = fallback;
      confidence = 'low';
    }
    const ref = parseImageRef(text);
    if (!ref) continue;
    if (ref.templated && confidence === 'high') confidence = 'medium';
    out.push({ where: `${where} image: `, span: image.span, refs: [{ text, ref }], confidence });
  }
  return out;
}
