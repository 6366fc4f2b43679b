import { isSeq } from 'yaml';
import { UserError } from '../core/errors.js';
import { completeDatabase } from '../manifest/answers.js';
import type { Database, Secret } from '../manifest/types.js';
import type { TemplateSource } from '../render/source.js';
import { editManifest, planRerender, type UpdatePlan } from './update.js';

export type Addition =
  | { kind: 'database'; database: Database }
  | { kind: 'secret'; secret: Secret }
  | { kind: 'environment'; environment: string };

/** Add a database, secret or environment to platform.yaml and plan the re-rendering of what depends on it. */
export function planAddition(root: string, addition: Addition, source: TemplateSource): UpdatePlan {
  const { manifest, text } = editManifest(root, source, (doc, current) => {
    const spec = current.spec;
    switch (addition.kind) {
      case 'database': {
        if ((spec.databases ?? []).some((db) => db.name === addition.database.name)) {
          throw new UserError(`database "${addition.database.name}" is already declared`, 'platform.yaml');
        }
        appendTo(doc, ['spec', 'databases'], completeDatabase(addition.database, source.settings));
        break;
      }
      case 'secret': {
        if ((spec.secrets ?? []).some((secret) => secret.name === addition.secret.name)) {
          throw new UserError(`secret "${addition.secret.name}" is already declared`, 'platform.yaml');
        }
        appendTo(doc, ['spec', 'secrets'], addition.secret);
        break;
      }
      case 'environment': {
        if (spec.environments.includes(addition.environment)) {
          throw new UserError(`environment "${addition.environment}" is already declared`, 'platform.yaml');
        }
        const order = source.settings.environments.map((env) => env.name);
        if (!order.includes(addition.environment)) {
          throw new UserError(`"${addition.environment}" is not an environment of the organization (known: ${order.join(', ')})`);
        }
        const wanted = order.filter((env) => env === addition.environment || spec.environments.includes(env));
        doc.setIn(['spec', 'environments'], doc.createNode(wanted));
        break;
      }
    }
  });
  return planRerender(root, manifest, text, source);
}

function appendTo(doc: import('yaml').Document, path: string[], value: unknown): void {
  const existing = doc.getIn(path, true);
  if (isSeq(existing)) existing.add(doc.createNode(value));
  else doc.setIn(path, doc.createNode([value]));
}
