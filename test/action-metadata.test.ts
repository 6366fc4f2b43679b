import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import AjvModule from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { INPUT_DEFAULTS } from '../src/action/inputs.js';
import { repoRoot, tempDir } from './helpers/repo.js';
import { thirdParty } from './helpers/third-party.js';
import { validateRepository } from '../src/validate/index.js';
import { makeRepository } from './helpers/action-workspaces.js';
import { schemaProblems } from './helpers/workflow-checks.js';

type AjvClass = typeof AjvModule.default;
const Ajv = ((AjvModule as unknown as { default?: AjvClass }).default ?? AjvModule) as AjvClass;

interface ActionMetadata {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
  runs: { using: string; main: string };
}
const action = parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8')) as ActionMetadata;

describe('action.yml', () => {
  it("validates against SchemaStore's github-action.json", () => {
    const schema = JSON.parse(readFileSync(thirdParty('schemas', 'github-action.json'), 'utf8')) as object;
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
    expect(validate(action), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('runs the committed bundle on node24, not a path yo would take for a generator', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/action/index.js' });
  });

  it('declares the inputs the code reads, with the same defaults (the runner applies them, a local run does not)', () => {
    expect(Object.keys(action.inputs).sort()).toEqual(Object.keys(INPUT_DEFAULTS).sort());
    for (const [name, value] of Object.entries(INPUT_DEFAULTS)) {
      if (name === 'github-token') expect(action.inputs[name]!.default).toBe('${{ github.token }}');
      else expect(action.inputs[name]!.default, name).toBe(value);
    }
  });

  it('declares the outputs the code sets', () => {
    expect(Object.keys(action.outputs).sort()).toEqual(['errors', 'infos', 'sarif-file', 'total', 'waived', 'warnings']);
  });
});

describe("this repository's workflows", () => {
  it("validate against SchemaStore's github-workflow.json", () => {
    expect(schemaProblems(repoRoot)).toEqual([]);
  });
});

describe('the workflow the README tells people to copy', () => {
  const markdown = readFileSync(join(repoRoot, 'README.md'), 'utf8').split('### The workflow to copy')[1]!;
  const workflow = /```yaml\n([\s\S]*?)```/.exec(markdown)![1]!;

  it("validates against SchemaStore's github-workflow.json", () => {
    const schema = JSON.parse(readFileSync(thirdParty('schemas', 'github-workflow.json'), 'utf8')) as object;
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
    expect(validate(parse(workflow)), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it("passes the platform's own policies in a clean repository", async () => {
    const dir = makeRepository(join(tempDir(), 'repo'));
    writeFileSync(join(dir, '.github', 'workflows', 'platform-copy.yml'), workflow);
    const result = await validateRepository(dir);
    expect(result.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.policy} ${f.message}`)).toEqual([]);
  });
});
