/**
 * The replica count an environment really gets is the base's, changed by whatever its overlay layers on
 * top (`replicas:`, patches). This check judges each resource of its scope as the overlay builds it (see
 * kustomize.ts) and points at the node that set the count in effect: the line to change. A resource no
 * overlay deploys has no environment, so no count to judge. A CloudNativePG Cluster counts its PostgreSQL
 * instances: with one, every update is an outage.
 */
import type { BuiltinCheck } from './registry.js';
import { describeResource, replicaCountPath } from '../workloads.js';

export const replicasMin: BuiltinCheck = {
  name: 'replicas-min',
  description: "Builds each environment's overlay (those of the policy's scope) and checks the effective replica count of every Deployment, StatefulSet and ReplicaSet, and the instances of every CloudNativePG Cluster, in scope against a minimum.",
  scope: 'documents',
  params: {
    type: 'object',
    additionalProperties: false,
    properties: { min: { type: 'integer', minimum: 1, maximum: 100 } },
  },
  defaults: { min: 2 },
  run(context) {
    const min = Number(context.params.min);
    for (const { built } of context.documents()) {
      if (!built) continue;
      const countPath = replicaCountPath(built.identity);
      if (!countPath) continue;
      context.tick(built.file.path);
      const env = built.environment;
      const what = describeResource(built.identity);
      const unit = countPath.at(-1) === 'instances' ? 'instance' : 'replica';
      const needs = context.org.productionEnvironments.includes(env) ? `production needs at least ${min}` : `${env} needs at least ${min}`;
      if (!built.replicas) {
        const spec = built.origin(['spec']);
        context.reportAt(spec.file, spec.doc, spec.path, `${what} sets no ${unit}s in ${env}, so it runs 1: ${needs}`);
        continue;
      }
      const { value, origin } = built.replicas;
      // A count that is not a number is a schema error, reported by resource-schema.
      if (typeof value === 'number' && value < min) {
        context.reportAt(origin.file, origin.doc, origin.path, `${what} runs ${value} ${unit}${value === 1 ? '' : 's'} in ${env}: ${needs}`);
      }
    }
  },
};
