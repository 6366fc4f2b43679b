/**
 * The organization's values that policy files can refer to instead of repeating literals: a schema
 * writes `{ $setting: secretStore.name }` where it needs the store's name, and the policy follows the
 * settings file. Besides every field of the settings, a few derived lists are offered.
 */
import type { Settings } from '../settings/settings.js';
import { isPlainObject } from './select.js';

export interface OrganizationValues extends Settings {
  /** Names of the environments marked `production: true`. */
  productionEnvironments: string[];
  environmentNames: string[];
  /** Owners of the organization's own workflow and action repositories (pinned by tag, not SHA). */
  ownedActionOwners: string[];
  /** `acme/generator-platform`-style repositories of the reusable workflows and the Action. */
  platformRepositories: string[];
  /** Each environment's cluster server, by environment name. */
  clusters: Record<string, string>;
}

export function organizationValues(settings: Settings): OrganizationValues {
  const repositories = [...new Set([settings.workflows.repository, settings.action.repository])];
  return {
    ...settings,
    productionEnvironments: settings.environments.filter((env) => env.production).map((env) => env.name),
    environmentNames: settings.environments.map((env) => env.name),
    ownedActionOwners: [...new Set(repositories.map((repo) => repo.split('/')[0]!))],
    platformRepositories: repositories,
    clusters: Object.fromEntries(settings.environments.map((env) => [env.name, env.server])),
  };
}

/** The value at a dotted path of the organization values, or undefined. */
export function settingAt(values: OrganizationValues, dotted: string): unknown {
  let current: unknown = values;
  for (const key of dotted.split('.')) {
    if (!isPlainObject(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

/**
 * Replace every `{ $setting: path }` in a policy's data by the organization's value; an unknown path
 * is reported by the caller with the policy file's name.
 */
export function injectSettings(data: unknown, values: OrganizationValues, unknown: (setting: string, path: Array<string | number>) => void, path: Array<string | number> = []): unknown {
  if (Array.isArray(data)) return data.map((item, index) => injectSettings(item, values, unknown, [...path, index]));
  if (!isPlainObject(data)) return data;
  const keys = Object.keys(data);
  if (keys.length === 1 && keys[0] === '$setting' && typeof data.$setting === 'string') {
    const value = settingAt(values, data.$setting);
    if (value === undefined) unknown(data.$setting, [...path, '$setting']);
    return value ?? null;
  }
  return Object.fromEntries(keys.map((key) => [key, injectSettings(data[key], values, unknown, [...path, key])]));
}

/** `{org:registry}` in a policy example's files: the example then holds for every organization's settings. */
const PLACEHOLDER = /\{org:([A-Za-z0-9_.-]+)\}/g;

/**
 * Fill the `{org:path}` placeholders of an example file with the organization's values (a scalar at
 * `path`); an unknown path, or one naming a list or a map, is reported by the caller.
 */
export function fillPlaceholders(text: string, values: OrganizationValues, unknown: (setting: string) => void): string {
  return text.replace(PLACEHOLDER, (whole, dotted: string) => {
    const value = settingAt(values, dotted);
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
    unknown(dotted);
    return whole;
  });
}
