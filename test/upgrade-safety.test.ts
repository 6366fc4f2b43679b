import { spawnSync } from 'node:child_process';
import { cpSync, lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { platform, platformAsync, type CliRun } from './helpers/cli.js';
import { tempDir } from './helpers/repo.js';
import { commitAll, editTemplates, git, type TemplateRepo } from './helpers/template-repo.js';
import { copyRepository, snapshot } from './helpers/tree.js';
import { generateAt, tagVersion, twoVersionSource, upgradeBase } from './helpers/upgrade-source.js';
import { withMigrations } from './helpers/migrations.js';

/**
 * What `platform upgrade`, `check` and `add` do with input they must not trust: migrations that break the
 * manifest, a hand-edited record, links and FIFOs where files should be, a second command at once, a dry
 * run, a dirty tree. Every refusal is one line, exit 2, nothing written, nothing read from outside.
 */
const read = (dir: string, path: string): string => readFileSync(join(dir, path), 'utf8');
/** One line, `platform: <file>: <words>`: never a stack, never "internal error". */
const ONE_LINE = /^platform: [^\n]+\n$/;
const ADD = (dir: string) => ['add', 'secret', 'key:KEY:svc/key', '--dir', dir];

let base: string;

beforeAll(() => {
  process.env.XDG_CACHE_HOME = tempDir('platform-cache-');
  base = upgradeBase('platform-upgrade-safety-');
}, 120_000);

/** A copy of the committed base repository, with `edit` applied and committed (so that it is no "dirty tree"). */
function repository(edit: (dir: string) => void = () => {}): string {
  const dir = copyRepository(base);
  edit(dir);
  commitAll(dir, 'Edit');
  return dir;
}

function refusedInOneLine(run: CliRun, message: string | RegExp): void {
  expect(run.status).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(ONE_LINE);
  expect(run.stderr).toMatch(message);
}

describe('migrations that cannot apply stop the upgrade before anything is written', () => {
  let broken: TemplateRepo;
  beforeAll(() => {
    broken = twoVersionSource();
    const version = (v: string, migrations: string) => (text: string) => withMigrations(text.replace(/^version: .*$/m, `version: ${v}`), migrations);
    editTemplates(broken.work, { 'service/template.yaml': version('2.0.0', 'migrations:\n  - from: "<2.0.0"\n    drop: spec.runtime\n') });
    tagVersion(broken, '2.0.0');
    git(broken.work, 'checkout', '-q', 'v1.1.0');
    editTemplates(broken.work, { 'service/template.yaml': version('2.1.0', 'migrations: { from: "<2.0.0", drop: spec.legacy }\n') });
    tagVersion(broken, '2.1.0');
    git(broken.work, 'checkout', '-q', 'v1.1.0');
    editTemplates(broken.work, { 'service/template.yaml': version('2.2.0', 'migrations:\n  - from: "<2.0.0"\n    explode: spec.runtime\n') });
    tagVersion(broken, '2.2.0');
  }, 60_000);

  it('a migration that leaves an invalid manifest: exit 2, the field named, the tree as it was', () => {
    const dir = generateAt(tempDir(), broken.url, '1.0.0');
    const before = snapshot(dir, { ignore: ['.git'] });
    const message = /^platform: platform\.yaml:\d+:\d+: spec: missing required field "runtime" after the migrations of 2\.0\.0 \(drop spec\.runtime\): nothing was written\n$/;
    refusedInOneLine(platform(['upgrade', dir, '--to', '2.0.0']), message);
    refusedInOneLine(platform(['upgrade', dir, '--to', '2.0.0', '--dry-run']), message);
    expect(snapshot(dir, { ignore: ['.git'] })).toEqual(before);
  });

  for (const [to, message] of [['2.1.0', 'migrations: expected a list'], ['2.2.0', 'migrations.0: expected exactly one of rename, default, drop']]) {
    it(`a malformed migrations: in template.yaml (${to}): one line naming the file`, () => {
      const dir = generateAt(tempDir(), broken.url, '1.0.0');
      const before = snapshot(dir, { ignore: ['.git'] });
      // Named as the source's file at its tag: <url>@v2.1.0:service/template.yaml.
      const line = new RegExp(`^platform: ${broken.url}@v${to}:service/template\\.yaml(:\\d+:\\d+)?: ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\n$`);
      refusedInOneLine(platform(['upgrade', dir, '--to', to]), line);
      refusedInOneLine(platform(['upgrade', dir, '--to', to, '--dry-run']), line);
      expect(snapshot(dir, { ignore: ['.git'] })).toEqual(before);
    });
  }
});

describe('a hand-edited .yo-rc.json is one clear error, for check, upgrade and add alike', () => {
  const record = (dir: string) => JSON.parse(read(dir, '.yo-rc.json')) as { 'generator-platform': Record<string, any> };
  const editRecord = (change: (record: Record<string, any>) => void) => (dir: string) => {
    const json = record(dir);
    change(json['generator-platform']);
    writeFileSync(join(dir, '.yo-rc.json'), JSON.stringify(json, null, 2));
  };
  const hash = '0'.repeat(64);
  // A file outside the repository that a record may name: its content must never show up anywhere.
  const outside = tempDir('platform-outside-');
  writeFileSync(join(outside, 'precious'), 'SECRET-OUTSIDE-THE-REPOSITORY\n');

  const cases: Array<{ name: string; edit: (dir: string) => void; message: RegExp; check?: 'reports' }> = [
    { name: 'invalid JSON', edit: (dir) => writeFileSync(join(dir, '.yo-rc.json'), '{ "generator-platform": '), message: /^platform: \.yo-rc\.json: is not valid JSON: / },
    { name: 'no record in it', edit: (dir) => writeFileSync(join(dir, '.yo-rc.json'), '{}\n'), message: /^platform: \.yo-rc\.json: has no "generator-platform" record/ },
    {
      name: 'a file path that climbs out of the repository',
      edit: editRecord((r) => (r.files['../../../../../../etc/passwd'] = { mode: 'managed', sha256: hash })),
      message: /^platform: \.yo-rc\.json: generator-platform\.files: "\.\.\/[^"]*etc\/passwd" is not a path inside the repository; restore the file from git history/,
    },
    {
      name: 'an absolute file path',
      edit: editRecord((r) => (r.files[join(outside, 'precious')] = { mode: 'managed', sha256: hash })),
      message: /^platform: \.yo-rc\.json: generator-platform\.files: "\/[^"]+\/precious" is not a path inside the repository/,
    },
    { name: 'a mode that does not exist', edit: editRecord((r) => (r.files['Dockerfile'].mode = 'owned')), message: /^platform: \.yo-rc\.json: generator-platform\.files\."Dockerfile": expected \{ mode: managed\|merged\|seeded, sha256 \}/ },
    { name: 'a file entry that is not an object', edit: editRecord((r) => (r.files['Dockerfile'] = 'merged')), message: /^platform: \.yo-rc\.json: generator-platform\.files\."Dockerfile": expected/ },
    { name: 'environments as a string', edit: editRecord((r) => (r.answers.spec.environments = 'dev')), message: /^platform: \.yo-rc\.json: generator-platform\.answers\.spec\.environments: must be array; restore the file/ },
    { name: 'a number as the name', edit: editRecord((r) => (r.answers.metadata.name = 42)), message: /^platform: \.yo-rc\.json: generator-platform\.answers\.metadata\.name: must be string/ },
    { name: 'a runtime nobody offers', edit: editRecord((r) => (r.answers.spec.runtime = 'cobol')), message: /^platform: \.yo-rc\.json: generator-platform\.answers\.spec\.runtime: must be one of "node", "python"/ },
    { name: 'no answers', edit: editRecord((r) => delete r.answers), message: /^platform: \.yo-rc\.json: generator-platform\.answers: expected the manifest/ },
    {
      // Valid as a manifest, unknown to the organization: only a render finds it, and check does not render.
      name: 'an environment the organization does not have',
      edit: editRecord((r) => (r.answers.spec.environments = ['dev', 'nowhere'])),
      message: /^platform: \.yo-rc\.json: generator-platform\.answers\.spec\.environments: "nowhere" is not an environment of template service@1\.0\.0 \(known: [^)]+\); restore/,
      check: 'reports',
    },
    { name: 'a version that is no version', edit: editRecord((r) => (r.template.version = '../../1.0.0')), message: /^platform: \.yo-rc\.json: generator-platform\.template\.version: "\.\.\/\.\.\/1\.0\.0" is not a version such as 1\.2\.0/ },
    { name: 'a template name that is a path', edit: editRecord((r) => (r.template.name = '../service')), message: /^platform: \.yo-rc\.json: generator-platform\.template\.name: "\.\.\/service" is not a template name/ },
  ];

  for (const { name, edit, message, check } of cases) {
    it(name, () => {
      const dir = repository(edit);
      const before = snapshot(dir, { ignore: ['.git'] });
      const runs = { check: platform(['check', dir]), upgrade: platform(['upgrade', dir]), add: platform(ADD(dir)), dryRun: platform(['upgrade', dir, '--dry-run']) };
      for (const [command, run] of Object.entries(runs)) {
        expect(`${run.stdout}${run.stderr}`, command).not.toMatch(/SECRET-OUTSIDE|root:x:0:0|internal error|\n\s+at /);
        if (command === 'check' && check === 'reports') expect(run.status, command).toBe(1);
        else refusedInOneLine(run, message);
      }
      expect(snapshot(dir, { ignore: ['.git'] })).toEqual(before);
    });
  }
});

