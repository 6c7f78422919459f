import { describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ConfigurationError } from '../src/errors.js';
import { excludeMatcher, walkTree, DEFAULT_EXCLUDE } from '../src/layer/walk.js';
import { makeTree, tempDir, type Node } from '../__fixtures__/layer-support.js';

async function paths(tree: Record<string, Node>, exclude = DEFAULT_EXCLUDE): Promise<string[]> {
  const root = await makeTree(path.join(await tempDir(), 'src'), tree);
  return (await walkTree(root, exclude)).map((e) => e.path).sort();
}

async function walkError(tree: Record<string, Node>, setup?: (root: string) => void): Promise<Error> {
  const root = await makeTree(path.join(await tempDir(), 'src'), tree);
  setup?.(root);
  try {
    await walkTree(root, DEFAULT_EXCLUDE);
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the walk to fail');
}

describe('exclude', () => {
  test.each<[string, string[], string, boolean, boolean]>([
    ['default __pycache__ at depth', DEFAULT_EXCLUDE, 'python/pkg/__pycache__', true, true],
    ['default *.pyc at depth', DEFAULT_EXCLUDE, 'python/pkg/mod.cpython-312.pyc', false, true],
    ['default .git at the top', DEFAULT_EXCLUDE, '.git', true, true],
    ['default .DS_Store at depth', DEFAULT_EXCLUDE, 'a/b/.DS_Store', false, true],
    ['default keeps .py', DEFAULT_EXCLUDE, 'python/pkg/mod.py', false, false],
    ['default keeps .gitignore', DEFAULT_EXCLUDE, 'python/.gitignore', false, false],
    ['path pattern from the top', ['tests/**'], 'tests/unit/a.py', false, true],
    ['path pattern not at depth', ['tests/**'], 'python/tests/a.py', false, false],
    ['globstar path pattern', ['**/tests'], 'python/pkg/tests', true, true],
    ['trailing slash: a folder', ['docs/'], 'docs', true, true],
    ['trailing slash: not a file', ['docs/'], 'docs', false, false],
    ['leading ./ is the top', ['./docs'], 'docs', true, true],
    ['leading ./ not at depth', ['./docs'], 'a/docs', true, false],
    ['dot files by *', ['*.md'], 'a/.hidden.md', false, true],
  ])('%s', (_name, patterns, rel, isDir, excluded) => {
    expect(excludeMatcher(patterns)(rel, isDir)).toBe(excluded);
  });

  test('an excluded folder is left out with everything in it', async () => {
    expect(
      await paths({
        'python/pkg/a.py': 'a',
        'python/pkg/__pycache__/a.cpython-312.pyc': 'x',
        'python/pkg/b.pyc': 'x',
        '.git/HEAD': 'ref',
        'python/.DS_Store': 'x',
      }),
    ).toEqual(['python', 'python/pkg', 'python/pkg/a.py']);
  });

  test('an explicit list replaces the defaults', async () => {
    expect(await paths({ 'a.pyc': 'x', 'b.md': 'y' }, ['*.md'])).toEqual(['a.pyc']);
  });
});

describe('symlinks and escapes', () => {
  test.each<[string, Record<string, Node>]>([
    ['a link to a file', { 'lib/libx.so.1': 'x', 'lib/libx.so': { link: 'libx.so.1' } }],
    ['a link to a folder', { 'python/real/a.py': 'a', 'python/alias': { link: 'real' } }],
    ['a link up and down inside', { 'bin/tool': 'x', 'python/tool': { link: '../bin/tool' } }],
    ['a chain of links', { 'lib/c': 'x', 'lib/b': { link: 'c' }, 'lib/a': { link: 'b' } }],
    ['a link through a linked folder', { 'real/f': 'x', alias: { link: 'real' }, via: { link: 'alias/f' } }],
  ])('accepts %s', async (_name, tree) => {
    await expect(paths(tree)).resolves.toEqual(expect.arrayContaining(Object.keys(tree)));
  });

  test.each<[string, Record<string, Node>, string]>([
    ['absolute target', { 'lib/passwd': { link: '/etc/passwd' } }, "symlink 'lib/passwd' -> '/etc/passwd' is absolute"],
    ['.. out of the folder', { 'lib/up': { link: '../../secret' } }, 'leaves the folder'],
    ['.. from the top', { up: { link: '..' } }, 'leaves the folder'],
    [
      'out through another link',
      { alias: { link: 'lib' }, lib: { dir: true }, x: { link: 'alias/../../y' } },
      'leaves the folder',
    ],
    ['a dangling link', { 'lib/gone': { link: 'missing.so' } }, 'points to nothing in the layer'],
    ['a link to an excluded file', { 'a.pyc': 'x', 'b.pyc.link': { link: 'a.pyc' } }, 'points to nothing in the layer'],
    ['a loop', { a: { link: 'b' }, b: { link: 'a' } }, 'is part of a loop'],
  ])('refuses %s', async (_name, tree, message) => {
    const error = await walkError(tree);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toMatch(/^Input 'path': /);
    expect(error.message).toContain(message);
  });

  test('refuses a backslash in a name', async () => {
    const error = await walkError({ 'python\\evil.py': 'x' });
    expect(error.message).toContain('has a backslash in its name');
  });

  test('refuses a FIFO', async () => {
    const error = await walkError({ 'a.txt': 'a' }, (root) => execFileSync('mkfifo', [path.join(root, 'pipe')]));
    expect(error.message).toContain("'pipe' is not a file, folder or symlink");
  });

  test('the folder given as a symlink is followed', async () => {
    const dir = await tempDir();
    await makeTree(dir, { 'real/python/a.py': 'a', link: { link: 'real' } });
    expect((await walkTree(path.join(dir, 'link'), [])).map((e) => e.path).sort()).toEqual(['python', 'python/a.py']);
  });
});
