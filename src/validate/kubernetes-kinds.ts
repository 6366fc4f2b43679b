/**
 * Which schema checks a Kubernetes resource, from its apiVersion and kind. Core kinds, External Secrets
 * and Argo CD use the validators that kubernetes-models generated from the upstream OpenAPI schemas;
 * the CloudNativePG Cluster uses our own schema. A validator is imported on first use only: each kind's
 * module graph costs start-up time, and a repository uses a handful of kinds.
 */
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ErrorObject } from 'ajv';
import { ownValidator } from './own-schemas.js';

export interface KindValidator {
  /** The schema errors of a resource, or an empty list. */
  validate(resource: Record<string, unknown>): ErrorObject[];
  /** For messages that quote the schema: our own schemas carry descriptions. */
  own?: 'cluster';
}

export type Lookup =
  | { kind: 'known'; validator: KindValidator }
  /** A group we know whose version or kind does not exist: a typo, or an API removed from Kubernetes. */
  | { kind: 'unknown-kind'; known: string[] }
  /** A custom resource of a group we have no schema for: not checked. */
  | { kind: 'unchecked' };

/** The API groups and versions Kubernetes serves today ('' is the core group, apiVersion `v1`); older ones were removed. */
const CORE_GROUPS: Record<string, string[]> = {
  '': ['v1'],
  'admissionregistration.k8s.io': ['v1', 'v1beta1'],
  'apiextensions.k8s.io': ['v1'],
  'apiregistration.k8s.io': ['v1'],
  apps: ['v1'],
  'authentication.k8s.io': ['v1', 'v1beta1'],
  'authorization.k8s.io': ['v1'],
  autoscaling: ['v1', 'v2'],
  batch: ['v1'],
  'certificates.k8s.io': ['v1'],
  'coordination.k8s.io': ['v1'],
  'discovery.k8s.io': ['v1'],
  'events.k8s.io': ['v1'],
  'flowcontrol.apiserver.k8s.io': ['v1', 'v1beta3'],
  'networking.k8s.io': ['v1'],
  'node.k8s.io': ['v1'],
  policy: ['v1'],
  'rbac.authorization.k8s.io': ['v1'],
  'scheduling.k8s.io': ['v1'],
  'storage.k8s.io': ['v1'],
};

const PACKAGE_GROUPS: Record<string, { module: string; versions: string[] }> = {
  'external-secrets.io': { module: '@kubernetes-models/external-secrets', versions: ['v1beta1', 'v1alpha1'] },
  'argoproj.io': { module: '@kubernetes-models/argo-cd', versions: ['v1alpha1'] },
};

/**
 * External Secrets' `v1` has the shape of `v1beta1` (the version was promoted unchanged); the installed
 * models stop at `v1beta1`, so `v1` resources are checked against it.
 */
const SAME_SHAPE: Record<string, string> = { 'external-secrets.io/v1': 'external-secrets.io/v1beta1' };

const cache = new Map<string, KindValidator | null>();

export async function lookupKind(apiVersion: string, kind: string): Promise<Lookup> {
  if (!/^([a-z0-9.-]+\/)?v[0-9]+((alpha|beta)[0-9]+)?$/.test(apiVersion) || !/^[A-Z][A-Za-z0-9]{0,62}$/.test(kind)) {
    return { kind: 'unchecked' };
  }
  if (apiVersion === 'postgresql.cnpg.io/v1' && kind === 'Cluster') return { kind: 'known', validator: clusterValidator };
  const effective = SAME_SHAPE[apiVersion] ?? apiVersion;
  const slash = effective.indexOf('/');
  const group = slash < 0 ? '' : effective.slice(0, slash);
  const version = effective.slice(slash + 1);
  let specifier: string;
  const packaged = PACKAGE_GROUPS[group];
  if (packaged) {
    if (!packaged.versions.includes(version)) return { kind: 'unchecked' };
    specifier = `${packaged.module}/${effective}/${kind}`;
  } else if (CORE_GROUPS[group]) {
    if (!CORE_GROUPS[group]!.includes(version)) return { kind: 'unknown-kind', known: CORE_GROUPS[group]!.map((v) => (group ? `${group}/${v}` : v)) };
    specifier = `kubernetes-models/${effective}/${kind}`;
  } else {
    return { kind: 'unchecked' };
  }
  const validator = await importValidator(specifier, effective !== apiVersion ? effective : undefined);
  return validator ? { kind: 'known', validator } : packaged ? { kind: 'unchecked' } : { kind: 'unknown-kind', known: [] };
}

