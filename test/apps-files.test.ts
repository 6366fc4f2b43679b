import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Answers } from '../src/manifest/answers.js';
import { render, type RenderedFile } from '../src/render/render.js';
import { defaultSource, manifestFor, repoRoot } from './helpers/repo.js';

/** The files around the generated apps: what the team reads (README), what builds the image, what it installs. */

const MAIN = { name: 'main', engine: 'postgres' as const, version: '16' };
const TWO_SECRETS = [
  { name: 'stripe-api-key', env: 'STRIPE_API_KEY', path: 'payments/stripe' },
  { name: 'sentry-dsn', env: 'SENTRY_DSN', path: 'payments/sentry/dsn' },
];

function files(answers: Partial<Answers>): Map<string, RenderedFile> {
  return new Map(render(manifestFor(answers), defaultSource()).files.map((file) => [file.path, file]));
}

function content(rendered: Map<string, RenderedFile>, path: string): string {
  const file = rendered.get(path);
  if (!file) throw new Error(`${path} was not generated (got: ${[...rendered.keys()].join(', ')})`);
  return file.content;
}

const versions = defaultSource().versions.runtimes as {
  node: { image: string; dependencies: { pg: string } };
  python: { image: string; dependencies: { psycopg: string; gunicorn: string } };
};

