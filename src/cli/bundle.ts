/**
 * The entry of the CLI bundle, dist/cli/platform.cjs (scripts/bundle-cli.js), which bin/platform.cjs
 * loads with its code cache. The Kubernetes kind modules are two more bundles, loaded the same way when
 * a resource needs one: one file and one cache instead of some 200 modules resolved, read and compiled
 * one by one. The kinds the templates generate come from the small one, kinds-common.cjs; any other
 * kind from kinds.cjs, which carries them all.
 */
import { join } from 'node:path';
import { packageRoot } from '../core/paths.js';
import { provideKindModules } from '../validate/kubernetes-kinds.js';
import { loadCommonJs } from '../core/code-cache.js';

type KindBundle = { KIND_MODULES: ReadonlyMap<string, () => Promise<unknown>> };
const kindBundle = (name: string) => () => (loadCommonJs(join(packageRoot, 'dist', 'cli', name)) as KindBundle).KIND_MODULES;
const common = kindBundle('kinds-common.cjs');
const all = kindBundle('kinds.cjs');

provideKindModules((specifier) => common().get(specifier) ?? all().get(specifier), () => all().keys());

export { main } from './main.js';