/** The loader of a kind module a bundle carries, by specifier. */
export type KindModules = (specifier: string) => (() => Promise<unknown>) | undefined;
let providedModules: KindModules | undefined;
/** The specifiers of every kind module a bundle carries. */
let providedSpecifiers: (() => Iterable<string>) | undefined;

/**
 * For a bundle (the GitHub Action, which runs without node_modules; the CLI, whose kinds load faster
 * from bundles): `import(specifier)` cannot be followed there, so the bundle hands over the kind modules
 * it carries. A kind it lacks is treated as a package that is not installed.
 */
export function provideKindModules(modules: KindModules, specifiers?: () => Iterable<string>): void {
  providedModules = modules;
  providedSpecifiers = specifiers;
}

// The models' CommonJS builds load in half the time of their ESM ones (some 150 small modules per kind).
const require = createRequire(import.meta.url);

/**
 * The kinds kubernetes-models has for a core apiVersion (`v1`, `apps/v1`), for a "did you mean" on a
 * mistyped kind: from the bundle's table, else from the installed package's folders. Only asked about
 * a kind that does not exist, so it may load the bundle of every kind.
 */
export function coreKindsOf(apiVersion: string): string[] {
  const prefix = `kubernetes-models/${apiVersion}/`;
  if (providedModules) {
    return [...(providedSpecifiers?.() ?? [])].filter((specifier) => specifier.startsWith(prefix)).map((specifier) => specifier.slice(prefix.length)).filter((kind) => !kind.includes('/'));
  }
  try {
    const root = dirname(dirname(require.resolve('kubernetes-models/v1/Pod')));
    return readdirSync(join(root, apiVersion)).filter((name) => name.endsWith('.js')).map((name) => name.slice(0, -3));
  } catch {
    return [];
  }
}

async function importKindModule(specifier: string): Promise<unknown> {
  if (!providedModules) {
    try {
      return require(specifier) as unknown;
    } catch (error) {
      // One code for "not there", whichever loader looked.
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'MODULE_NOT_FOUND') throw Object.assign(new Error(`${specifier} is not installed`), { code: 'ERR_MODULE_NOT_FOUND' });
      throw error;
    }
  }
  const load = providedModules(specifier);
  return load ? load() : Promise.reject(Object.assign(new Error(`${specifier} is not in the bundle`), { code: 'ERR_MODULE_NOT_FOUND' }));
}

async function importValidator(specifier: string, checkAs: string | undefined): Promise<KindValidator | null> {
  const key = `${specifier} ${checkAs ?? ''}`;
  if (cache.has(key)) return cache.get(key)!;
  let validator: KindValidator | null = null;
  try {
    const module = (await importKindModule(specifier)) as Record<string, { prototype?: { validate?: () => void } } | undefined>;
    const kind = specifier.slice(specifier.lastIndexOf('/') + 1);
    const validate = module[kind]?.prototype?.validate;
    if (typeof validate === 'function') validator = { validate: (resource) => runModelValidate(validate, resource, checkAs) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED' && (error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
  }
  cache.set(key, validator);
  return validator;
}

/**
 * The models validate `this` and throw an error that carries ajv's errors. Calling their validate on the
 * plain value (not on a model built from it) checks exactly what was written, without copying it.
 */
function runModelValidate(validate: () => void, resource: Record<string, unknown>, checkAs: string | undefined): ErrorObject[] {
  const subject = checkAs ? { ...resource, apiVersion: checkAs } : resource;
  try {
    validate.call(subject);
    return [];
  } catch (error) {
    const errors = (error as { errors?: ErrorObject[] }).errors;
    if (!Array.isArray(errors)) throw error;
    return errors;
  }
}

const clusterValidator: KindValidator = {
  own: 'cluster',
  validate(resource) {
    const validate = ownValidator('cluster');
    return validate(resource) ? [] : [...(validate.errors ?? [])];
  },
};
