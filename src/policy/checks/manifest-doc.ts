/** platform.yaml as the checks use it: the file, its document, and its value when it is a mapping. */
import { MANIFEST_FILE } from '../../manifest/types.js';
import type { RepositoryFile, RepositoryModel, YamlDocument } from '../../validate/types.js';
import { isPlainObject } from '../select.js';

export interface ManifestDoc {
  file: RepositoryFile;
  doc: YamlDocument;
  value: Record<string, unknown>;
  name?: string;
  owner?: string;
  description?: string;
  environments: string[];
}

/** Undefined when there is no readable manifest: manifest-schema reports that, not every other check. */
export function manifestDoc(model: RepositoryModel): ManifestDoc | undefined {
  const file = model.file(MANIFEST_FILE);
  const doc = file?.documents[0];
  if (!file || !doc || !isPlainObject(doc.value)) return undefined;
  const value = doc.value;
  const metadata = isPlainObject(value.metadata) ? value.metadata : {};
  const spec = isPlainObject(value.spec) ? value.spec : {};
  const text = (field: unknown) => (typeof field === 'string' ? field : undefined);
  return {
    file,
    doc,
    value,
    name: text(metadata.name),
    owner: text(metadata.owner),
    description: text(metadata.description),
    environments: Array.isArray(spec.environments) ? spec.environments.filter((env): env is string => typeof env === 'string') : [],
  };
}

export function listAt(value: Record<string, unknown>, key: string): Array<Record<string, unknown>> {
  const spec = isPlainObject(value.spec) ? value.spec : {};
  const list = spec[key];
  return Array.isArray(list) ? list.map((item) => (isPlainObject(item) ? item : {})) : [];
}
