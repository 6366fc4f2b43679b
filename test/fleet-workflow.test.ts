import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from './helpers/repo.js';

/**
 * The rollout workflow platform teams copy (.github/workflows/rollout.yml). Its schema, actionlint, pins
 * and read-only top-level permissions are checked with every workflow of this repository in
 * workflows.test.ts; here, what makes it a sharded rollout.
 */
const workflow = parse(readFileSync(join(repoRoot, '.github/workflows/rollout.yml'), 'utf8'));

describe('.github/workflows/rollout.yml', () => {
  it('is started by hand with the version, dry run by default', () => {
    expect(Object.keys(workflow.on)).toEqual(['workflow_dispatch']);
    expect(workflow.on.workflow_dispatch.inputs.version).toMatchObject({ required: true, type: 'string' });
    expect(workflow.on.workflow_dispatch.inputs['dry-run']).toMatchObject({ type: 'boolean', default: true });
  });

  it('rolls out one shard per matrix job with an App token, and merges the shards\' reports into the job summary', () => {
    const { rollout, summary } = workflow.jobs;
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(rollout.permissions).toEqual({ contents: 'read' });
    expect(rollout.strategy.matrix.shard).toEqual(Array.from({ length: Number(workflow.env.SHARDS) }, (_, index) => index + 1));
    const token = rollout.steps.find((step: { id?: string }) => step.id === 'app-token');
    expect(token.uses).toMatch(/^actions\/create-github-app-token@[0-9a-f]{40}$/);
    expect(token.with).toMatchObject({ owner: '${{ github.repository_owner }}', 'permission-contents': 'write', 'permission-pull-requests': 'write' });
    const run = rollout.steps.find((step: { name?: string }) => step.name === 'Roll out');
    expect(run.env.GITHUB_TOKEN).toBe('${{ steps.app-token.outputs.token }}');
    expect(run.run).toContain('rollout --org "$ORG" --to "$VERSION" --shard "$SHARD/$SHARDS" --format json --output "rollout-$SHARD.json"');
    expect(summary.needs).toBe('rollout');
    expect(summary.steps.map((step: { run?: string }) => step.run ?? '').join('\n')).toContain('report --merge reports/rollout-*.json --format markdown');
  });
});