describe("the README's table of files", () => {
  const cases: Array<[string, Partial<Answers>]> = [
    ['node, a database, two secrets, three environments', { runtime: 'node', databases: [MAIN], secrets: TWO_SECRETS }],
    ['python, nothing, one environment', { runtime: 'python', environments: ['dev'] }],
  ];

  test.each(cases)('covers every generated file with its true ownership mode: %s', (_id, answers) => {
    const rendered = files(answers);
    const rows = [...content(rendered, 'README.md').matchAll(/^\| `([^`]+)` \|.*\| (managed|merged|seeded) \|$/gm)].map(([, path, mode]) => {
      const pattern = new RegExp(`^${path!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace('<env>', '[^/]+')}${path!.endsWith('/') ? '' : '$'}`);
      return { path: path!, mode, pattern, used: false };
    });
    expect(rows.length).toBeGreaterThan(10);
    const wrong: string[] = [];
    for (const file of rendered.values()) {
      // The most specific row speaks for a file: an exact path before the folders around it.
      const row = rows.filter((candidate) => candidate.pattern.test(file.path)).sort((a, b) => specificity(b.path) - specificity(a.path))[0];
      if (!row) wrong.push(`${file.path}: not in the README`);
      else if (row.mode !== file.mode) wrong.push(`${file.path}: README says ${row.mode}, template.yaml says ${file.mode}`);
      if (row) row.used = true;
    }
    for (const row of rows) if (!row.used) wrong.push(`${row.path}: in the README but not generated`);
    expect(wrong).toEqual([]);
  });

  function specificity(path: string): number {
    return path.endsWith('/') ? path.length : 1000 + path.length;
  }
});

describe('what a user typed stays text', () => {
  const description = `- Card "payments" [API](https://evil.example) *fast* 'now' #1 & co`;
  const rendered = files({ runtime: 'node', description });

  test('package.json carries the description as a JSON string, exactly', () => {
    expect(JSON.parse(content(rendered, 'package.json')).description).toBe(description);
  });

  test('the README shows it without turning it into a link, emphasis or a list', () => {
    const line = content(rendered, 'README.md').split('\n')[2]!;
    expect(line).toBe(String.raw`\- Card "payments" \[API\]\(https://evil.example\) \*fast\* 'now' \#1 \& co`);
  });
});

describe.each(['node', 'python'] as const)('the %s image', (runtime) => {
  const dockerfile = content(files({ runtime }), 'Dockerfile');
  const instructions = dockerfile.split('\n').filter((line) => /^[A-Z]+ /.test(line));

  test('starts from an exactly pinned base image', () => {
    const from = instructions.filter((line) => line.startsWith('FROM '));
    expect(from).toEqual([`FROM ${versions[runtime].image}`]);
    expect(versions[runtime].image).toMatch(new RegExp(`^${runtime}:\\d+\\.\\d+\\.\\d+-[a-z-]+$`));
  });

  test('runs as the non-root user 10001, exposes the port, and copies only what runs', () => {
    expect(instructions).toContain('USER 10001:10001');
    expect(instructions).toContain('EXPOSE 8080');
    const copies = instructions.filter((line) => line.startsWith('COPY '));
    expect(copies).toEqual(
      runtime === 'node' ? ['COPY package*.json ./', 'COPY src ./src'] : ['COPY requirements.txt ./', 'COPY gunicorn.conf.py ./', 'COPY app ./app'],
    );
    // The last instructions: the user switch comes after every install step.
    expect(instructions.indexOf('USER 10001:10001')).toBeGreaterThan(instructions.findLastIndex((line) => line.startsWith('RUN ')));
  });

  if (runtime === 'python') {
    test('never writes bytecode (the root filesystem is read-only)', () => {
      expect(dockerfile).toMatch(/PYTHONDONTWRITEBYTECODE=1/);
    });

    test('serves with gunicorn, as PID 1, from its configuration', () => {
      expect(instructions.at(-1)).toBe('CMD ["gunicorn", "--config", "gunicorn.conf.py", "app.wsgi:application"]');
    });
  } else {
    test('installs production dependencies only', () => {
      expect(dockerfile).toMatch(/npm ci --omit=dev/);
      expect(dockerfile).toMatch(/npm install --omit=dev/);
    });
  }
});

describe('dependencies', () => {
  test('a node app depends on pg only when it has a database, at the version the project itself tests with', () => {
    const project = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
    const without = JSON.parse(content(files({ runtime: 'node' }), 'package.json'));
    const withDb = JSON.parse(content(files({ runtime: 'node', databases: [MAIN] }), 'package.json'));
    expect(without.dependencies).toBeUndefined();
    expect(withDb.dependencies).toEqual({ pg: versions.node.dependencies.pg });
    expect(versions.node.dependencies.pg).toBe(project.devDependencies.pg);
    expect(withDb).toMatchObject({ name: 'payments-api', private: true, type: 'module', scripts: { test: 'node --test', start: 'node src/main.js' } });
  });

  test('a python app requires gunicorn, and psycopg only when it has a database, pinned exactly', () => {
    const requirements = (answers: Partial<Answers>) =>
      content(files(answers), 'requirements.txt').split('\n').filter((line) => line.trim() && !line.startsWith('#'));
    const gunicorn = `gunicorn==${versions.python.dependencies.gunicorn}`;
    expect(requirements({ runtime: 'python' })).toEqual([gunicorn]);
    expect(requirements({ runtime: 'python', databases: [MAIN] })).toEqual([gunicorn, `psycopg[binary]==${versions.python.dependencies.psycopg}`]);
    expect(versions.python.dependencies.gunicorn).toMatch(/^\d+\.\d+\.\d+$/);
  });

  test('the app checks exactly the databases of platform.yaml', () => {
    const two = [MAIN, { name: 'audit-log', engine: 'postgres' as const, version: '17' }];
    expect(content(files({ runtime: 'node', databases: two }), 'src/databases.js')).toContain(
      '{ name: "main", envVar: "MAIN_DATABASE_URL" },\n  { name: "audit-log", envVar: "AUDIT_LOG_DATABASE_URL" },',
    );
    expect(content(files({ runtime: 'python', databases: two }), 'app/databases.py')).toContain(
      'Database(name="main", env_var="MAIN_DATABASE_URL"),\n    Database(name="audit-log", env_var="AUDIT_LOG_DATABASE_URL"),',
    );
  });
});

describe('.dockerignore', () => {
  test.each([
    ['node', ['.git/', 'node_modules/', 'deploy/', 'test/', '.env']],
    ['python', ['.git/', 'deploy/', 'tests/', '__pycache__/', '.venv/', '.env']],
  ] as const)('keeps repository metadata, tests and local files out of the %s image build', (runtime, expected) => {
    const lines = content(files({ runtime }), '.dockerignore').split('\n');
    for (const entry of expected) expect(lines).toContain(entry);
  });
});
