/**
 * The Action's committed bundle: CI rebuilds it and fails on any difference, so the build must give the
 * same bytes on every machine; and it must carry every module the validator would otherwise import from
 * node_modules, which the Action's checkout does not have.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KIND_MODULES } from '../src/validate/kind-modules.js';
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

/** Every module of the kubernetes-models packages that defines a kind (`X.kind="..."`), as the validator names it. */
function installedKindModules(): string[] {
  const specifiers: string[] = [];
  for (const pkg of ['kubernetes-models', '@kubernetes-models/external-secrets', '@kubernetes-models/argo-cd']) {
    const root = join(repoRoot, 'node_modules', pkg);
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
        if (entry.name.startsWith('_')) continue;
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.mjs') && entry.name !== 'index.mjs' && /\.kind="/.test(readFileSync(path, 'utf8'))) {
          specifiers.push(`${pkg}/${relative(root, path).slice(0, -'.mjs'.length)}`);
        }
      }
    };
    walk(root);
  }
  return specifiers;
}

describe('the kind modules the bundle carries', () => {
  it('are every kind of the installed kubernetes-models packages', () => {
    const expected = installedKindModules();
    const listing = expected.map((specifier) => `  ['${specifier}', () => import('${specifier}')],`).join('\n');
    expect([...KIND_MODULES.keys()], `src/validate/kind-modules.ts is out of date; its entries should be:\n${listing}`).toEqual(expected);
  });

  it('each load the module of their name', async () => {
    for (const specifier of ['kubernetes-models/apps/v1/Deployment', '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application']) {
      const module = (await KIND_MODULES.get(specifier)!()) as Record<string, unknown>;
      expect(typeof module[specifier.slice(specifier.lastIndexOf('/') + 1)]).toBe('function');
    }
  });
});
