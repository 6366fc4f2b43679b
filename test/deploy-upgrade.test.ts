/**
 * A repository generated at template 1.0.0 whose environments were promoted moves to the current
 * template's deployment without a conflict and without losing its promoted tag; what it then deploys
 * passes the same checks as a new repository.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { platform } from './helpers/cli.js';
import { deployBehaviourProblems } from './helpers/deploy-behaviour.js';
import { checkDeployment, type K8sObject } from './helpers/k8s-checks.js';
import { commitAll, git } from './helpers/template-repo.js';
import { tempDir } from './helpers/repo.js';

describe('upgrading a promoted 1.0.0 repository', () => {
  it('keeps the promoted tag, runs the placeholder where nothing was promoted, and deploys what a new repository does', async () => {
    const root = tempDir('platform-deploy-upgrade-');
    const made = platform(['new', 'svc', '--defaults', '--version', '1.0.0', '--database', 'main:postgres:16', '--secret', 'key:KEY:svc/key'], { cwd: root });
    expect(made.status, made.stderr).toBe(0);
    const repo = join(root, 'svc');
    git(repo, 'init', '-q');
    commitAll(repo, 'Generated at 1.0.0');
    // What the promotion writes into dev's overlay.
    const overlay = join(repo, 'deploy/overlays/dev/kustomization.yaml');
    writeFileSync(overlay, readFileSync(overlay, 'utf8').replace('  newTag: "0.0.0"', '  newTag: "1.4.2"'));
    commitAll(repo, 'deploy(dev): 1.4.2');

    const run = platform(['upgrade', repo]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('merged    deploy/overlays/dev/kustomization.yaml\n');
    const check = await checkDeployment(repo);
    expect(check.problems).toEqual([]);
    expect(deployBehaviourProblems(repo, check)).toEqual([]);
    const image = (env: string): string => (check.overlays.get(env)!.find((r) => r.kind === 'Deployment') as K8sObject).spec.template.spec.containers[0].image;
    expect(['dev', 'staging', 'prod'].map(image)).toEqual(['ghcr.io/acme/svc:1.4.2', 'ghcr.io/acme/platform-placeholder:1.0.0', 'ghcr.io/acme/platform-placeholder:1.0.0']);
    expect(check.overlays.get('prod')!.filter((r) => r.kind === 'Cluster').map((r) => r.spec.instances)).toEqual([2]);
  }, 120_000);
});
