import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isUserError } from '../src/core/errors.js';
import { policiesDir } from '../src/core/paths.js';
import { evaluatePolicies } from '../src/policy/engine.js';
import { loadPolicies } from '../src/policy/load.js';
import { unsafePatternReason } from '../src/policy/regex-safety.js';
import type { Policy } from '../src/policy/types.js';
import { DEFAULT_SETTINGS_FILE, loadSettings } from '../src/settings/settings.js';
import { modelFromFiles } from '../src/validate/model.js';
import { validateRepository } from '../src/validate/index.js';
import { overlaidRepository } from './helpers/overlays.js';
import { repoRoot, tempDir } from './helpers/repo.js';
import { teamLabelPolicy } from './helpers/team-label-policy.js';

const settings = loadSettings();
const fixture = (name: string) => join(repoRoot, 'test', 'fixtures', name);
const now = new Date('2026-06-01T12:00:00Z');

/** Load one policy file written inline; returns the error message (file:line:col: ...) or the policy. */
function loadInline(text: string, name = 'team-rule'): Policy | string {
  const dir = tempDir();
  writeFileSync(join(dir, `${name}.yaml`), text);
  try {
    return loadPolicies([dir], settings)[0]!;
  } catch (error) {
    if (isUserError(error)) return error.toString().replace(`${dir}/`, '');
    throw error;
  }
}

const HEAD = 'id: team-rule\ntitle: A rule\nseverity: error\nrationale: r\nremediation: r\n';
const EXAMPLES = 'examples:\n  pass: [{ name: p, files: {} }]\n  fail: [{ name: f, files: {}, findings: [] }]\n';

describe('policy files are checked when they load', () => {
  it.each([
    ['an unknown field', `${HEAD}colour: red\nassert: [{ check: exception-valid }]\n${EXAMPLES}`, 'team-rule.yaml:6:1: policy: unknown field "colour"'],
    ['an id that is not the file name', `${HEAD.replace('id: team-rule', 'id: other-rule')}assert: [{ check: exception-valid }]\n${EXAMPLES}`, 'team-rule.yaml:1:5: id "other-rule" must match the file name "team-rule"'],
    ['an unknown check', `${HEAD}assert:\n  - check: secrets-everywhere\n${EXAMPLES}`, 'team-rule.yaml:7:12: unknown check "secrets-everywhere"'],
    ['a wrong parameter', `${HEAD}assert:\n  - check: replicas-min\n    params: { min: two }\n${EXAMPLES}`, 'team-rule.yaml:8:20: params of replicas-min: min: must be integer'],
    ['an exponential pattern in a schema', `${HEAD}assert:\n  - schema:\n      properties:\n        name: { pattern: "^(a+)+$" }\n${EXAMPLES}`, 'team-rule.yaml:9:26: pattern "^(a+)+$" repeats a group that itself repeats or alternates'],
    ['a back-reference in a check parameter', `${HEAD}assert:\n  - check: text-patterns\n    params:\n      patterns: [{ name: twice, regex: "(ab)\\\\1" }]\n${EXAMPLES}`, 'team-rule.yaml:9:40: pattern "(ab)\\\\1" uses a back-reference'],
    ['an unknown organization value', `${HEAD}assert:\n  - schema:\n      properties:\n        name: { const: { $setting: secretStore.colour } }\n${EXAMPLES}`, 'team-rule.yaml:9:36: unknown organization setting "secretStore.colour"'],
    ['an invalid JSON Schema', `${HEAD}assert:\n  - schema: { type: strnig }\n${EXAMPLES}`, 'team-rule.yaml:7:13: invalid JSON Schema'],
    ['a pipeline policy with an assertion', `${HEAD}implementation: pipeline\nassert: [{ check: exception-valid }]\n${EXAMPLES}`, 'team-rule.yaml:1:1: policy: a policy implemented by the pipeline has no assert'],
  ])('%s is refused with its file and line', (_name, text, message) => {
    const result = loadInline(text);
    expect(typeof result).toBe('string');
    expect(result).toContain(message);
  });

  it('injects the organization values into schemas', () => {
    const policy = loadInline(`${HEAD}appliesTo: { resources: [ExternalSecret] }\nassert:\n  - schema:\n      properties:\n        spec: { properties: { secretStoreRef: { properties: { name: { const: { $setting: secretStore.name } } } } } }\n${EXAMPLES}`) as Policy;
    const rule = policy.rules[0]!;
    expect(rule.type === 'schema' && rule.validate({ spec: { secretStoreRef: { name: 'acme-vault' } } })).toBe(true);
    expect(rule.type === 'schema' && rule.validate({ spec: { secretStoreRef: { name: 'other' } } })).toBe(false);
  });
});

describe('regular expressions that could backtrack without end are refused', () => {
  it.each([
    ['(a+)+$', true],
    ['(a|ab)*c', true],
    ['((a)+)+', true],
    ['^(?:[a-z]+-)*$', true],
    ['(x)\\1', true],
    ['(?<n>x)\\k<n>', true],
    ['a'.repeat(501), true],
    ['^[0-9a-f]{40}$', false],
    ['^v[0-9]+(\\.[0-9]+){0,2}$', false],
    ['(PASSWORD|TOKEN|API_?KEY)', false],
    ['\\bxox[abposr]-[A-Za-z0-9-]{10,250}', false],
    ['[(]+', false],
  ])('%s: refused %s', (pattern, refused) => {
    expect(unsafePatternReason(pattern) !== undefined).toBe(refused);
  });
});

