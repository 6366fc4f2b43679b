/**
 * The replica count a production environment really gets is the base's, changed by whatever the
 * overlay layers on top (`replicas:`, patches). This check builds each production overlay (see
 * kustomize.ts) and points at the node that set the count in effect: the line to change. A
 * CloudNativePG Cluster counts its PostgreSQL instances: with one, every update is an outage.
 */
import type { BuiltinCheck } from './registry.js';
import { describeResource, replicaCountPath } from '../workloads.js';

export const replicasMin: BuiltinCheck = {
  name: 'replicas-min',
  description: "Builds each production environment's overlay and checks the effective replica count of every Deployment, StatefulSet and ReplicaSet, and the instances of every CloudNativePG Cluster, against a minimum.",
  params: {
    type: 'object',
    additionalProperties: false,
    properties: { min: { type: 'integer', minimum: 1, maximum: 100 } },
  },
  defaults: { min: 2 },
  run(context) {
    const min = Number(context.params.min);
    const production = context.kustomize.environments.filter((env) => context.org.productionEnvironments.includes(env));
    for (const env of production) {
      for (const resource of context.kustomize.build(env)) {
        context.tick(resource.file.path);
        const countPath = replicaCountPath(resource.identity);
        if (!countPath) continue;
        const what = describeResource(resource.identity);
        const unit = countPath.at(-1) === 'instances' ? 'instance' : 'replica';
        if (!resource.replicas) {
          context.reportAt(resource.file.path, resource.doc, ['spec'], `${what} sets no ${unit}s in ${env}, so it runs 1: production needs at least ${min}`);
          continue;
        }
        const { value, origin } = resource.replicas;
        // A count that is not a number is a schema error, reported by resource-schema.
        if (typeof value === 'number' && value < min) {
          context.reportAt(origin.file, origin.doc, origin.path, `${what} runs ${value} ${unit}${value === 1 ? '' : 's'} in ${env}: production needs at least ${min}`);
        }
      }
    }
  },
};
