/**
 * docs/policies.md, generated from the policy data files: each policy's metadata, scope, assertion and
 * examples, with the exact findings its failing examples produce. The same examples run in
 * `platform policy test`, so what the page shows is what the validator does.
 */
import { stringify } from 'yaml';
import { BUILTIN_CHECKS } from './checks/index.js';
import type { Policy, PolicyExample } from './types.js';

const INTRODUCTION = `# Policies

\`platform validate\` (and the GitHub Action) checks a service repository against these policies. Each
one is a data file in [\`policies/\`](../policies), \`<id>.yaml\`, that the platform team edits without
writing TypeScript. This page is generated from those files by \`platform policy docs\`; every example
on it runs in \`platform policy test\` (part of \`npm test\`), so it shows what the validator really does.

## How a policy is written

\`\`\`yaml
id: container-probes                  # the file name, the finding's policy id, this page's anchor
title: Containers declare liveness and readiness probes
severity: error                       # error | warning | info (the organization settings may change it)
rationale: why it matters             # shown in the docs and in SARIF rule help
remediation: what to do about it
appliesTo:                            # narrows where each rule looks; every field is optional
  files: [kubernetes]                 # file kinds: manifest, kubernetes, kustomization, workflow, action, catalog, codeowners, record, yaml, text
  paths: ["deploy/**"]                # globs over the repository path (excludePaths too)
  resources: [Deployment, postgresql.cnpg.io/Cluster]   # Kind or group/Kind; patches are never resources
  environments: production            # or a list: only what those overlays deploy
assert:                               # one or more rules
  - select: [spec.template.spec.containers[*]]   # where in each document; the root when absent
    schema: { required: [livenessProbe, readinessProbe] }   # JSON Schema 2020-12
    message: 'container "{name}" of {resource}: {detail}'
  - check: replicas-min               # or a built-in check by name, with its params
    params: { min: 2 }
examples:                             # at least one passing and one failing case
  files: {}                           # files shared by every case (a case sets a file to null to drop it)
  pass:
    - name: both probes
      files: { deploy/base/deployment.yaml: "..." }
  fail:
    - name: no readiness probe
      files: { deploy/base/deployment.yaml: "..." }
      findings: [deploy/base/deployment.yaml:9:11 container-probes]   # exactly these: file:line:column policy
\`\`\`

A schema may use the organization's values instead of literals: \`{ $setting: secretStore.name }\` is
replaced by the value from the organization settings when the policy is loaded (also available:
\`productionEnvironments\`, \`environmentNames\`, \`ownedActionOwners\`, \`platformRepositories\`,
\`clusters.<environment>\`). Example files write those values as \`{org:registry}\`, \`{org:clusters.prod}\`...,
filled from the settings, so the examples hold for every organization. A
schema node's \`message\` replaces the generated explanation of the errors found at that node. Message
placeholders: \`{name}\` (the selected node's name, or the resource's), \`{resource}\`, \`{field}\`,
\`{value}\` and \`{detail}\`.

Findings point at the exact node: the value that is wrong, the key of an entry that must not be there,
or, for a missing key, its parent's key. Through anchors, aliases and merge keys, the node is where the
text is written.

A rule whose scope names \`resources\` or \`environments\` judges each resource as every overlay under
deploy/overlays/ builds it (patches, labels, namespace, replicas and images applied: see
docs/kustomize.md), and a finding about a value sits where the value was written: in the patch, or the
kustomization field, that set it. A file no overlay deploys is judged as written.

## Why JSON Schema, plus named checks

Most rules are about one resource at a time ("every container has probes", "the store is the
organization's"): JSON Schema says those declaratively, every platform engineer can read it, editors
understand it, and ajv already runs the repository's schema checks, so its errors come with the path of
the offending node, which is what exact line numbers need. It cannot loop, call out or hang on its own.
What it cannot say are rules across files and against what the repository would deploy (a secret
declared in platform.yaml and wired to the Deployment, the replica count after an overlay's patches, a
managed file against a re-rendering of its template): those are a small registry of built-in checks,
written once in TypeScript, referenced by name from the data files and tuned by their \`params\`. CEL was
the alternative: more expressive per node, but a second language to learn and to embed, no standard
editor support for YAML policies, and its errors do not carry the failing path, so every rule would
have to compute its own location.

## Evaluation is bounded

- Regular expressions in schemas and check parameters are checked when the policy loads: a group
  repeated without bound that itself repeats or alternates (\`(a+)+\`, \`(a|ab)*\`), a back-reference, or a
  pattern over 500 characters is refused with the file and line, since JavaScript regular expressions
  have no time limit and those shapes backtrack exponentially.
- Inputs are capped by the loader (file size, nesting, aliases), selectors visit at most 10,000 nodes
  per document, and a policy reports at most 200 findings per repository.
- Each policy has a time budget (\`budgetMs\`, 2 seconds unless set); a policy that spends it, or that
  fails, stops with one finding of its own that says so, and the other policies still run.
- A repository cannot switch a policy off: policies come from this package, the organization's
  folders (\`policies.directories\` in the settings) and \`--policies\`, never from the repository. A team
  waives one through \`spec.exceptions\` in platform.yaml, with a reason, an approver and an expiry;
  the finding stays in every report, marked waived.
- The organization settings may change a policy's severity (\`policies.severities\`), not remove it.
- The central policies are compiled when the package is built (ajv's standalone validators), so a
  validation does not parse them; a policy file changed since, or other organization settings, are
  noticed by a fingerprint of both, and the files are read instead.

Examples run with the embedded example organization ("acme") and with 2026-06-01 as today.
`;

