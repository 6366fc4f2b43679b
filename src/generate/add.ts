import { isSeq, type Document } from 'yaml';
import { UserError } from '../core/errors.js';
import { completeDatabase, DATABASE_SYNTAX, SECRET_SYNTAX } from '../manifest/answers.js';
import { checkField } from '../manifest/rules.js';
import type { Database, Secret } from '../manifest/types.js';
import { openSource } from '../source/index.js';
import { planBetween, type UpgradePlan } from '../upgrade/upgrade.js';
import { readRecord, recordedSource } from './record.js';

export type Addition =
  | { kind: 'database'; database: Database }
  | { kind: 'secret'; secret: Secret }
  | { kind: 'environment'; environment: string };

/** One kind of addition, as `platform add KIND VALUE` and `yo platform:KIND [VALUE]` both declare it. */
export interface AdditionSpec {
  kind: Addition['kind'];
  /** What the value looks like, for --help and the prompt, and an example. */
  syntax: string;
  example: string;
  description: string;
  /** The addition, or a message: the same rule as the option of `platform new` and platform.yaml. */
  parse: (value: string) => Addition | string;
}

const asAddition = <T>(result: T | string, toAddition: (value: T) => Addition): Addition | string => (typeof result === 'string' ? result : toAddition(result));

/** The additions, once for the CLI and the sub-generators. */
export const ADDITIONS: readonly AdditionSpec[] = [
  {
    kind: 'database',
    syntax: DATABASE_SYNTAX.syntax,
    example: DATABASE_SYNTAX.example,
    description: 'Add a database: a CloudNativePG cluster per environment, wired to the Deployment',
    parse: (value) => asAddition(DATABASE_SYNTAX.parse(value), (database) => ({ kind: 'database', database })),
  },
  {
    kind: 'secret',
    syntax: SECRET_SYNTAX.syntax,
    example: SECRET_SYNTAX.example,
    description: 'Add a secret: an ExternalSecret from the organization\'s store, wired to the Deployment',
    parse: (value) => asAddition(SECRET_SYNTAX.parse(value), (secret) => ({ kind: 'secret', secret })),
  },
  {
    kind: 'environment',
    syntax: 'ENVIRONMENT',
    example: 'staging',
    description: 'Add an environment: its overlay and its Argo CD Application, in promotion order',
    parse: (value) => asAddition(checkField('environments', [value], 'environment'), () => ({ kind: 'environment', environment: value })),
  },
];

export function additionSpec(kind: Addition['kind']): AdditionSpec {
  return ADDITIONS.find((spec) => spec.kind === kind)!;
}

/**
 * Add a database, secret or environment to platform.yaml (its comments kept) and plan the re-render of
 * what depends on it: the upgrade's plan with base and target on the recorded version of the recorded
 * source, so an organization's repository is never re-rendered with another organization's templates.
 */
export async function planAddition(root: string, addition: Addition, options: { source?: string } = {}): Promise<UpgradePlan> {
  const record = readRecord(root);
  const recorded = recordedSource(record);
  const opened = await openSource(options.source ?? recorded.spec, { cwd: options.source ? process.cwd() : root });
  const source = await opened.load(record.template.version, { commit: options.source ? null : recorded.commit, template: record.template.name });
  return planBetween(root, record, source, source, (doc, manifest) => {
    const spec = manifest.spec;
    // A version typed into platform.yaml is a request to upgrade: adding on top of it would undo it in silence.
    if (spec.template.version !== record.template.version) {
      throw new UserError(`spec.template.version says ${spec.template.version}, but the repository is rendered at ${record.template.version}: run \`platform upgrade\` first`, 'platform.yaml');
    }
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
}

function appendTo(doc: Document, path: string[], value: unknown): void {
  const existing = doc.getIn(path, true);
  if (isSeq(existing)) existing.add(doc.createNode(value));
  else doc.setIn(path, doc.createNode([value]));
}
