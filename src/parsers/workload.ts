import type { Span } from '../core/types.js';
import type { KubeObject } from './workloads/object-types.js';

/**
 * Containers as compose files and Kubernetes manifests declare them, in one shape, so that a rule
 * such as `privileged-container` is written once for both formats. A compose service is a pod
 * with one container; a Kubernetes workload (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet,
 * Job, CronJob, and the same inside a `List`) is a pod with its containers and init containers.
 * Every value carries the span of the YAML node it came from.
 */
export interface Located<T = string> {
  value: T;
  span: Span;
}

export interface PortSpec {
  /** Port inside the container. */
  container: number;
  /** Port published on the host, when published; 0 when published on a port the engine picks (compose `"80"`). */
  host?: number;
  /** Host address it is bound to; undefined means all interfaces. */
  hostIp?: string;
  span: Span;
}

export interface EnvSpec {
  name: string;
  /** Literal value; undefined when it comes from a reference (`valueFrom`, `${VAR}` only, bare name in compose). */
  value?: string;
  span: Span;
  /** Span of the value alone, when there is one. */
  valueSpan?: Span;
}

export interface ContainerSpec {
  name: string;
  role: 'service' | 'container' | 'initContainer' | 'ephemeralContainer';
  /** The container's own node (compose service mapping, Kubernetes container item). */
  span: Span;
  image?: Located;
  privileged?: Located<boolean>;
  allowPrivilegeEscalation?: Located<boolean>;
  /** Effective after pod-level defaults (container overrides pod). */
  runAsNonRoot?: Located<boolean>;
  /** Compose `user:` or Kubernetes `runAsUser` (as text), effective after pod-level defaults. */
  user?: Located;
  capAdd: Located[];
  env: EnvSpec[];
  ports: PortSpec[];
  /** Host paths mounted into this container (compose bind volumes, Kubernetes hostPath volumes it mounts). */
  hostMounts: { source: string; target?: string; span: Span }[];
  /** Where a fix would go (the container's `securityContext`, or the container itself). */
  securityContextSpan?: Span;
  /** Compose `build:`: the service builds its image (its `image:`, if any, names what it builds). */
  build?: Span;
  /**
   * Kubernetes: the pod or container securityContext hardens it in some way (runAsNonRoot, a non-zero runAsUser,
   * readOnlyRootFilesystem, dropped capabilities, a seccomp, AppArmor or SELinux profile, allowPrivilegeEscalation: false).
   */
  hardened?: boolean;
}

export interface PodSpec {
  /** `Deployment/api`, `service web` … for messages. */
  label: string;
  /** Compose service key, or the Kubernetes object's `kind`/`metadata.name`. */
  span: Span;
  /** Host namespaces shared: compose `network_mode|pid|ipc|userns_mode: host`, Kubernetes `hostNetwork|hostPID|hostIPC: true`; value `network`, `pid`, `ipc` or `user`, span the whole `key: value`. */
  hostNamespaces: Located[];
  containers: ContainerSpec[];
}

export interface WorkloadDoc {
  format: 'compose' | 'kubernetes';
  path: string;
  pods: PodSpec[];
  /** Compose `build:` entries: the Dockerfile a service builds (resolved relative to the repo root). */
  builds: { service: string; dockerfile: string; span: Span; target?: string; command?: boolean }[];
  /** Compose top-level `secrets:` and `configs:` backed by a file: the entry's name, the `file:` value, and the repo-relative path it names. */
  secretFiles?: { name: string; file: Located; path: string; section: 'secrets' | 'configs' }[];
  /** Kubernetes: the network, RBAC and mesh objects of the manifest, and its workloads' identity (see workloads/object-types.ts). */
  objects?: KubeObject[];
}
