/**
 * Every bad input of issue 3 gives a finding (or an error) that names the file, and the line where
 * there is one: never a hang, a crash, or a read outside the repository. Each case is built in its own
 * temporary folder and run through the real pipeline.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateRepository } from '../src/validate/index.js';
import { MAX_FILES } from '../src/validate/load.js';
import type { Finding } from '../src/validate/types.js';
import { generateTemp, tempDir } from './helpers/repo.js';

type Tree = Record<string, string | Buffer>;

function repo(tree: Tree): string {
  const root = join(tempDir('validate-bad-'), 'repo');
  mkdirSync(root, { recursive: true });
  for (const [path, content] of Object.entries(tree)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/** `file:line:column policy` of every finding on `file`. */
async function findingsOn(root: string, file: string, options = {}): Promise<string[]> {
  const result = await validateRepository(root, options);
  return result.findings.filter((f) => f.file === file).map((f) => `${f.file}:${f.line}:${f.column} ${f.policy}`);
}

async function only(root: string, file: string): Promise<Finding[]> {
  return (await validateRepository(root)).findings.filter((f) => f.file === file);
}

const CONFIG_MAP = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: settings', 'data:', '  retries: 3', ''];

describe('bad YAML becomes findings at its line', () => {
  it('malformed YAML', async () => {
    const root = repo({ 'deploy/base/bad.yaml': 'apiVersion: v1\nkind: ConfigMap\ndata: [1, 2\nmore: 3\n' });
    const [finding] = await only(root, 'deploy/base/bad.yaml');
    expect(finding).toMatchObject({ policy: 'yaml-syntax', severity: 'error', line: 4 });
    expect(finding!.message).toMatch(/^invalid YAML: /);
  });

  it('duplicate keys, each at the repeated key', async () => {
    const root = repo({ 'deploy/base/dup.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n' });
    const findings = await only(root, 'deploy/base/dup.yaml');
    expect(findings.map((f) => [f.policy, f.line, f.column, f.message])).toEqual([['yaml-syntax', 5, 3, 'duplicate key "name"']]);
  });

  it('a tab used for indentation', async () => {
    const root = repo({ '.github/workflows/ci.yml': 'on: push\njobs:\n\tbuild: {}\n' });
    expect(await findingsOn(root, '.github/workflows/ci.yml')).toEqual(['.github/workflows/ci.yml:3:1 yaml-syntax']);
  });

  it('a byte-order mark: a warning, and columns counted as editors show them', async () => {
    const root = repo({ 'deploy/base/cm.yaml': `\ufeff${CONFIG_MAP.join('\n')}` });
    expect(await findingsOn(root, 'deploy/base/cm.yaml')).toEqual(['deploy/base/cm.yaml:1:1 yaml-style', 'deploy/base/cm.yaml:6:12 resource-schema']);
  });

  it('CRLF line endings: a warning, and the same positions as with LF', async () => {
    const root = repo({ 'deploy/base/cm.yaml': CONFIG_MAP.join('\r\n') });
    const findings = await only(root, 'deploy/base/cm.yaml');
    expect(findings.map((f) => `${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.policy}`)).toEqual(['1:1-1:1 yaml-style', '6:12-6:13 resource-schema']);
    expect(findings[0]!.message).toBe('has CRLF line endings; use LF');
  });

  it('an empty file; an empty platform.yaml', async () => {
    const root = repo({ 'deploy/base/empty.yaml': '', 'platform.yaml': '# nothing yet\n' });
    const result = await validateRepository(root);
    const on = (file: string) => result.findings.filter((f) => f.file === file).map((f) => `${f.line}:${f.column} ${f.policy} ${f.message}`);
    expect(on('deploy/base/empty.yaml')).toEqual(['1:1 yaml-style is empty']);
    expect(on('platform.yaml')).toContain('1:1 manifest-schema is empty');
  });

  it('several documents in one file: each checked, positions in the right document', async () => {
    const second = ['---', 'apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', 'spec:', '  ports:', '    - port: eighty'];
    const root = repo({ 'deploy/base/all.yaml': [...CONFIG_MAP.slice(0, 5), '  retries: "3"', ...second, ''].join('\n') });
    expect(await findingsOn(root, 'deploy/base/all.yaml')).toEqual(['deploy/base/all.yaml:14:13 resource-schema']);
  });

  it('several documents in platform.yaml', async () => {
    const root = repo({ 'platform.yaml': 'apiVersion: platform.acme.dev/v1\n---\nkind: Service\n' });
    const findings = (await only(root, 'platform.yaml')).filter((f) => f.message.includes('documents'));
    expect(findings.map((f) => `${f.line}:${f.column} ${f.policy}`)).toEqual(['3:1 manifest-schema']);
  });

  it('an alias bomb is refused at its first alias, without expanding it', async () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 12; i += 1) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const root = repo({ 'deploy/base/bomb.yaml': `${levels.join('\n')}\n` });
    const [finding, ...rest] = await only(root, 'deploy/base/bomb.yaml');
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ policy: 'yaml-syntax', line: 2, column: 8 });
    expect(finding!.message).toMatch(/YAML bomb/);
  });

  it('an alias with no anchor is named for what it is, at the alias, not as a bomb', async () => {
    const root = repo({ 'deploy/base/cm.yaml': [...CONFIG_MAP.slice(0, 5), '  first: &one "1"', '  second: *two', ''].join('\n') });
    const [finding] = await only(root, 'deploy/base/cm.yaml');
    expect(`${finding!.line}:${finding!.column} ${finding!.policy}: ${finding!.message}`).toBe('7:11 yaml-syntax: the alias *two has no anchor &two before it in this document');
  });

  it('an alias inside its own anchor (an infinite value)', async () => {
    const root = repo({ 'deploy/base/cycle.yaml': 'apiVersion: v1\nkind: ConfigMap\ndata: &d\n  self: *d\n' });
    expect(await findingsOn(root, 'deploy/base/cycle.yaml')).toEqual(['deploy/base/cycle.yaml:4:9 yaml-syntax']);
  });

  it('very deep nesting, in flow and in block style', async () => {
    const flow = `key: ${'['.repeat(200_000)}${']'.repeat(200_000)}\n`;
    let block = '';
    for (let depth = 0; depth < 150; depth += 1) block += `${'  '.repeat(depth)}k${depth}:\n`;
    const root = repo({ 'deploy/base/flow.yaml': flow, 'deploy/base/block.yaml': `${block}${'  '.repeat(150)}end\n` });
    const result = await validateRepository(root);
    const deep = result.findings.filter((f) => f.message.includes('deeper than 100')).map((f) => `${f.file}:${f.line} ${f.policy}`);
    expect(deep).toEqual(['deploy/base/block.yaml:101 yaml-syntax', 'deploy/base/flow.yaml:1 yaml-syntax']);
  });

  it('__proto__ keys are findings and never reach Object.prototype, merged or not', async () => {
    const root = repo({
      'deploy/base/proto.yaml': ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: x', '__proto__:', '  polluted: yes', 'base: &b', '  __proto__: { isAdmin: true }', 'data:', '  <<: *b', ''].join('\n'),
    });
    const findings = await only(root, 'deploy/base/proto.yaml');
    expect(findings.filter((f) => f.policy === 'yaml-syntax').map((f) => `${f.line}:${f.column}`)).toEqual(['5:1', '8:3']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(Object.keys(Object.prototype)).toEqual([]);
  });
});

