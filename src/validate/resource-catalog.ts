/**
 * The schema catalog of Kubernetes resources, in the order it is asked: the kinds the organization
 * settings skip, the schemas of the folders they name (`kubernetes.schemas`: CRDs and JSON schemas, read
 * by src/core/crds.ts), the built-in custom kinds (precompiled from their upstream CRDs), then the core
 * kinds (kubernetes-models). A kind none of them knows is unknown: a finding, since nothing checked it.
 * The built-in kinds come precompiled from the build, or from the JSON the Action's bundle carries
 * (src/core/builtin-crds.ts); without either, they fall back to the older validators of
 * kubernetes-kinds.ts, and the ones those lack are not checked.
 */
import type { ErrorObject } from 'ajv';
import { BUILTIN_CRD_GROUPS, builtinCrdCatalog } from '../core/builtin-crds.js';
import { loadCrds, type CrdCatalog } from '../core/crds.js';
import { settingsPath, type Settings } from '../settings/settings.js';
import { coreKindsOf, lookupKind } from './kubernetes-kinds.js';
import { nearestName } from '../core/nearest.js';

export type Verdict =
  | { kind: 'checked'; errors: ErrorObject[]; own?: 'cluster' }
  | { kind: 'skipped' }
  /** The catalog defines the kind, but not this version, or a cluster does not serve it. */
  | { kind: 'unserved'; served: string[]; errors: ErrorObject[] }
  /** A core group's version or kind that does not exist (a typo, or an API removed from Kubernetes). */
  | { kind: 'not-a-kind'; served: string[]; nearest?: string }
  | { kind: 'unknown' };

const settingsCatalogs = new WeakMap<Settings, CrdCatalog | null>();

function settingsCatalog(settings: Settings): CrdCatalog | null {
  let catalog = settingsCatalogs.get(settings);
  if (catalog === undefined) {
    const folders = settings.kubernetes?.schemas ?? [];
    catalog = folders.length > 0 ? loadCrds(folders.map((folder) => settingsPath(settings, folder))) : null;
    settingsCatalogs.set(settings, catalog);
  }
  return catalog;
}

export function isSkipped(settings: Settings, apiVersion: string, kind: string): boolean {
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  return (settings.kubernetes?.skipKinds ?? []).some((pattern) => pattern === kind || pattern === `${group}/${kind}` || pattern === `${group}/*`);
}

export async function judgeResource(settings: Settings, resource: Record<string, unknown>): Promise<Verdict> {
  const apiVersion = String(resource.apiVersion);
  const kind = String(resource.kind);
  if (isSkipped(settings, apiVersion, kind)) return { kind: 'skipped' };
  for (const catalog of [settingsCatalog(settings), builtinCrdCatalog()]) {
    if (!catalog || !catalog.defines(apiVersion, kind)) continue;
    const verdict = catalog.validate(resource);
    if (verdict.unserved) return { kind: 'unserved', served: catalog.servedVersions(apiVersion, kind), errors: verdict.errors };
    return { kind: 'checked', errors: verdict.errors };
  }
  const lookup = await lookupKind(apiVersion, kind);
  if (lookup.kind === 'known') return { kind: 'checked', errors: lookup.validator.validate(resource), own: lookup.validator.own };
  if (lookup.kind === 'unknown-kind') {
    // A version Kubernetes serves, and a kind it does not have: most often a typo of one it has.
    const nearest = lookup.known.length === 0 ? nearestName(kind, coreKindsOf(apiVersion)) : undefined;
    return { kind: 'not-a-kind', served: lookup.known, nearest };
  }
  // Without the built-in catalog, a kind of their groups the older validators lack is not checked, rather than unknown.
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  if (!builtinCrdCatalog() && BUILTIN_CRD_GROUPS.has(group)) return { kind: 'skipped' };
  return { kind: 'unknown' };
}