export function renderPolicyDocs(policies: readonly Policy[]): string {
  const sorted = [...policies].sort((a, b) => (a.id < b.id ? -1 : 1));
  const parts = [INTRODUCTION, '## The policies\n', tableOf(sorted), ...sorted.map(section), checksSection()];
  return `${parts.join('\n').trimEnd()}\n`;
}

function tableOf(policies: readonly Policy[]): string {
  const rows = policies.map((policy) => `| [\`${policy.id}\`](#${policy.id}) | ${policy.severity} | ${escapeCell(policy.title)} |`);
  return ['| policy | severity | what it checks |', '| --- | --- | --- |', ...rows, ''].join('\n');
}

function section(policy: Policy): string {
  const lines = [
    `## ${policy.id}`,
    '',
    `**${policy.title}** · severity \`${policy.severity}\``,
    '',
    policy.rationale,
    '',
    `**Remediation.** ${policy.remediation}`,
    '',
  ];
  if (policy.implementation === 'pipeline') {
    lines.push('**Assertion.** Checked by the validator\'s own schema stage (see its findings for the schema that applies).', '');
  } else {
    const written = policy.written.appliesTo ? { appliesTo: policy.written.appliesTo, assert: policy.written.assert } : { assert: policy.written.assert };
    lines.push('**Assertion.**', '', fence('yaml', stringify(written, { lineWidth: 0 })), '');
  }
  lines.push('### Examples', '');
  for (const example of policy.examples.pass) lines.push(...exampleLines(example, 'passes'));
  for (const example of policy.examples.fail) lines.push(...exampleLines(example, 'fails'));
  return lines.join('\n');
}

function exampleLines(example: PolicyExample, outcome: 'passes' | 'fails'): string[] {
  const lines = [`#### ${outcome === 'passes' ? '✓' : '✗'} ${example.name}`, ''];
  for (const [path, content] of Object.entries(example.files).sort(([a], [b]) => (a < b ? -1 : 1))) {
    // Control characters, CR and a byte-order mark would be invisible (or break the page): show them escaped.
    if (/[\u0000-\u0008\u000b-\u001f\u007f\ufeff]/.test(content)) lines.push(`\`${path}\` (as a JSON string: its bytes matter)`, '', fence('json', `${JSON.stringify(content)}\n`), '');
    else lines.push(`\`${path}\``, '', fence(languageOf(path), content), '');
  }
  if (outcome === 'fails') lines.push('Findings:', '', fence('text', `${example.findings.join('\n')}\n`), '');
  return lines;
}

function checksSection(): string {
  const lines = [
    '## Built-in checks',
    '',
    'What the `check:` rules run, for the cases JSON Schema cannot express. A check honours the `appliesTo` fields its column names; the loader refuses the others (a scope the check would ignore).',
    '',
    '| check | appliesTo | what it does |',
    '| --- | --- | --- |',
  ];
  const honoured = { documents: 'all', files: 'files, paths, excludePaths', fixed: 'none' };
  for (const check of [...BUILTIN_CHECKS.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    lines.push(`| \`${check.name}\` | ${honoured[check.scope]} | ${escapeCell(check.description)} |`);
  }
  return `${lines.join('\n')}\n`;
}

function fence(language: string, content: string): string {
  const longest = Math.max(2, ...[...content.matchAll(/`+/g)].map((match) => match[0].length));
  const marker = '`'.repeat(longest + 1);
  return `${marker}${language}\n${content.endsWith('\n') ? content : `${content}\n`}${marker}`;
}

function languageOf(path: string): string {
  if (/\.ya?ml$/.test(path)) return 'yaml';
  if (path.endsWith('.json')) return 'json';
  return 'text';
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