describe('hostile content cannot blow up the work or the report', () => {
  it('a repeated key on a line of 400,000 characters', async () => {
    const key = `k${' '.repeat(400_000)}k`;
    const root = repo({ 'deploy/base/long.yaml': `? ${key}\n: 1\n? ${key}\n: 2\n` });
    const findings = await only(root, 'deploy/base/long.yaml');
    expect(findings.map((f) => `${f.line}:${f.column} ${f.policy}`)).toEqual(['3:3 yaml-syntax']);
    expect(findings[0]!.message.length).toBeLessThanOrEqual(500);
  });

  it('130,000 document separators: no stack overflow, and the document after them is checked at its line', async () => {
    const root = repo({ 'deploy/base/many.yaml': `${'---\n'.repeat(130_000)}${CONFIG_MAP.join('\n')}` });
    const findings = (await only(root, 'deploy/base/many.yaml')).filter((f) => f.policy !== 'resource-schema' || f.line > 130_000);
    expect(findings.map((f) => `${f.line}:${f.column} ${f.policy}`)).toEqual(['130006:12 resource-schema']);
  });

  it('a 5,000-character unknown key: the message is cut short', async () => {
    const key = 'x'.repeat(5000);
    const root = repo({ '.github/workflows/ci.yml': `on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps: [{ run: make }]\n    ? ${key}\n    : 1\n` });
    const [finding] = (await only(root, '.github/workflows/ci.yml')).filter((f) => f.policy === 'workflow-schema');
    expect(finding).toMatchObject({ line: 6, column: 7 });
    expect(finding!.message).toMatch(/^Unexpected value 'xxxx/);
    expect(finding!.message).toHaveLength(500);
  });
});

describe('files the validator must not read', () => {
  it('a file over the size limit', async () => {
    const root = repo({ 'deploy/base/huge.yaml': `data: "${'x'.repeat(2 * 1024 * 1024)}"\n` });
    const [finding] = await only(root, 'deploy/base/huge.yaml');
    expect(finding).toMatchObject({ policy: 'file-readable', line: 1 });
    expect(finding!.message).toMatch(/over the 1048576-byte limit/);
  });

  it('a binary file named .yaml', async () => {
    const root = repo({ 'deploy/base/image.yaml': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]) });
    expect((await only(root, 'deploy/base/image.yaml')).map((f) => `${f.policy} ${f.message}`)).toEqual(['file-readable is a binary file, not text; not checked']);
  });

  it('invalid UTF-8, at the line of the first bad byte', async () => {
    const root = repo({ 'catalog-info.yaml': Buffer.concat([Buffer.from('apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: caf'), Buffer.from([0xe9]), Buffer.from('\n')]) });
    expect(await findingsOn(root, 'catalog-info.yaml')).toEqual(['catalog-info.yaml:4:12 file-readable']);
  });

  it('a symbolic link out of the repository is named and never read', async () => {
    const outside = join(tempDir('validate-outside-'), 'secret.yaml');
    writeFileSync(outside, 'token: [unclosed OUTSIDE-CONTENT\n');
    const root = repo({ 'README.md': 'hello\n' });
    mkdirSync(join(root, 'deploy', 'base'), { recursive: true });
    symlinkSync(outside, join(root, 'deploy/base/evil.yaml'));
    symlinkSync(dirname(outside), join(root, 'deploy/elsewhere'));
    // A linked node_modules (or .git) is skipped like a real one, not reported.
    symlinkSync(dirname(outside), join(root, 'node_modules'));
    const result = await validateRepository(root);
    const links = result.findings.filter((f) => f.policy === 'file-readable').map((f) => `${f.file} ${f.message}`);
    expect(links).toEqual([
      'deploy/base/evil.yaml is a symbolic link that leads outside the repository; not followed',
      'deploy/elsewhere is a symbolic link that leads outside the repository; not followed',
    ]);
    expect(JSON.stringify(result)).not.toContain('OUTSIDE-CONTENT');
    expect(result.findings.some((f) => f.policy === 'yaml-syntax')).toBe(false);
  });

  it('symbolic links in a loop, and a link to a folder that contains it', async () => {
    const root = repo({ 'deploy/base/ok.yaml': CONFIG_MAP.join('\n').replace('retries: 3', 'retries: "3"') });
    symlinkSync('b.yaml', join(root, 'deploy/a.yaml'));
    symlinkSync('a.yaml', join(root, 'deploy/b.yaml'));
    symlinkSync('..', join(root, 'deploy/base/up'));
    const result = await validateRepository(root);
    expect(result.findings.filter((f) => f.policy === 'file-readable').map((f) => `${f.file}:${f.line} ${f.message}`)).toEqual([
      'deploy/a.yaml:1 is a symbolic link in a loop; not followed',
      'deploy/b.yaml:1 is a symbolic link in a loop; not followed',
      'deploy/base/up:1 is a symbolic link to a folder that contains it (a loop); not followed',
    ]);
  });

  it('a link inside the repository is checked as the file it points to', async () => {
    const root = repo({ 'shared/cm.yaml': CONFIG_MAP.join('\n') });
    mkdirSync(join(root, 'deploy'), { recursive: true });
    symlinkSync('../shared/cm.yaml', join(root, 'deploy/cm.yaml'));
    expect(await findingsOn(root, 'deploy/cm.yaml')).toEqual(['deploy/cm.yaml:6:12 resource-schema']);
  });

  it('a platform.yaml that is a named pipe or a folder is named for what it is, never read, never "missing"', async () => {
    const root = repo({ 'deploy/base/ok.yaml': CONFIG_MAP.join('\n').replace('retries: 3', 'retries: "3"') });
    execFileSync('mkfifo', [join(root, 'platform.yaml')]);
    execFileSync('mkfifo', [join(root, 'deploy/base/pipe.yaml')]);
    const piped = (await validateRepository(root)).findings.filter((f) => f.file !== 'deploy/base/ok.yaml');
    expect(piped.map((f) => `${f.file}:${f.line} ${f.policy}: ${f.message}`)).toEqual([
      'deploy/base/pipe.yaml:1 file-readable: is a named pipe (FIFO), not a regular file; not read',
      'platform.yaml:1 file-readable: is a named pipe (FIFO), not a regular file; not read',
    ]);
    rmSync(join(root, 'platform.yaml'));
    mkdirSync(join(root, 'platform.yaml'));
    const folder = (await validateRepository(root)).findings.filter((f) => f.file === 'platform.yaml');
    expect(folder.map((f) => `${f.policy}: ${f.message}`)).toEqual(['file-readable: is a folder; platform.yaml must be a file']);
  });

  it('past the file cap, the platform files are read first: no false finding from an overlay left unread', async () => {
    const root = generateTemp();
    mkdirSync(join(root, 'deploy', 'junk'));
    // Sorted between deploy/base and deploy/overlays: read in name order, they would push the overlays past the cap.
    for (let index = 0; index <= MAX_FILES; index += 1) writeFileSync(join(root, 'deploy', 'junk', `f-${String(index).padStart(5, '0')}.txt`), 'x\n');
    const { findings } = await validateRepository(root);
    // The one finding says what was cut; the cut is among the junk, so nothing the platform checks is missing.
    expect(findings).toHaveLength(1);
    expect(`${findings[0]!.file} ${findings[0]!.policy}: ${findings[0]!.message}`).toMatch(
      new RegExp(`^deploy/junk/f-\\d{5}\\.txt file-readable: and \\d+ other files are not checked: only ${MAX_FILES} files of a repository are, platform.yaml, deploy/ and workflows first$`),
    );
  });

  it('a repository that does not exist is an error, not a finding', async () => {
    await expect(validateRepository(join(tempDir(), 'missing'))).rejects.toThrow(/cannot read the repository: no such file or folder/);
  });
});
