/**
 * Help links of policies. Every policy, those the pipeline's own stages enforce included (file-readable,
 * yaml-syntax, yaml-style and the schema checks), is described by its data file in policies/; the
 * engine returns that metadata. This link is the fallback for a finding whose policy no folder describes.
 */
import type { Settings } from '../settings/settings.js';

/** Where a policy's documentation lives: its data file, in the platform's repository at the Action's ref. */
export function policyHelpUri(settings: Settings, id: string): string {
  const server = settings.organization.githubUrl ?? 'https://github.com';
  return `${server}/${settings.action.repository}/blob/${settings.action.ref}/policies/${id}.yaml`;
}
