/**
 * A database that leaves platform.yaml (removed, renamed, or its service renamed) is not deleted: its
 * Cluster carries Argo CD's `Prune=false,Delete=false`, so it keeps running with its data in every
 * environment. A re-render says so, once per Cluster, with what to do about it.
 */
import type { Manifest } from '../manifest/types.js';
import { buildContext } from '../render/context.js';
import type { TemplateSource } from '../render/source.js';

export function databasesLeft(before: Manifest, beforeSource: TemplateSource, after: Manifest, afterSource: TemplateSource): string[] {
  const clusters = (manifest: Manifest, source: TemplateSource) => buildContext(manifest, source.settings, source.versions).databases;
  const kept = new Set(clusters(after, afterSource).map((db) => db.cluster));
  const namespace = buildContext(before, beforeSource.settings, beforeSource.versions).namespace;
  return clusters(before, beforeSource)
    .filter((db) => !kept.has(db.cluster))
    .map((db) => `database "${db.name}" is no longer in platform.yaml, but Argo CD keeps its Cluster ${db.cluster} and its data in every environment: declare it again, or once its data is not needed, delete it by hand (kubectl delete cluster ${db.cluster} -n ${namespace})`);
}
