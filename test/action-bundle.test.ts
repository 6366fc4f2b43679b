/**
 * The Action's committed bundle: CI rebuilds it and fails on any difference, so the build must give the
 * same bytes on every machine; and it must carry every module the validator would otherwise import from
 * node_modules, which the Action's checkout does not have.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KIND_MODULES } from '../src/validate/kind-modules.js';
import { installedKindModules, kindModulesFile } from '../scripts/kind-modules.js';
import { buildBundle } from './helpers/action-run.js';
import { repoRoot, tempDir } from './helpers/repo.js';

const scratch = tempDir('action-bundle-test-');

describe('the bundle', () => {
  it('is the same bytes on every build, with no absolute path in it', async () => {
    const [first, second] = await Promise.all([buildBundle(join(scratch, 'a')), buildBundle(join(scratch, 'b'))]);
    const text = readFileSync(first, 'utf8');
    expect(readFileSync(second, 'utf8') === text).toBe(true);
    expect(text).not.toContain(repoRoot);
    expect(text).not.toContain(scratch);
    expect(text).toMatch(/^import \{ createRequire as __bundleCreateRequire \} from 'node:module';/);
  });
});

describe('the kind modules the bundle carries', () => {
  it('are every kind of the installed kubernetes-models packages, as npm run kind-modules writes them', () => {
    const expected = installedKindModules() as string[];
    expect([...KIND_MODULES.keys()], 'src/validate/kind-modules.ts is out of date: run `npm run kind-modules`').toEqual(expected);
    expect(readFileSync(join(repoRoot, 'src', 'validate', 'kind-modules.ts'), 'utf8') === kindModulesFile(), 'src/validate/kind-modules.ts is not what `npm run kind-modules` writes').toBe(true);
  });

  it('each load the module of their name', async () => {
    for (const specifier of ['kubernetes-models/apps/v1/Deployment', '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application']) {
      const module = (await KIND_MODULES.get(specifier)!()) as Record<string, unknown>;
      expect(typeof module[specifier.slice(specifier.lastIndexOf('/') + 1)]).toBe('function');
    }
  });
});
