/**
 * Waivers from spec.exceptions: until `expires`, that day included; an expired or incomplete one waives
 * nothing. The organization settings change severities; a repository cannot switch a policy off.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringifyManifest } from '../src/manifest/io.js';
import type { Exception } from '../src/manifest/types.js';
import { validateFiles } from '../src/validate/index.js';
import type { ValidateOptions } from '../src/validate/types.js';
import { manifestFor, repoRoot, tempDir } from './helpers/repo.js';

const CATALOG_WITHOUT_OWNER = 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: payments-api\nspec:\n  type: service\n  lifecycle: production\n';

function files(exceptions: Array<Partial<Exception>> = [], extra: Record<string, string> = {}): Record<string, string> {
  const manifest = manifestFor();
  let text = stringifyManifest(manifest);
  if (exceptions.length) text += `  exceptions:\n${exceptions.map((e) => `    - ${JSON.stringify(e)}\n`).join('')}`;
  return { 'platform.yaml': text, 'catalog-info.yaml': CATALOG_WITHOUT_OWNER, ...extra };
}

async function schemaFindings(tree: Record<string, string>, options: ValidateOptions): Promise<string[]> {
  const result = await validateFiles(tree, options);
  return result.findings
    .filter((f) => ['resource-schema', 'manifest-schema', 'yaml-style'].includes(f.policy))
    .map((f) => `${f.file} ${f.policy} ${f.severity}${f.waived ? ` waived by ${f.waiver!.approvedBy} until ${f.waiver!.expires}` : ''}`);
}

const waiver = { policy: 'resource-schema', reason: 'catalog owner is being migrated', approvedBy: 'team-platform', expires: '2027-01-31' };

describe('waivers', () => {
  it('waive until the end of the expiry day (UTC), then stop', async () => {
    const tree = files([waiver]);
    expect(await schemaFindings(tree, { now: new Date('2027-01-31T23:59:59Z') })).toEqual(['catalog-info.yaml resource-schema error waived by team-platform until 2027-01-31']);
    expect(await schemaFindings(tree, { now: new Date('2027-02-01T00:00:00Z') })).toEqual(['catalog-info.yaml resource-schema error']);
  });

  it('cannot waive what is wrong with the waivers themselves', async () => {
    const selfWaiver = { policy: 'manifest-schema', reason: 'hide the bad one', approvedBy: 'team-payments', expires: '2099-01-01' };
    const tree = files([selfWaiver, { ...waiver, policy: 'Not A Policy!' }]);
    const findings = (await validateFiles(tree, { now: new Date('2027-01-01T00:00:00Z') })).findings.filter((f) => f.policy === 'manifest-schema');
    expect(findings.map((f) => [f.message.split(':')[0], f.waived])).toEqual([['spec.exceptions.1.policy', false]]);
  });

  it('waive only their own policy', async () => {
    const tree = files([{ ...waiver, policy: 'workflow-schema' }]);
    expect(await schemaFindings(tree, { now: new Date('2026-06-01') })).toEqual(['catalog-info.yaml resource-schema error']);
  });

  it('an exception without its approver or with an impossible date waives nothing', async () => {
    const { approvedBy: _dropped, ...unapproved } = waiver;
    for (const exception of [unapproved, { ...waiver, expires: '2027-02-30' }, { ...waiver, reason: '   ' }]) {
      const found = await schemaFindings(files([exception]), { now: new Date('2026-06-01') });
      expect(found, JSON.stringify(exception)).toContain('catalog-info.yaml resource-schema error');
      expect(found.some((line) => line.includes('waived'))).toBe(false);
    }
  });

  it('2027-02-30 is not a date to any check: the schema and exception-valid both say so, and it waives nothing', async () => {
    const result = await validateFiles(files([{ ...waiver, expires: '2027-02-30' }]), { now: new Date('2026-06-01') });
    const about = result.findings.filter((f) => f.file === 'platform.yaml').map((f) => `${f.policy}: ${f.message}`);
    expect(about.some((line) => line.startsWith('manifest-schema: spec.exceptions.0.expires'))).toBe(true);
    expect(about).toContain('exception-valid: waiver expiry is not a date (YYYY-MM-DD)');
    expect(result.findings.some((f) => f.waived)).toBe(false);
  });

  it('a repository cannot switch a policy off: there is no such field, and the findings stay', async () => {
    const tree = files();
    tree['platform.yaml'] += '  policies:\n    disabled: [resource-schema]\n';
    expect(await schemaFindings(tree, { now: new Date('2026-06-01') })).toEqual(['catalog-info.yaml resource-schema error', 'platform.yaml manifest-schema error']);
  });
});

describe('organization settings', () => {
  function settingsWith(addition: string): string {
    const file = join(tempDir(), 'settings.yaml');
    writeFileSync(file, `${readFileSync(join(repoRoot, 'templates', 'settings.yaml'), 'utf8')}${addition}`);
    return file;
  }

  it('change a policy\'s severity, in the findings and in the policy list', async () => {
    const settingsFile = settingsWith('policies:\n  severities:\n    resource-schema: warning\n    yaml-style: error\n');
    const tree = files([], { 'deploy/base/cm.yaml': 'apiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: x\r\n' });
    const result = await validateFiles(tree, { settingsFile, now: new Date('2026-06-01') });
    expect(await schemaFindings(tree, { settingsFile, now: new Date('2026-06-01') })).toEqual(['catalog-info.yaml resource-schema warning', 'deploy/base/cm.yaml yaml-style error']);
    expect(result.policies.find((policy) => policy.id === 'resource-schema')?.severity).toBe('warning');
  });

  it('a settings file that breaks its schema is an error naming it and its line', async () => {
    const settingsFile = settingsWith('policies:\n  severities:\n    resource-schema: fatal\n');
    const error = await validateFiles(files(), { settingsFile }).catch((thrown: unknown) => thrown);
    expect(String(error)).toMatch(/settings\.yaml:\d+:\d+: policies\.severities\.resource-schema: must be one of "error", "warning", "info"$/);
  });
});
