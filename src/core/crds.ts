/**
 * One loader for CustomResourceDefinition files: each version of each CRD with its `openAPIV3Schema`, and
 * whether a cluster serves it. Used by the tests (every resource a generated overlay builds, against the
 * upstream CRDs) and by the validator's schema catalog, so both read a CRD the same way.
 *
 * A CRD's schema is OpenAPI v3, not JSON Schema: `nullable` is Ajv's own keyword, `x-kubernetes-*` ones
 * are ignored, and an object that lists its `properties` is closed unless it says
 * `x-kubernetes-preserve-unknown-fields`, as the API server's strict field validation treats it: a
 * misspelt field is an error, not silently pruned.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { UserError } from './errors.js';

export interface CrdVersion {
  group: string;
  kind: string;
  version: string;
  /** `group/version`, as resources spell it. */
  apiVersion: string;
  served: boolean;
  storage: boolean;
  deprecated: boolean;
  schema: Record<string, unknown>;
  /** The file the CRD was read from. */
  file: string;
}

export interface CrdVerdict {
  /** No CRD of the catalog defines the kind. */
  unknown?: boolean;
  /** The CRD defines the version, but a cluster does not serve it: applying it fails. */
  unserved?: boolean;
  /** Validation errors against the version's schema (Ajv's). */
  errors: ErrorObject[];
}

type Json = Record<string, unknown>;

/** The versions of every CRD in a YAML text (several documents allowed; other kinds are refused). */
export function parseCrds(text: string, file: string): CrdVersion[] {
  const result: CrdVersion[] = [];
  for (const document of parseAllDocuments(text)) {
    if ('errors' in document && document.errors.length > 0) throw new UserError(`is not YAML: ${document.errors[0]!.message.split('\n')[0]}`, file);
    const crd = document.toJS({ maxAliasCount: 100 }) as Json | null;
    if (crd === null || crd === undefined) continue;
    if (crd.kind !== 'CustomResourceDefinition') throw new UserError(`is not a CustomResourceDefinition (kind: ${String(crd.kind)})`, file);
    const spec = (crd.spec ?? {}) as Json;
    const group = spec.group as string;
    const kind = (spec.names as Json | undefined)?.kind as string;
    if (typeof group !== 'string' || typeof kind !== 'string') throw new UserError('is a CustomResourceDefinition without spec.group and spec.names.kind', file);
    for (const entry of (spec.versions ?? []) as Json[]) {
      const schema = ((entry.schema as Json | undefined)?.openAPIV3Schema ?? (spec.validation as Json | undefined)?.openAPIV3Schema) as Json | undefined;
      if (!schema) continue;
      const version = entry.name as string;
      result.push({ group, kind, version, apiVersion: `${group}/${version}`, served: entry.served !== false, storage: entry.storage === true, deprecated: entry.deprecated === true, schema, file });
    }
  }
  return result;
}

/** Every CRD in the given files and folders (a folder: its `.yaml`/`.yml` files, not recursing). */
export function loadCrds(paths: readonly string[]): CrdCatalog {
  const versions: CrdVersion[] = [];
  for (const path of paths) {
    const files = statSync(path).isDirectory()
      ? readdirSync(path).filter((name) => /\.ya?ml$/.test(name)).sort().map((name) => join(path, name))
      : [path];
    for (const file of files) versions.push(...parseCrds(readFileSync(file, 'utf8'), file));
  }
  return new CrdCatalog(versions);
}

export class CrdCatalog {
  private readonly byKey = new Map<string, CrdVersion>();
  private readonly kinds = new Set<string>();
  private readonly compiled = new Map<string, ValidateFunction>();
  private ajv: Ajv | undefined;

  constructor(readonly versions: readonly CrdVersion[]) {
    for (const version of versions) {
      this.byKey.set(key(version.apiVersion, version.kind), version);
      this.kinds.add(`${version.group}/${version.kind}`);
    }
  }

  get(apiVersion: string, kind: string): CrdVersion | undefined {
    return this.byKey.get(key(apiVersion, kind));
  }

  /** Whether any version of the kind (by the group of `apiVersion`) is defined. */
  defines(apiVersion: string, kind: string): boolean {
    return this.kinds.has(`${apiVersion.split('/')[0]}/${kind}`);
  }

  /** A resource against the schema of its apiVersion and kind. */
  validate(resource: Json): CrdVerdict {
    const apiVersion = String(resource.apiVersion);
    const kind = String(resource.kind);
    const version = this.get(apiVersion, kind);
    if (!version) return this.defines(apiVersion, kind) ? { unserved: true, errors: [] } : { unknown: true, errors: [] };
    const validate = this.validator(version);
    const errors = validate(resource) ? [] : [...(validate.errors ?? [])];
    return version.served ? { errors } : { unserved: true, errors };
  }

  private validator(version: CrdVersion): ValidateFunction {
    const id = key(version.apiVersion, version.kind);
    let validate = this.compiled.get(id);
    if (!validate) {
      this.ajv ??= new Ajv({ allErrors: true, strict: false, logger: false, validateFormats: false });
      validate = this.ajv.compile(closed(version.schema, true) as Json);
      this.compiled.set(id, validate);
    }
    return validate;
  }
}

function key(apiVersion: string, kind: string): string {
  return `${apiVersion}|${kind}`;
}

/**
 * The schema with its listed objects closed (see the top of the file). `metadata` is left open at the
 * root: a CRD says only `type: object` there and the API server validates it itself.
 */
function closed(schema: unknown, root = false): unknown {
  if (Array.isArray(schema)) return schema.map((item) => closed(item));
  if (typeof schema !== 'object' || schema === null) return schema;
  const source = schema as Json;
  const copy: Json = {};
  for (const [name, value] of Object.entries(source)) {
    if (name === 'properties' && typeof value === 'object' && value !== null) {
      copy.properties = Object.fromEntries(Object.entries(value as Json).map(([field, sub]) => [field, root && field === 'metadata' ? sub : closed(sub)]));
    } else if (name === 'enum' || name === 'default' || name === 'example') {
      copy[name] = value;
    } else {
      copy[name] = closed(value);
    }
  }
  if (copy.properties && copy.additionalProperties === undefined && source['x-kubernetes-preserve-unknown-fields'] !== true) copy.additionalProperties = false;
  return copy;
}
