/** Where workloads keep their pod spec and containers, and how a policy names a resource. */
import type { NodePath } from '../validate/types.js';
import { isPlainObject, valueAt } from './select.js';

const POD_SPEC: Record<string, NodePath> = {
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  Pod: ['spec'],
};

/** Kinds whose replica count kustomize's `replicas:` field changes. */
export const SCALABLE_KINDS = ['Deployment', 'StatefulSet', 'ReplicaSet'];

/**
 * Where a resource keeps how many copies of itself run: `spec.replicas` of the scalable kinds, and
 * `spec.instances` of a CloudNativePG Cluster (PostgreSQL instances: a primary and its standbys).
 */
export function replicaCountPath(identity: { apiVersion: string; kind: string }): NodePath | undefined {
  if (SCALABLE_KINDS.includes(identity.kind)) return ['spec', 'replicas'];
  if (isDatabaseCluster(identity)) return ['spec', 'instances'];
  return undefined;
}

/** A CloudNativePG Cluster (a `Cluster` of another group is not one). */
export function isDatabaseCluster(identity: { apiVersion: string; kind: string }): boolean {
  return identity.kind === 'Cluster' && identity.apiVersion.startsWith('postgresql.cnpg.io/');
}

export function podSpecPath(kind: unknown): NodePath | undefined {
  return typeof kind === 'string' ? POD_SPEC[kind] : undefined;
}

export interface ContainerRef {
  path: NodePath;
  name: string;
  value: Record<string, unknown>;
}

/** The containers and init containers of a workload document, with their paths. */
export function containersOf(resource: unknown): ContainerRef[] {
  const podPath = isPlainObject(resource) ? podSpecPath(resource.kind) : undefined;
  if (!podPath) return [];
  const found: ContainerRef[] = [];
  for (const list of ['initContainers', 'containers']) {
    const items = valueAt(resource, [...podPath, list]);
    if (!Array.isArray(items)) continue;
    items.forEach((item, index) => {
      if (isPlainObject(item)) found.push({ path: [...podPath, list, index], name: String(item.name ?? index), value: item });
    });
  }
  return found;
}

export interface ResourceIdentity {
  apiVersion: string;
  kind: string;
  name: string;
}

export function identityOf(resource: unknown): ResourceIdentity | undefined {
  if (!isPlainObject(resource) || typeof resource.kind !== 'string') return undefined;
  const metadata = isPlainObject(resource.metadata) ? resource.metadata : {};
  return {
    apiVersion: typeof resource.apiVersion === 'string' ? resource.apiVersion : '',
    kind: resource.kind,
    name: typeof metadata.name === 'string' ? metadata.name : '',
  };
}

/** `Kind` or `group/Kind`, as a scope's `resources` lists them; the core group is written as the bare kind. */
export function matchesResource(patterns: string[], identity: ResourceIdentity): boolean {
  const group = identity.apiVersion.includes('/') ? identity.apiVersion.slice(0, identity.apiVersion.lastIndexOf('/')) : '';
  return patterns.some((pattern) => pattern === identity.kind || pattern === `${group}/${identity.kind}` || pattern === `${identity.apiVersion}/${identity.kind}`);
}

export function describeResource(identity: ResourceIdentity | undefined): string {
  if (!identity) return 'document';
  return identity.name ? `${identity.kind} "${identity.name}"` : identity.kind;
}
