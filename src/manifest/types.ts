/** The shape of platform.yaml; schemas/platform.schema.json is the authority, these types follow it. */
export interface Database {
  name: string;
  engine: 'postgres';
  version?: string;
  size?: 'small' | 'medium' | 'large';
  backups?: boolean;
}

export interface Secret {
  name: string;
  env: string;
  path: string;
  /** The key inside the store entry; the settings' secretStore.property when absent. */
  property?: string;
}

export interface Exception {
  policy: string;
  /** Only findings in files this glob matches. */
  file?: string;
  /** Only findings on this resource, `Kind/name`. */
  resource?: string;
  reason: string;
  approvedBy: string;
  expires: string;
}

/** Where a service is in its life, as Backstage's catalog spells it. */
export const LIFECYCLES = ['experimental', 'production', 'deprecated'] as const;
export type Lifecycle = (typeof LIFECYCLES)[number];

export interface Manifest {
  /** `platform.<organization.domain>/v1` (manifestApiVersion in rules.ts). */
  apiVersion: string;
  kind: 'Service';
  metadata: { name: string; owner: string; description?: string; lifecycle?: Lifecycle; system?: string };
  spec: {
    template: { name: string; version: string };
    runtime: string;
    environments: string[];
    databases?: Database[];
    secrets?: Secret[];
    exceptions?: Exception[];
  };
}

export const MANIFEST_FILE = 'platform.yaml';
/** The generation record, and its key in it (Yeoman's file, shared with other generators). */
export const RECORD_FILE = '.yo-rc.json';
export const RECORD_KEY = 'generator-platform';
