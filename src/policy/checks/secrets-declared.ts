/**
 * Secrets flow one way: declared in platform.yaml, fetched by an ExternalSecret from the organization's
 * store (each environment from its own entry, `secretStore.pathPattern`), passed to the Deployment by
 * `secretKeyRef`. This check follows that path in both directions: nothing references a secret
 * platform.yaml does not declare, and every declared secret (and every declared database's connection
 * secret) reaches the Deployment. The secrets the organization settings name for the platform itself
 * (the registry's pull secret, the backups' credentials) count as declared.
 *
 * With overlays, each environment is judged by what its overlay builds (kustomize.ts): a declared secret
 * must have its ExternalSecret and reach the Deployment in every environment (one a prod patch unwires is
 * reported for prod), and a reference a patch writes is reported at the patch. What no overlay deploys is
 * read as written, as is a repository without overlays.
 */
import { SETTING_DEFAULTS } from '../../settings/settings.js';
import type { NodePath, RepositoryFile } from '../../validate/types.js';
import type { Origin } from '../kustomize.js';
import { interpolate } from '../schema-rule.js';
import { isPlainObject, valueAt } from '../select.js';
import { containersOf, identityOf, type ResourceIdentity } from '../workloads.js';
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
    // What platform.yaml accounts for: its secrets, and the connection secret of each of its databases.
    const names = (kind: Declared['kind']) => declared.filter((item) => item.kind === kind).map((item) => item.secret);
    const described = [
      `secrets: ${names('secret').join(', ') || 'none'}`,
      ...(names('database').length > 0 ? [`database connections: ${names('database').join(', ')}`] : []),
    ].join('; ');
    const platformSecrets = new Set([context.org.images?.pullSecret?.name, context.org.databases.postgres.backups.credentialsSecret].filter((name): name is string => !!name));
    const pattern = context.org.secretStore.pathPattern ?? SETTING_DEFAULTS.pathPattern;
    /** The store entry an environment reads for a path; every environment's when the file is deployed by none. */
    const entries = (path: string, env: string | undefined): string[] => (env ? [env] : context.org.environmentNames)
      .map((name) => pattern.replaceAll('{env}', name).replaceAll('{path}', path));
    const view = context.kustomize;
    const environments = view.environments;

    /** What reaches a cluster: the secrets ExternalSecrets create, and those a Deployment reads. */
    interface Reach {
      fetched: Set<string>;
      wired: Set<string>;
    }
    const reach = (): Reach => ({ fetched: new Set(), wired: new Set() });
    // Each environment's, from its overlay's build; without overlays, what the files hold.
    const byEnvironment = new Map(environments.map((env) => [env, reach()]));
    const written = reach();
    // A finding of a built resource, once per node, with the environments whose build has it.
    const notes = new Map<string, { origin: Origin; environments: string[]; message: (environments: string[]) => string }>();
    const note = (origin: Origin, env: string, message: (environments: string[]) => string) => {
      const range = origin.doc.locate(origin.path);
      const key = `${origin.file}:${range.line}:${range.column}`;
      const known = notes.get(key) ?? { origin, environments: [], message };
      if (!known.environments.includes(env)) known.environments.push(env);
      notes.set(key, known);
    };
    /** ` in prod` when only some of the environments that read the file get the finding. */
    const where = (file: string, found: string[]) => (view.deployedBy(file).some((env) => !found.includes(env)) ? ` in ${found.join(', ')}` : '');

    /**
     * One document: as written (`env` undefined: every environment that deploys its file, or each one
     * when none does), or as an environment's overlay builds it (`at` the node that wrote a value).
     */
    const examine = (file: RepositoryFile, value: unknown, identity: ResourceIdentity | undefined, at: (path: NodePath) => Origin, env: string | undefined, into: Reach) => {
      const report = (path: NodePath, message: (environments: string[]) => string) => {
        const origin = at(path);
        if (env === undefined) context.reportAt(origin.file, origin.doc, origin.path, message([]));
        else note(origin, env, message);
      };
      if (identity?.kind === 'ExternalSecret' && (env !== undefined || !view.isPatch(file.path))) {
        const targetPath = valueAt(value, ['spec', 'target', 'name']) !== undefined ? ['spec', 'target', 'name'] : ['metadata', 'name'];
        // Built, the name is the one kustomize gives it (namePrefix and nameSuffix applied).
        const target = env !== undefined && targetPath[0] === 'metadata' ? identity.name : String(valueAt(value, targetPath));
        const match = byName.get(target);
        if (!match && platformSecrets.has(target)) return;
        if (!match || match.kind !== 'secret') {
          report(targetPath, () => `ExternalSecret creates secret "${target}", which platform.yaml does not declare (it declares ${described})`);
        } else {
          into.fetched.add(target);
          // Each environment that deploys the file must read its own entry: one file in several reads one for all.
          const data = valueAt(value, ['spec', 'data']);
          const readers = env !== undefined ? [env] : view.environmentsOf(file.path);
          (Array.isArray(data) ? data : []).forEach((item, index) => {
            const key = valueAt(item, ['remoteRef', 'key']);
            if (match.path === undefined || key === undefined) return;
            const wrong = (readers.length ? readers : [undefined]).filter((reader) => !entries(match.path!, reader).includes(String(key)));
            if (wrong.length === 0) return;
            const wanted = (envs: Array<string | undefined>) => envs.map((reader) => (reader ? `"${entries(match.path!, reader)[0]}" in ${reader}` : entries(match.path!, reader).map((entry) => `"${entry}"`).join(' or '))).join(', ');
            report(['spec', 'data', index, 'remoteRef', 'key'], (envs) => `reads ${JSON.stringify(key)} from the store, but platform.yaml declares the path "${match.path}" for "${target}", read as ${wanted(env !== undefined ? envs : wrong)}`);
          });
        }
      }
      for (const reference of secretReferences(value)) {
        if (!byName.has(reference.name) && !platformSecrets.has(reference.name)) {
          report(reference.path, (envs) => `references secret "${reference.name}"${env !== undefined ? where(at(reference.path).file, envs) : ''}, which platform.yaml does not declare (it declares ${described})`);
        }
      }
      if (identity?.kind === 'Deployment') {
        for (const container of containersOf(value)) {
          for (const item of Array.isArray(container.value.env) ? container.value.env : []) {
            const name = valueAt(item, ['valueFrom', 'secretKeyRef', 'name']);
            const match = typeof name === 'string' ? byName.get(name) : undefined;
            if (match && (match.kind === 'database' || !match.env || valueAt(item, ['name']) === match.env)) into.wired.add(match.secret);
          }
        }
      }
    };

    // As written: what no overlay deploys. A file no overlay folder holds counts for every environment; one
    // an overlay folder holds, for that environment only when its folder has no kustomization (deployed as
    // it is): a kustomization that does not list the file does not deploy it.
    for (const { file, doc, identity } of context.documents()) {
      context.tick(file.path);
      if (view.deployedBy(file.path).length > 0) continue;
      const counted = reach();
      examine(file, doc.value, identity, (path) => ({ file: file.path, doc, path }), undefined, counted);
      const holders = view.environmentsOf(file.path);
      const into = holders.length === 0 ? [written, ...byEnvironment.values()] : holders.filter((env) => !view.overlayFile(env)).map((env) => byEnvironment.get(env)!);
      for (const target of into) {
        for (const secret of counted.fetched) target.fetched.add(secret);
        for (const secret of counted.wired) target.wired.add(secret);
      }
    }
    // As each environment's overlay builds what it deploys.
    const inScope = new Set(context.files());
    for (const env of environments) {
      for (const resource of view.build(env)) {
        if (!inScope.has(resource.file)) continue;
        context.tick(resource.file.path);
        examine(resource.file, resource.value, resource.identity, (path) => resource.origin(path), env, byEnvironment.get(env)!);
      }
    }
    for (const { origin, environments: found, message } of notes.values()) context.reportAt(origin.file, origin.doc, origin.path, message(found));

    for (const item of declared) {
      const at = ['spec', item.kind === 'secret' ? 'secrets' : 'databases', item.index];
      const report = (message: string) => context.reportAt(manifest.file.path, manifest.doc, at, message);
      // The environments that lack it; every one (or, without overlays, the repository) reads as before.
      const lacking = (has: (seen: Reach) => boolean): string | undefined => {
        if (environments.length === 0) return has(written) ? undefined : '';
        const missing = environments.filter((env) => !has(byEnvironment.get(env)!));
        if (missing.length === 0) return undefined;
        return missing.length === environments.length ? '' : ` in ${missing.join(', ')}`;
      };
      const unfetched = item.kind === 'secret' ? lacking((seen) => seen.fetched.has(item.secret)) : undefined;
      if (unfetched !== undefined) report(`secret "${item.secret}" has no ExternalSecret${unfetched} that creates it from the organization's store`);
      const unwired = lacking((seen) => seen.wired.has(item.secret));
      if (unwired !== undefined) {
        report(item.kind === 'secret'
          ? `secret "${item.secret}" does not reach the Deployment${unwired}: no container sets ${item.env ?? 'its variable'} from it by secretKeyRef`
          : `the connection secret "${item.secret}" of this database does not reach the Deployment${unwired} by secretKeyRef`);
      }
    }
  },
};

/** Every `secretKeyRef` and `envFrom[].secretRef` in a resource, wherever it sits. */
function secretReferences(value: unknown): Reference[] {
  if (!identityOf(value)) return [];
  const found: Reference[] = [];
  const visit = (value: unknown, path: NodePath, depth: number): void => {
    if (depth > 40) return;
    if (Array.isArray(value)) value.forEach((item, index) => visit(item, [...path, index], depth + 1));
    else if (isPlainObject(value)) {
      for (const [key, item] of Object.entries(value)) {
        const isReference = key === 'secretKeyRef' || (key === 'secretRef' && path.at(-2) === 'envFrom');
        if (isReference && isPlainObject(item) && typeof item.name === 'string') found.push({ path: [...path, key, 'name'], name: item.name });
        else visit(item, [...path, key], depth + 1);
      }
    }
  };
  visit(value, [], 0);
  return found;
}
