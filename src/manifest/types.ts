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
export const API_VERSION = 'platform.acme.dev/v1';
