/**
 * Secrets flow one way: declared in platform.yaml, fetched by an ExternalSecret from the organization's
 * store (each environment from its own entry, `secretStore.pathPattern`), passed to the Deployment by
 * `secretKeyRef`. This check follows that path in both directions: nothing references a secret
 * platform.yaml does not declare, and every declared secret (and every declared database's connection
 * secret) reaches the Deployment. The secrets the organization settings name for the platform itself
 * (the registry's pull secret, the backups' credentials) count as declared.
 */
import { SETTING_DEFAULTS } from '../../settings/settings.js';
import type { NodePath, RepositoryFile, YamlDocument } from '../../validate/types.js';
import { interpolate } from '../schema-rule.js';
import { isPlainObject, valueAt } from '../select.js';
import { containersOf, identityOf } from '../workloads.js';
import { listAt, manifestDoc } from './manifest-doc.js';
import type { BuiltinCheck } from './registry.js';

interface Declared {
  kind: 'secret' | 'database';
  index: number;
  secret: string;
  /** For secrets: the variable the app reads and the store path. */
  env?: string;
  path?: string;
}

interface Reference {
  file: RepositoryFile;
  doc: YamlDocument;
  path: NodePath;
  name: string;
}

export const secretsDeclared: BuiltinCheck = {
  name: 'secrets-declared',
  scope: 'files',
  description: 'Matches ExternalSecrets, secretKeyRef and envFrom secretRef references against the secrets and databases of platform.yaml, and checks that each declared one reaches a Deployment.',
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      secretName: { type: 'string', description: 'The Kubernetes Secret of a declared secret: {service} and {secret}.' },
      databaseSecretName: { type: 'string', description: 'The connection Secret of a declared database: {service} and {database}.' },
    },
  },
  defaults: { secretName: '{service}-{secret}', databaseSecretName: '{service}-{database}-app' },
  run(context) {
    const manifest = manifestDoc(context.model);
    if (!manifest?.name) return;
    const service = manifest.name;
    const declared: Declared[] = [
      ...listAt(manifest.value, 'secrets').map((secret, index): Declared => ({
        kind: 'secret',
        index,
        secret: interpolate(String(context.params.secretName), { service, secret: String(secret.name) }),
        env: typeof secret.env === 'string' ? secret.env : undefined,
        path: typeof secret.path === 'string' ? secret.path : undefined,
      })),
      ...listAt(manifest.value, 'databases').map((db, index): Declared => ({
        kind: 'database',
        index,
        secret: interpolate(String(context.params.databaseSecretName), { service, database: String(db.name) }),
      })),
    ];
    const byName = new Map(declared.map((item) => [item.secret, item]));
    const described = declared.map((item) => item.secret).join(', ') || 'none';
    const platformSecrets = new Set([context.org.images?.pullSecret?.name, context.org.databases.postgres.backups.credentialsSecret].filter((name): name is string => !!name));
    const pattern = context.org.secretStore.pathPattern ?? SETTING_DEFAULTS.pathPattern;
    /** The store entry an environment reads for a path; every environment's when the file is deployed by none. */
    const entries = (path: string, env: string | undefined): string[] => (env ? [env] : context.org.environmentNames)
      .map((name) => pattern.replaceAll('{env}', name).replaceAll('{path}', path));
    const fetched = new Set<string>();
    const wired = new Set<string>();

    for (const { file, doc, identity } of context.documents()) {
      context.tick(file.path);
      if (identity?.kind === 'ExternalSecret' && !context.kustomize.isPatch(file.path)) {
        const targetPath = valueAt(doc.value, ['spec', 'target', 'name']) !== undefined ? ['spec', 'target', 'name'] : ['metadata', 'name'];
        const target = String(valueAt(doc.value, targetPath));
        const match = byName.get(target);
        if (!match && platformSecrets.has(target)) continue;
        if (!match || match.kind !== 'secret') {
          context.reportAt(file.path, doc, targetPath, `ExternalSecret creates secret "${target}", which platform.yaml does not declare (declared: ${described})`);
          continue;
        }
        fetched.add(target);
        // Each environment that deploys the file must read its own entry: one file in several reads one for all.
        const data = valueAt(doc.value, ['spec', 'data']);
        const environments = context.kustomize.environmentsOf(file.path);
        (Array.isArray(data) ? data : []).forEach((item, index) => {
          const key = valueAt(item, ['remoteRef', 'key']);
          if (match.path === undefined || key === undefined) return;
          const wrong = (environments.length ? environments : [undefined]).filter((env) => !entries(match.path!, env).includes(String(key)));
          if (wrong.length === 0) return;
          const wanted = wrong.map((env) => (env ? `"${entries(match.path!, env)[0]}" in ${env}` : entries(match.path!, env).map((entry) => `"${entry}"`).join(' or '))).join(', ');
          context.reportAt(file.path, doc, ['spec', 'data', index, 'remoteRef', 'key'], `reads ${JSON.stringify(key)} from the store, but platform.yaml declares the path "${match.path}" for "${target}", read as ${wanted}`);
        });
      }
      for (const reference of secretReferences(file, doc)) {
        if (!byName.has(reference.name) && !platformSecrets.has(reference.name)) {
          context.reportAt(file.path, doc, reference.path, `references secret "${reference.name}", which platform.yaml does not declare (declared: ${described})`);
        }
      }
      if (identity?.kind === 'Deployment') {
        for (const container of containersOf(doc.value)) {
          for (const item of Array.isArray(container.value.env) ? container.value.env : []) {
            const name = valueAt(item, ['valueFrom', 'secretKeyRef', 'name']);
            const match = typeof name === 'string' ? byName.get(name) : undefined;
            if (match && (match.kind === 'database' || !match.env || valueAt(item, ['name']) === match.env)) wired.add(match.secret);
          }
        }
      }
    }

    for (const item of declared) {
      const at = ['spec', item.kind === 'secret' ? 'secrets' : 'databases', item.index];
      const report = (message: string) => context.reportAt(manifest.file.path, manifest.doc, at, message);
      if (item.kind === 'secret' && !fetched.has(item.secret)) report(`secret "${item.secret}" has no ExternalSecret that creates it from the organization's store`);
      if (!wired.has(item.secret)) {
        report(item.kind === 'secret'
          ? `secret "${item.secret}" does not reach the Deployment: no container sets ${item.env ?? 'its variable'} from it by secretKeyRef`
          : `the connection secret "${item.secret}" of this database does not reach the Deployment by secretKeyRef`);
      }
    }
  },
};

/** Every `secretKeyRef` and `envFrom[].secretRef` in a document, wherever it sits. */
function secretReferences(file: RepositoryFile, doc: YamlDocument): Reference[] {
  if (!identityOf(doc.value)) return [];
  const found: Reference[] = [];
  const visit = (value: unknown, path: NodePath, depth: number): void => {
    if (depth > 40) return;
    if (Array.isArray(value)) value.forEach((item, index) => visit(item, [...path, index], depth + 1));
    else if (isPlainObject(value)) {
      for (const [key, item] of Object.entries(value)) {
        const isReference = key === 'secretKeyRef' || (key === 'secretRef' && path.at(-2) === 'envFrom');
        if (isReference && isPlainObject(item) && typeof item.name === 'string') found.push({ file, doc, path: [...path, key, 'name'], name: item.name });
        else visit(item, [...path, key], depth + 1);
      }
    }
  };
  visit(doc.value, [], 0);
  return found;
}
