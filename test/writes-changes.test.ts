import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyChanges, hasPendingTransaction, readRepositoryFile, recoverPending } from '../src/core/transaction.js';
import { tempDir } from './helpers/repo.js';
import { snapshot } from './helpers/tree.js';

/** A small repository-like tree, built inline. */
function tree(files: Record<string, string>): string {
  const root = tempDir('platform-changes-');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

describe('applyChanges', () => {
  it('writes, removes (a missing one ignored) and the record, and leaves nothing of its own', () => {
    const root = tree({ 'a.txt': 'old\n', 'gone.txt': 'bye\n', '.yo-rc.json': '{}\n' });
    applyChanges(root, {
      writes: [{ path: 'a.txt', content: 'new\n' }, { path: 'deep/er/b.txt', content: 'b\n' }],
      removes: ['gone.txt', 'never-was.txt'],
      record: { path: '.yo-rc.json', content: '{"v":2}\n' },
    });
    expect(snapshot(root)).toEqual({ '.yo-rc.json': '{"v":2}\n', 'a.txt': 'new\n', 'deep/': '', 'deep/er/': '', 'deep/er/b.txt': 'b\n' });
  });

  it('refuses, before writing anything, a link on the way, a folder, a path out and its own bookkeeping', () => {
    const root = tree({ 'a.txt': 'a\n', 'dir/x.txt': 'x\n' });
    symlinkSync(tempDir('platform-elsewhere-'), join(root, 'out'));
    const before = snapshot(root);
    const attempt = (path: string, where: 'writes' | 'removes' = 'writes') => () =>
      applyChanges(root, { writes: [{ path: 'a.txt', content: 'changed\n' }, ...(where === 'writes' ? [{ path, content: '' }] : [])], removes: where === 'removes' ? [path] : [] });
    expect(attempt('out/file')).toThrow('is a symbolic link; refusing to write out/file through it');
    expect(attempt('out/file', 'removes')).toThrow('refusing to write out/file through it');
    expect(attempt('dir')).toThrow('is a folder, not a file; refusing to replace it');
    expect(attempt('../escape')).toThrow('refusing a path that is not a plain path inside the repository: "../escape"');
    expect(attempt('.platform-txn/x')).toThrow("is reserved for platform's own bookkeeping");
    expect(snapshot(root)).toEqual(before);
  });
});

describe('recoverPending and hasPendingTransaction', () => {
  it('none in a clean repository; an uncommitted staging is discarded and was never pending', () => {
    const root = tree({ 'a.txt': 'a\n' });
    expect(recoverPending(root)).toBe('none');
    mkdirSync(join(root, '.platform-txn', 'killed-before-commit'), { recursive: true });
    writeFileSync(join(root, '.platform-txn', 'killed-before-commit', '0'), 'staged\n');
    expect(hasPendingTransaction(root)).toBe(false);
    expect(recoverPending(root)).toBe('discarded');
    expect(snapshot(root)).toEqual({ 'a.txt': 'a\n' });
  });

  it('a committed journal is finished: staged files moved in, the ones already moved left as they are', () => {
    const root = tree({ 'a.txt': 'moved already\n', 'b.txt': 'old\n' });
    const txn = join(root, '.platform-txn', 'killed-after-commit');
    mkdirSync(txn, { recursive: true });
    writeFileSync(join(txn, '1'), 'new b\n');
    writeFileSync(join(txn, 'journal.json'), JSON.stringify({ moves: [{ path: 'a.txt', staged: '0' }, { path: 'b.txt', staged: '1' }], removes: [] }));
    expect(hasPendingTransaction(root)).toBe(true);
    expect(recoverPending(root)).toBe('completed');
    expect(snapshot(root)).toEqual({ 'a.txt': 'moved already\n', 'b.txt': 'new b\n' });
  });
});

describe('readRepositoryFile', () => {
  it('follows a link that stays inside, and tells missing from a dangling link', () => {
    const root = tree({ 'real.txt': 'inside\n' });
    symlinkSync('real.txt', join(root, 'alias.txt'));
    symlinkSync('nowhere.txt', join(root, 'dangling.txt'));
    expect(readRepositoryFile(root, 'alias.txt')).toBe('inside\n');
    expect(readRepositoryFile(root, 'missing.txt')).toBeUndefined();
    expect(() => readRepositoryFile(root, 'dangling.txt')).toThrow('is a symbolic link to a file that does not exist');
  });
});
