/**
 * The policies the validator's own stages enforce (loading, parsing, schemas). Their data files in
 * policies/ are the reference; this table is what the pipeline falls back to when a policy folder does
 * not describe one of them, so a finding always has a title, a severity and a help link.
 */
import type { Settings } from '../settings/settings.js';
import type { PolicyMetadata, Severity } from './types.js';

interface PipelinePolicy {
  id: string;
  title: string;
  severity: Severity;
  rationale: string;
  remediation: string;
}

export const PIPELINE_POLICIES: readonly PipelinePolicy[] = [
  {
    id: 'file-readable',
    title: 'Repository files can be read safely',
    severity: 'error',
    rationale: 'A configuration file the validator cannot read is a file nobody checked: too large, binary, not UTF-8, or a symbolic link that leads out of the repository or in a loop.',
    remediation: 'Keep configuration files small UTF-8 text inside the repository; replace symbolic links that leave it by the files themselves.',
  },
  {
    id: 'yaml-syntax',
    title: 'YAML files parse cleanly and safely',
    severity: 'error',
    rationale: 'Malformed YAML, duplicate keys and tabs used for indentation are read differently by different tools (or not at all); alias bombs, cycles, very deep nesting and `__proto__` keys are attacks on the tools that read the file.',
    remediation: 'Fix the YAML at the line shown: indent with spaces, give each key once, and remove the alias or key the finding names.',
  },
  {
    id: 'yaml-style',
    title: 'YAML files are plain UTF-8 with LF line endings',
    severity: 'warning',
    rationale: 'A byte-order mark, CRLF line endings or an empty file are legal, but tools disagree about them, and a managed file saved that way no longer matches its template.',
    remediation: 'Save the file as UTF-8 without a byte-order mark, with LF line endings (a .gitattributes `* text=auto eol=lf` keeps it so), and delete files left empty.',
  },
  {
    id: 'manifest-schema',
    title: 'platform.yaml follows the manifest schema',
    severity: 'error',
    rationale: 'platform.yaml is the single source of truth every generated file derives from; the generator, upgrades and the policies all rely on its shape and on values the organization allows.',
    remediation: 'Correct the field shown; the schema is schemas/platform.schema.json (editors validate as you type through its yaml-language-server comment).',
  },
  {
    id: 'settings-schema',
    title: 'Organization settings follow the settings schema',
    severity: 'error',
    rationale: 'The organization settings decide registries, secret stores, clusters and allowed values for every repository; a wrong one misconfigures all of them.',
    remediation: 'Correct the field shown; the schema is schemas/settings.schema.json.',
  },
  {
    id: 'resource-schema',
    title: 'Kubernetes resources, kustomizations and catalog entities follow their schemas',
    severity: 'error',
    rationale: 'A resource that does not match its kind\'s schema fails when Argo CD applies it, after the pull request was merged; checking it here moves the failure to the pull request.',
    remediation: 'Correct the field shown, following the API reference of the resource\'s kind.',
  },
  {
    id: 'workflow-schema',
    title: 'GitHub workflows follow the workflow syntax',
    severity: 'error',
    rationale: 'GitHub rejects a workflow with a syntax error only when it is triggered: the pipeline silently stops running.',
    remediation: 'Correct the key shown, following GitHub\'s workflow syntax reference.',
  },
];

/** Where a policy's documentation lives: its data file, in the platform's repository at the Action's ref. */
export function policyHelpUri(settings: Settings, id: string): string {
  const server = settings.organization.githubUrl ?? 'https://github.com';
  return `${server}/${settings.action.repository}/blob/${settings.action.ref}/policies/${id}.yaml`;
}

export function pipelinePolicyMetadata(settings: Settings): PolicyMetadata[] {
  return PIPELINE_POLICIES.map((policy) => ({ ...policy, helpUri: policyHelpUri(settings, policy.id) }));
}
