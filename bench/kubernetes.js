// The Kubernetes checks, measured:
//  - scale: a generated repository whose base holds 10, 100 and 1,000 extra Deployments (each built by
//    every overlay), validated in one warm process: the time per resource must stay flat (linear time);
//  - kustomize: our in-process model of an overlay build beside `kubectl kustomize` of the same overlay,
//    the measurement behind docs/kustomize.md's choice.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, report } from './lib.js';

const root = join(import.meta.dirname, '..');
const dist = (path) => join(root, 'dist', 'src', path);
const COMPLETE = ['--defaults', '--environments', 'dev,staging,prod', '--database', 'main:postgres:16:backups', '--secret', 'stripe-api-key:STRIPE_API_KEY:payments/stripe'];

export async function benchKubernetes({ sizes = [10, 100, 1000], runs = 5 } = {}) {
  const work = mkdtempSync(join(tmpdir(), 'platform-bench-k8s-'));
  try {
    const repo = join(work, 'payments-api');
    const generated = spawnSync(process.execPath, [join(root, 'bin', 'platform.cjs'), 'new', repo, ...COMPLETE], { encoding: 'utf8' });
    if (generated.status !== 0) throw new Error(`platform new failed: ${generated.stderr}`);
    const scale = await benchScale(repo, sizes, runs);
    const kustomize = await benchKustomize(repo, runs);
    return { scale, kustomize };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** `count` more Deployments in the base, each a complete one (so the checks have real work on each), 100 a file. */
function addResources(repo, count) {
  const base = join(repo, 'deploy', 'base');
  const deployment = readFileSync(join(base, 'deployment.yaml'), 'utf8');
  for (const name of readdirSync(base)) if (name.startsWith('workers-')) rmSync(join(base, name));
  const files = [];
  for (let first = 0; first < count; first += 100) {
    const copies = [];
    for (let index = first; index < Math.min(count, first + 100); index += 1) copies.push(deployment.replaceAll('name: "payments-api"', `name: "worker-${index}"`));
    files.push(`workers-${first}.yaml`);
    writeFileSync(join(base, files.at(-1)), copies.join('\n---\n'));
  }
  const kustomization = readFileSync(join(base, 'kustomization.yaml'), 'utf8').replace(/^- workers-\d+\.yaml\n/gm, '');
  writeFileSync(join(base, 'kustomization.yaml'), kustomization.replace('resources:\n', `resources:\n${files.map((file) => `- ${file}\n`).join('')}`));
}

async function benchScale(repo, sizes, runs) {
  const { validateRepository } = await import(dist('validate/index.js'));
  const timed = async () => {
    await validateRepository(repo);
    const times = [];
    for (let run = 0; run < runs; run += 1) {
      const start = performance.now();
      await validateRepository(repo);
      times.push(performance.now() - start);
    }
    return median(times);
  };
  // What each resource adds to the repository's own cost: the generated repository alone is the zero.
  const alone = await timed();
  const rows = [['the generated repository alone', `${alone.toFixed(0)} ms`]];
  const perResource = [];
  for (const size of sizes) {
    addResources(repo, size);
    const ms = await timed();
    perResource.push((ms - alone) / size);
    rows.push([`${size} extra Deployments (x3 overlays)`, `${ms.toFixed(0)} ms, ${perResource.at(-1).toFixed(3)} ms per resource`]);
  }
  // The fixed cost of the repository weighs on the smallest size: linear means the largest is not dearer per resource.
  const growth = perResource.at(-1) / perResource.at(-2);
  rows.push([`per resource, ${sizes.at(-1)} vs ${sizes.at(-2)}`, `${growth.toFixed(2)}x ${growth <= 1.3 ? 'linear' : 'SUPERLINEAR'}`]);
  report('platform validate, Kubernetes resources at scale (warm process)', rows);
  return { perResource, growth };
}

async function benchKustomize(repo, runs) {
  addResources(repo, 0);
  const { loadRepository } = await import(dist('validate/load.js'));
  const { buildModel } = await import(dist('validate/model.js'));
  const { loadSettings } = await import(dist('settings/settings.js'));
  const { kustomizeView } = await import(dist('policy/kustomize.js'));
  const settings = loadSettings();
  const envs = ['dev', 'staging', 'prod'];
  const ours = [];
  for (let run = 0; run <= runs; run += 1) {
    const { model } = buildModel(loadRepository(repo), settings);
    const start = performance.now();
    const view = kustomizeView(model);
    for (const env of envs) view.build(env);
    if (run > 0) ours.push(performance.now() - start);
  }
  const kubectl = [];
  for (let run = 0; run <= runs; run += 1) {
    const start = performance.now();
    for (const env of envs) {
      const result = spawnSync('kubectl', ['kustomize', join(repo, 'deploy', 'overlays', env)], { encoding: 'utf8' });
      if (result.error || result.status !== 0) {
        report('kustomize: our model beside kubectl kustomize', [['kubectl kustomize', `not available (${result.error?.message ?? result.stderr.trim()})`]]);
        return undefined;
      }
    }
    if (run > 0) kubectl.push(performance.now() - start);
  }
  const [model, real] = [median(ours), median(kubectl)];
  report('kustomize: building the 3 overlays of a generated repository', [
    ['in-process model (src/policy/kustomize.ts)', `${model.toFixed(2)} ms`],
    ['kubectl kustomize, one process per overlay', `${real.toFixed(0)} ms`],
    ['kubectl / model', `${(real / model).toFixed(0)}x`],
  ]);
  return { model, kubectl: real };
}

if (import.meta.url === `file://${process.argv[1]}`) await benchKubernetes();