describe('links and special files where the record has files', () => {
  const outside = tempDir('platform-outside-');
  writeFileSync(join(outside, 'precious'), 'SECRET-OUTSIDE-THE-REPOSITORY\n');
  const SERVICE = 'deploy/base/service.yaml';
  const noneOf = (runs: CliRun[], text: string) => runs.forEach((run) => expect(`${run.stdout}${run.stderr}`).not.toContain(text));

  for (const target of ['/etc/passwd', 'precious']) {
    it(`a managed file that links to ${target}: check reports it without reading it, upgrade refuses in one line`, () => {
      const link = target.startsWith('/') ? target : join(outside, target);
      const dir = repository((d) => {
        rmSync(join(d, SERVICE));
        symlinkSync(link, join(d, SERVICE));
      });
      const before = snapshot(dir, { ignore: ['.git'] });
      const check = platform(['check', dir]);
      expect(check.status).toBe(1);
      expect(check.stdout).toContain(`drifted          ${SERVICE}: is a symbolic link that leads outside the repository; not read\n`);
      const upgrade = platform(['upgrade', dir]);
      refusedInOneLine(upgrade, `platform: ${dir}/${SERVICE}: is a symbolic link that leads outside the repository; not read\n`);
      const dry = platform(['upgrade', dir, '--dry-run']);
      refusedInOneLine(dry, `platform: ${dir}/${SERVICE}: is a symbolic link that leads outside the repository; not read\n`);
      noneOf([check, upgrade, dry], read('/', link.slice(1)).split('\n')[0]!);
      expect(snapshot(dir, { ignore: ['.git'] })).toEqual(before);
    });
  }

  it('a managed file that links inside the repository: read, but never written through', () => {
    const dir = repository((d) => {
      rmSync(join(d, SERVICE));
      symlinkSync('deployment.yaml', join(d, SERVICE));
    });
    const before = snapshot(dir, { ignore: ['.git'] });
    refusedInOneLine(platform(['upgrade', dir]), `platform: ${dir}/${SERVICE}: is a symbolic link; refusing to write through it\n`);
    expect(snapshot(dir, { ignore: ['.git'] })).toEqual(before);
  });

  for (const path of [SERVICE, 'platform.yaml']) {
    it(`a FIFO at ${path}: check and upgrade answer at once, nothing written`, () => {
      const dir = repository();
      rmSync(join(dir, path));
      expect(spawnSync('mkfifo', [join(dir, path)]).status).toBe(0);
      const before = snapshot(dir, { ignore: ['.git'] });
      const started = Date.now();
      // --allow-dirty: git cannot commit a FIFO, and the dirty check is not what is tested here.
      const runs = [platform(['check', dir], { timeoutMs: 20_000 }), platform(['upgrade', dir, '--allow-dirty'], { timeoutMs: 20_000 }), platform(ADD(dir), { timeoutMs: 20_000 })];
      expect(Date.now() - started).toBeLessThan(15_000);
      const words = `${dir}/${path}: is a FIFO (named pipe), not a file; not read`;
      if (path === 'platform.yaml') refusedInOneLine(runs[0]!, `platform: ${words}\n`);
      else expect(runs[0]).toMatchObject({ status: 1, stdout: expect.stringContaining(`drifted          ${path}: is a FIFO (named pipe), not a file; not read\n`) });
      if (path === 'platform.yaml') {
        refusedInOneLine(runs[1]!, `platform: ${words}\n`);
        refusedInOneLine(runs[2]!, `platform: ${words}\n`);
        expect(snapshot(dir, { ignore: ['.git'] })).toEqual(before);
      } else {
        // 1.1.0 changes this file, so the upgrade must read it and refuses; adding a secret does not touch it
        // (its template is the same before and after), so add goes on without opening it.
        refusedInOneLine(runs[1]!, `platform: ${words}\n`);
        expect(runs[2]!.status).toBe(0);
        expect(lstatSync(join(dir, path)).isFIFO()).toBe(true);
      }
    });
  }
});