describe('a policy cannot hang or crash the run', () => {
  const files = {
    'deploy/base/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: svc }\nspec:\n  template:\n    spec:\n      containers:\n' + Array.from({ length: 40 }, (_, i) => `        - name: c${i}\n          image: ghcr.io/acme/svc:1.0.0\n`).join(''),
  };
  const central = loadPolicies([policiesDir], settings);
  const probes = central.find((policy) => policy.id === 'container-probes')!;

  it('a check that throws becomes one finding of that policy, and the others still run', () => {
    const broken: Policy = { ...probes, id: 'team-broken', rules: [{ type: 'check', scope: {}, check: 'no-such-check', params: {} }] };
    const findings = evaluatePolicies(modelFromFiles(files, settings).model, [broken, probes], { now, knownPolicies: [] });
    const own = findings.filter((finding) => finding.policy === 'team-broken');
    expect(own.map((finding) => finding.message)).toEqual(['policy team-broken failed while checking this file: no built-in check "no-such-check"']);
    expect(findings.filter((finding) => finding.policy === 'container-probes')).toHaveLength(40);
  });

  it('a policy past its time budget stops with a finding that says so', () => {
    const exhausted: Policy = { ...probes, id: 'team-slow', budgetMs: 0 };
    const findings = evaluatePolicies(modelFromFiles(files, settings).model, [exhausted], { now, knownPolicies: [] });
    expect(findings.find((finding) => finding.message.includes('budget'))).toMatchObject({ policy: 'team-slow', file: 'deploy/base/deployment.yaml', line: 1, column: 1, message: 'policy team-slow stopped after its 0 ms budget while checking this file: its results are incomplete' });
  });
});

describe('the organization decides which policies apply; a repository cannot switch one off', () => {
  function organization(extra: string): string {
    const dir = tempDir();
    writeFileSync(join(dir, 'settings.yaml'), `${readFileSync(DEFAULT_SETTINGS_FILE, 'utf8')}\n${extra}`);
    return join(dir, 'settings.yaml');
  }

  it('changes a severity', async () => {
    const settingsFile = organization('policies:\n  severities:\n    container-probes: warning\n');
    const result = await validateRepository(overlaidRepository('container-probes'), { now, settingsFile });
    expect(result.findings.map((finding) => [finding.policy, finding.severity])).toEqual([['container-probes', 'warning']]);
    expect(result.policies.find((policy) => policy.id === 'container-probes')?.severity).toBe('warning');
  });

  it('adds a folder of its own policies, relative to the settings file', async () => {
    const settingsFile = organization('policies:\n  directories: [org-policies]\n');
    mkdirSync(join(settingsFile, '..', 'org-policies'));
    // The organization's rule: services carry a team label (the fixture's only has the app name).
    const rule = teamLabelPolicy().replace('required: [labels]', 'required: [labels]\n          properties:\n            labels: { required: [team] }');
    writeFileSync(join(settingsFile, '..', 'org-policies', 'team-label.yaml'), rule);
    const result = await validateRepository(fixture('ok/service-dev-prod'), { now, settingsFile });
    expect(result.findings.map((finding) => `${finding.file}:${finding.line}:${finding.column} ${finding.policy}: ${finding.message}`)).toEqual([
      'deploy/base/service.yaml:5:3 team-label: Service "payments-api": metadata.labels: missing required field "team"',
    ]);
  });

  it('ignores policy files inside the repository: the central finding stays', async () => {
    const repo = overlaidRepository('container-probes');
    mkdirSync(join(repo, 'policies'));
    writeFileSync(join(repo, 'policies', 'container-probes.yaml'), readFileSync(join(policiesDir, 'container-probes.yaml'), 'utf8').replace('required: [livenessProbe, readinessProbe]', 'required: []'));
    const result = await validateRepository(repo, { now });
    expect(result.findings.map((finding) => finding.policy)).toEqual(['container-probes']);
  });

  it('a waiver marks the finding waived; it does not remove it', async () => {
    const repo = overlaidRepository('container-probes');
    const manifest = join(repo, 'platform.yaml');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('  secrets:\n', '  exceptions:\n    - policy: container-probes\n      reason: readiness endpoint lands next sprint\n      approvedBy: team-platform\n      expires: 2026-07-01\n  secrets:\n'));
    const result = await validateRepository(repo, { now });
    expect(result.findings.map((finding) => [finding.policy, finding.waived])).toEqual([['container-probes', true]]);
  });
});

describe('the central policies compiled at build time', () => {
  it('are the policy files, compiled: same policies, same findings', async () => {
    const { loadCompiledPolicies } = await import('../src/policy/compiled.js');
    const compiled = loadCompiledPolicies(policiesDir, settings);
    expect(compiled).toBeDefined();
    const loaded = loadPolicies([policiesDir], settings);
    const shape = (policies: Policy[]) => policies.map(({ id, title, severity, helpUri, implementation, rules }) => ({ id, title, severity, helpUri, implementation, rules: rules.map((rule) => rule.type) }));
    expect(shape(compiled!)).toEqual(shape(loaded));
    const repo = overlaidRepository('secrets-no-plaintext');
    const { loadRepository } = await import('../src/validate/load.js');
    const { buildModel } = await import('../src/validate/model.js');
    const { model } = buildModel(loadRepository(repo), settings);
    const run = (policies: Policy[]) => evaluatePolicies(model, policies, { now, knownPolicies: [] });
    expect(run(compiled!)).toEqual(run(loaded));
    expect(run(compiled!).length).toBeGreaterThan(0);
  });

  it('are not used for settings they were not compiled with', async () => {
    const { loadCompiledPolicies } = await import('../src/policy/compiled.js');
    const other = { ...settings, secretStore: { name: 'other-vault', kind: 'ClusterSecretStore' as const } };
    expect(loadCompiledPolicies(policiesDir, other)).toBeUndefined();
  });
});
