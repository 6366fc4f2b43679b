import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { buildBundle } from './action-run.js';
import { makeOrganizationPolicies, makeRepository, type Mistakes } from './action-workspaces.js';
import { FakeGitHub } from './github-server.js';
import { tempDir } from './repo.js';

export interface ActionHarness {
  /** The bundle, built into a checkout without node_modules. */
  readonly bundle: string;
  /** The local stand-in for GitHub's API. */
  readonly github: FakeGitHub;
  /** An organization's own policy folder, for the `policies` input. */
  readonly organizationPolicies: string;
  /** A fresh workspace holding a repository with the given mistakes (at `sub` when given). */
  workspace(mistakes: Mistakes, sub?: string): string;
}

/** The set-up every end-to-end test file of the Action shares; registers its beforeAll and afterAll. */
export function actionHarness(prefix: string): ActionHarness {
  const scratch = tempDir(prefix);
  let workspaces = 0;
  const harness = {
    workspace(mistakes: Mistakes, sub?: string): string {
      const dir = join(scratch, `ws-${++workspaces}`, 'workspace');
      mkdirSync(dir, { recursive: true });
      makeRepository(sub ? join(dir, sub) : dir, mistakes);
      return dir;
    },
  } as { -readonly [K in keyof ActionHarness]: ActionHarness[K] };
  beforeAll(async () => {
    harness.bundle = await buildBundle(join(scratch, 'checkout'));
    harness.github = new FakeGitHub();
    await harness.github.start();
    harness.organizationPolicies = makeOrganizationPolicies(join(scratch, 'org-policies'));
  });
  afterAll(() => harness.github?.close());
  return harness;
}
