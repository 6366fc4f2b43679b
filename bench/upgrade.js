// `platform upgrade` across a template version on a real git source:
//  - cold, one repository, beside a bare `node -e 0` in the same run (target: <= 5x);
//  - 100 repositories in one process, per repository, beside the floor of rendering both versions and
//    merging the edited files with `git merge-file` alone (target: <= 2x).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareWithBareNode, median, report } from './lib.js';

const root = join(import.meta.dirname, '..');
const dist = (path) => join(root, 'dist', 'src', path);
const git = (cwd, ...args) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const IDENTITY = { GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@example.com', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@example.com' };

export async function benchUpgrade({ runs = 15, fleet = 100 } = {}) {
  const work = mkdtempSync(join(tmpdir(), 'platform-bench-upgrade-'));
  Object.assign(process.env, IDENTITY, { XDG_CACHE_HOME: join(work, 'cache') });
  try {
    const url = sourceWithTwoVersions(work);
    const { generateRepository } = await import(dist('generate/new.js'));
    const { openSource } = await import(dist('source/index.js'));
    const opened = await openSource(url);
    const base = await opened.load('1.0.0');
    const repos = [];
    for (let index = 0; index < fleet + 1; index += 1) {
      const dir = join(work, 'repos', `svc-${index}`);
      generateRepository(dir, manifestOf(base, index), base);
      // A team edit at the top of a merged file: a merge, and no conflict with the template's change below.
      writeFileSync(join(dir, 'Dockerfile'), `# a team edit\n${readFileSync(join(dir, 'Dockerfile'), 'utf8')}`);
      repos.push(dir);
    }
    const pristine = repos.pop();

    const cold = compareWithBareNode('platform upgrade', (round) => {
      const copy = join(work, 'cold', `r${round + 1}`);
      cpSync(pristine, copy, { recursive: true });
      return ['upgrade', copy, '--to', '1.1.0'];
    }, { runs, target: 5 });
    report('platform upgrade 1.0.0 -> 1.1.0 (one repository, cold process)', cold.rows);

    const floor = await floorUpgrade(opened, repos);
    const { planUpgrade } = await import(dist('upgrade/upgrade.js'));
    const sources = new Map();
    const { applyChanges, withRepositoryLock } = await import(dist('core/transaction.js'));
    // As a fleet rollout writes its throwaway clones: atomic (renames), not flushed to the disk.
    const durable = false;
    const times = [];
    for (const repo of repos) {
      const start = process.hrtime.bigint();
      await withRepositoryLock(repo, 'bench', async () => applyChanges(repo, (await planUpgrade(repo, { to: '1.1.0', sources })).changes, { durable }));
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    const per = median(times);
    const ratio = per / floor;
    report(`${repos.length} repositories upgraded in one process`, [
      ['floor: render both + git merge-file (median)', `${floor.toFixed(2)} ms per repository`],
      ['platform upgrade, clones not fsynced (median)', `${per.toFixed(2)} ms per repository`],
      ['ratio (target <= 2x)', `${ratio.toFixed(2)}x ${ratio <= 2 ? 'ok' : 'OVER TARGET'}`],
    ]);
    return { cold, floor, per, ratio };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** A template source repository with v1.0.0 (this package's templates) and v1.1.0 (a managed and a merged file changed). */
function sourceWithTwoVersions(work) {
  const dir = join(work, 'source');
  mkdirSync(dir);
  cpSync(join(root, 'templates'), dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'v1.0.0');
  git(dir, 'tag', 'v1.0.0');
  const edit = (path, change) => writeFileSync(join(dir, path), change(readFileSync(join(dir, path), 'utf8')));
  edit('service/template.yaml', (text) => text.replace('version: 1.0.0', 'version: 1.1.0'));
  edit('service/files/deploy/base/service.yaml', (text) => text.replace('  labels:\n', '  labels:\n    app.kubernetes.io/part-of: <%= q(name) %>\n'));
  edit('service/runtimes/node/Dockerfile', (text) => text.replace('CMD ["node", "src/main.js"]', 'CMD ["node", "--enable-source-maps", "src/main.js"]'));
  edit('service/runtimes/python/Dockerfile', (text) => `# Built by the platform pipeline.\n${text}`);
  git(dir, 'commit', '-q', '-am', 'v1.1.0');
  git(dir, 'tag', 'v1.1.0');
  return `file://${dir}`;
}

function manifestOf(source, index) {
  return {
    apiVersion: 'platform.acme.dev/v1',
    kind: 'Service',
    metadata: { name: `svc-${index}`, owner: 'team-payments', description: `Service number ${index}` },
    spec: {
      template: { name: 'service', version: '1.0.0' },
      runtime: index % 2 ? 'python' : 'node',
      environments: index % 3 ? ['dev', 'staging', 'prod'] : ['dev'],
      databases: index % 4 ? [{ name: 'main', engine: 'postgres', version: '16', size: 'small', backups: index % 8 === 1 }] : [],
      secrets: index % 5 ? [{ name: 'api-key', env: 'API_KEY', path: `team/svc-${index}/api-key` }] : [],
    },
  };
}

/** The least any upgrade does: render the old and the new version and merge each edited file with git merge-file. */
async function floorUpgrade(opened, repos) {
  const { render } = await import(dist('render/render.js'));
  const { threeWayMerge } = await import(dist('merge/three-way.js'));
  const [base, target] = [await opened.load('1.0.0'), await opened.load('1.1.0')];
  const times = [];
  for (const repo of repos) {
    const start = process.hrtime.bigint();
    const answers = JSON.parse(readFileSync(join(repo, '.yo-rc.json'), 'utf8'))['generator-platform'].answers;
    const before = new Map(render(answers, base).files.map((file) => [file.path, file.content]));
    for (const file of render({ ...answers, spec: { ...answers.spec, template: { name: 'service', version: '1.1.0' } } }, target).files) {
      const old = before.get(file.path);
      if (old === undefined || old === file.content) continue;
      const current = readFileSync(join(repo, file.path), 'utf8');
      if (current !== old) threeWayMerge(current, old, file.content, { ours: 'ours', base: 'base', theirs: 'theirs' });
    }
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times);
}

if (import.meta.url === `file://${process.argv[1]}`) await benchUpgrade();