describe('upgrade and add at the same time', () => {
  it('both succeed, one after the other, and the repository ends with the secret and on 1.1.0', async () => {
    for (let round = 0; round < 3; round++) {
      const dir = repository();
      // --allow-dirty: when add goes first its change is not committed yet, and a dirty tree is refused by design.
      const [upgrade, add] = await Promise.all([platformAsync(['upgrade', dir, '--allow-dirty']), platformAsync(ADD(dir))]);
      expect(upgrade).toMatchObject({ status: 0, stderr: '' });
      expect(add).toMatchObject({ status: 0, stderr: '' });
      const record = JSON.parse(read(dir, '.yo-rc.json'))['generator-platform'];
      expect(record.template.version).toBe('1.1.0');
      expect(record.answers.spec.secrets).toEqual([{ name: 'key', env: 'KEY', path: 'svc/key' }]);
      expect(read(dir, 'platform.yaml')).toMatch(/version: 1\.1\.0[^]*name: key/);
      expect(read(dir, 'deploy/base/deployment.yaml')).toContain('KEY');
      expect(read(dir, 'Dockerfile')).toMatch(/^# ours: at the top\n[^]*--enable-source-maps/);
      // Nothing drifted, nothing left: the second command rendered on top of the first one's change.
      expect(platform(['check', dir])).toMatchObject({ status: 0 });
      expect(Object.keys(snapshot(dir, { ignore: ['.git'] })).filter((path) => path.startsWith('.platform'))).toEqual([]);
    }
  });
});

describe('--dry-run writes nothing', () => {
  it('the repository is byte-identical (its .git too), no lock, no staging; only the source cache may fill', () => {
    const dir = repository();
    const before = snapshot(dir);
    const cache = tempDir('platform-dry-cache-');
    const run = platform(['upgrade', dir, '--dry-run'], { env: { XDG_CACHE_HOME: cache } });
    expect(run).toMatchObject({ status: 0, stderr: '' });
    expect(run.stdout).toContain('--- a/Dockerfile\n+++ b/Dockerfile\n');
    expect(run.stdout).toMatch(/^--- a\/\.dockerignore\n\+\+\+ \/dev\/null$/m);
    expect(run.stdout).toMatch(/dry run: nothing was written\n$/);
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('a dirty tree', () => {
  it('uncommitted changes refuse the upgrade unless --allow-dirty, which keeps them', () => {
    const dir = repository();
    writeFileSync(join(dir, 'notes.txt'), 'uncommitted\n');
    writeFileSync(join(dir, 'README.md'), `${read(dir, 'README.md')}uncommitted\n`);
    const before = snapshot(dir, { ignore: ['.git'] });
    refusedInOneLine(platform(['upgrade', dir]), `platform: ${dir}: has uncommitted changes (README.md, notes.txt): commit or stash them, or pass --allow-dirty\n`);
    expect(snapshot(dir, { ignore: ['.git'] })).toEqual(before);
    expect(platform(['upgrade', dir, '--allow-dirty'])).toMatchObject({ status: 0, stderr: '' });
    expect(read(dir, 'notes.txt')).toBe('uncommitted\n');
    expect(read(dir, 'README.md')).toMatch(/uncommitted\n$/);
    expect(read(dir, 'Dockerfile')).toContain('--enable-source-maps');
  });

  it('a dead run\'s lock and an uncommitted staging are the tool\'s own: not dirty, and cleaned up', () => {
    const dir = repository();
    writeFileSync(join(dir, '.platform.lock'), `${JSON.stringify({ pid: 2 ** 22 + 1, host: hostname(), command: 'platform upgrade', started: new Date().toISOString() })}\n`);
    mkdirSync(join(dir, '.platform-txn', '0-1-deadbeef'), { recursive: true });
    writeFileSync(join(dir, '.platform-txn', '0-1-deadbeef', '0'), 'staged, never committed\n');
    expect(platform(['upgrade', dir])).toMatchObject({ status: 0, stderr: '' });
    expect(Object.keys(snapshot(dir, { ignore: ['.git'] })).filter((path) => path.startsWith('.platform'))).toEqual([]);
    expect(JSON.parse(read(dir, '.yo-rc.json'))['generator-platform'].template.version).toBe('1.1.0');
  });

  it('a service in a subfolder of a monorepo: its own lock is not an uncommitted change either', () => {
    const mono = tempDir('platform-mono-');
    cpSync(base, join(mono, 'services', 'svc'), { recursive: true });
    rmSync(join(mono, 'services', 'svc', '.git'), { recursive: true });
    git(mono, 'init', '-q', '-b', 'main');
    commitAll(mono, 'A monorepo');
    const dir = join(mono, 'services', 'svc');
    expect(platform(['upgrade', dir, '--commit'])).toMatchObject({ status: 0, stderr: '' });
    expect(git(mono, 'log', '-1', '--format=%s')).toBe('Upgrade template service from 1.0.0 to 1.1.0\n');
    writeFileSync(join(dir, 'notes.txt'), 'uncommitted\n');
    refusedInOneLine(platform(['upgrade', dir]), `platform: ${dir}: has uncommitted changes (notes.txt): commit or stash them, or pass --allow-dirty\n`);
  });
});
