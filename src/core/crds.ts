/**
 * The one loader of resource schemas: CustomResourceDefinition files (each version with its
 * `openAPIV3Schema`, and whether a cluster serves it) and folders of JSON schemas in the layout
 * kubeconform users know (`{kind}_{version}.json` for the core group, `{group}/{kind}_{version}.json`;
 * kinds compared without case). Used by the tests (every resource a generated overlay builds, against the
 * upstream CRDs), by the build (the built-in kinds, precompiled: src/core/builtin-crds.ts) and by the
 * validator's catalog of the folders the organization settings name, so all read a schema the same way.
 *
 * A CRD's schema is OpenAPI v3, not JSON Schema: `nullable` is Ajv's own keyword, `x-kubernetes-*` ones
 * are ignored, and an object that lists its `properties` is closed unless it says
 * `x-kubernetes-preserve-unknown-fields`, as the API server's strict field validation treats it: a
 * misspelt field is an error, not silently pruned.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
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
  /** A CRD's schema is OpenAPI (objects closed for validation); a JSON schema is used as written. */
  format?: 'crd' | 'json-schema';
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

/**
 * Every schema in the given files and folders: a `.yaml`/`.yml` file holds CRDs, a `.json` file is a
 * JSON schema named by the layout above; a folder's group subfolders are read too (one level).
 */
export function loadCrds(paths: readonly string[]): CrdCatalog {
  const versions: CrdVersion[] = [];
  const readFile = (file: string, group: string | undefined) => {
    if (/\.ya?ml$/.test(file)) versions.push(...parseCrds(readFileSync(file, 'utf8'), file));
    else if (/\.json$/.test(file)) versions.push(parseJsonSchema(readFileSync(file, 'utf8'), file, group ?? groupOfFolder(file)));
  };
  for (const path of paths) {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      throw new UserError('is not a file or folder of schemas', path);
    }
    if (!stat.isDirectory()) {
      readFile(path, undefined);
      continue;
    }
    for (const name of readdirSync(path).sort()) {
      const entry = join(path, name);
      if (statSync(entry).isDirectory()) {
        for (const inner of readdirSync(entry).sort()) if (/\.json$/.test(inner)) readFile(join(entry, inner), name);
      } else {
        readFile(entry, '');
      }
    }
  }
  return new CrdCatalog(versions);
}

function groupOfFolder(file: string): string {
  const folder = basename(dirname(file));
  return folder.includes('.') ? folder : '';
}

/** A JSON schema file of the kubeconform layout: `{kind}_{version}.json`, the group from its folder. */
export function parseJsonSchema(text: string, file: string, group: string): CrdVersion {
  const match = /^([a-z0-9]+)_(v[0-9]+(?:(?:alpha|beta)[0-9]+)?)\.json$/i.exec(basename(file));
  if (!match) throw new UserError('is not named {kind}_{version}.json (the layout of kubeconform schema folders)', file);
  let schema: Json;
  try {
    schema = JSON.parse(text) as Json;
  } catch (error) {
    throw new UserError(`is not JSON: ${(error as Error).message.split('\n')[0]}`, file);
  }
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) throw new UserError('is not a JSON schema (an object)', file);
  // The meta-schema line of older drafts is not Ajv's; the keywords the schemas use are the same.
  const { $schema: _meta, id: _id, $id: _ownId, ...rest } = schema;
  const kind = match[1]!;
  const version = match[2]!;
  return { group, kind, version, apiVersion: group ? `${group}/${version}` : version, served: true, storage: true, deprecated: false, schema: rest, file, format: 'json-schema' };
}

export class CrdCatalog {
  private readonly byKey = new Map<string, CrdVersion>();
  private readonly kinds = new Set<string>();
  private readonly compiled = new Map<string, ValidateFunction>();
  private ajv: Ajv | undefined;

  constructor(
    readonly versions: readonly CrdVersion[],
    /** Validators compiled at build time, by `apiVersion|kind` (lower case). */
    private readonly precompiled: Readonly<Record<string, ValidateFunction>> = {},
  ) {
    for (const version of versions) {
      this.byKey.set(key(version.apiVersion, version.kind), version);
      this.kinds.add(`${version.group}/${version.kind}`.toLowerCase());
    }
  }

  get(apiVersion: string, kind: string): CrdVersion | undefined {
    return this.byKey.get(key(apiVersion, kind));
  }

  /** Whether any version of the kind (by the group of `apiVersion`) is defined. */
  defines(apiVersion: string, kind: string): boolean {
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    return this.kinds.has(`${group}/${kind}`.toLowerCase());
  }

  /** The apiVersions a cluster serves of the kind (by the group of `apiVersion`). */
  servedVersions(apiVersion: string, kind: string): string[] {
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    return this.versions.filter((v) => v.served && v.group === group && v.kind.toLowerCase() === kind.toLowerCase()).map((v) => v.apiVersion);
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
    let validate = this.compiled.get(id) ?? this.precompiled[id];
    if (!validate) {
      this.ajv ??= schemaAjv();
      try {
        validate = this.ajv.compile(validationSchema(version));
      } catch (error) {
        throw new UserError(`has a schema for ${version.apiVersion} ${version.kind} that does not compile: ${(error as Error).message.split('\n')[0]}`, version.file);
      }
      this.compiled.set(id, validate);
    }
    return validate;
  }
}

/** How resource schemas are compiled, here and at build time: lenient about keywords, no formats. */
export function schemaAjv(options: { code?: { source?: boolean } } = {}): Ajv {
  return new Ajv({ allErrors: true, strict: false, logger: false, validateFormats: false, validateSchema: false, ...options });
}

/** The schema a version is validated against: a CRD's closed (see the top of the file), a JSON schema as it is. */
export function validationSchema(version: CrdVersion): Json {
  if (version.format === 'json-schema') return version.schema;
  const schema = closed(version.schema, true) as Json;
  // `status` is the controller's to write, never a repository's: its schema (most of Argo CD's) is not compiled.
  const properties = schema.properties as Json | undefined;
  if (properties?.status) properties.status = { type: 'object' };
  return schema;
}

export function key(apiVersion: string, kind: string): string {
  return `${apiVersion}|${kind}`.toLowerCase();
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
  // Every resource has these, whether its CRD lists them or not: the API server owns them.
  if (root && copy.additionalProperties === false) copy.properties = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, ...(copy.properties as Json) };
  return copy;
}
