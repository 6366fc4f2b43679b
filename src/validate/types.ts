/**
 * The contract between the validator's stages. Loading and parsing build a RepositoryModel; policies
 * read it and return findings; waivers mark some findings waived; reporters print them. One Finding
 * type serves every reporter, the exit code and the GitHub Action.
 */
import type { Manifest } from '../manifest/types.js';
import type { Settings } from '../settings/settings.js';

export type Severity = 'error' | 'warning' | 'info';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

/** 1-based, end inclusive of the last character's column + 1 (as editors and SARIF count). */
export interface Range {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface Finding extends Range {
  policy: string;
  severity: Severity;
  message: string;
  /** Relative to the repository root, '/'-separated. */
  file: string;
  helpUri: string;
  waived: boolean;
  /** The exception in platform.yaml that waived it. */
  waiver?: { reason: string; approvedBy: string; expires: string };
}

/** Keys and indexes from a document's root to a node. */
export type NodePath = ReadonlyArray<string | number>;

export interface YamlDocument {
  /** 0-based index of the document within its file. */
  index: number;
  /** The plain value, aliases and merge keys resolved. */
  value: unknown;
  /** The range of the node at `path` (through anchors, aliases and merge keys); a missing key gives its closest parent. */
  locate(path: NodePath): Range;
  /** The range of the key of the entry at `path`, where there is one (for "this key should not be here"). */
  locateKey?(path: NodePath): Range | undefined;
}

export type FileKind = 'manifest' | 'settings' | 'kubernetes' | 'kustomization' | 'workflow' | 'action' | 'catalog' | 'codeowners' | 'record' | 'yaml' | 'text';

export interface RepositoryFile {
  /** Relative to the repository root, '/'-separated. */
  path: string;
  kind: FileKind;
  text: string;
  /** For YAML files that parsed; empty when the file could not be parsed (a finding says why). */
  documents: YamlDocument[];
}

export interface RepositoryModel {
  root: string;
  files: RepositoryFile[];
  file(path: string): RepositoryFile | undefined;
  /** platform.yaml as written (possibly invalid: manifest-schema reports that). */
  manifest?: Manifest;
  settings: Settings;
}

export interface PolicyMetadata {
  id: string;
  title: string;
  severity: Severity;
  rationale: string;
  remediation: string;
  helpUri: string;
}

export interface ValidateOptions {
  /** Extra policy folders (the CLI's --policies). */
  policies?: string[];
  /** Organization settings other than the embedded default. */
  settingsFile?: string;
  /** "Today", for waiver expiry; tests fix it. */
  now?: Date;
  /** Files larger than this are not read (a finding says so); 1 MiB unless set. */
  maxFileBytes?: number;
}

export interface ValidationResult {
  root: string;
  findings: Finding[];
  /** Every policy that ran, for reporters that list rules (SARIF, JUnit, markdown). */
  policies: PolicyMetadata[];
  filesChecked: number;
  /** The organization's platform repository, which SARIF names as the tool's home. */
  toolUri?: string;
}
