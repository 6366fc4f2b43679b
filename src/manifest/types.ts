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

export interface Manifest {
  apiVersion: 'platform.acme.dev/v1';
  kind: 'Service';
  metadata: { name: string; owner: string; description?: string };
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
export const API_VERSION = 'platform.acme.dev/v1';
