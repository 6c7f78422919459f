/**
 * `exclude` is git's .gitignore, checked against git itself: the same tree and the same patterns give the zip's file
 * list and `git ls-files --others --exclude-from=<patterns>`, for hand-picked rule sets (last match wins, folder-only
 * patterns, comments, escapes, anchoring, allow-lists) and for seeded random combinations of them.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build, makeTree, pythonEntries, tempDir } from '../__fixtures__/layer-support.js';
import { DEFAULT_EXCLUDE, excludePatterns } from '../src/layer/walk.js';

const TREE = {
  'README.md': 'r',
  'readme.txt': 'r',
  'a.pyc': 'x',
  'keep.pyc': 'x',
  'UPPER.PYC': 'x',
  '#comment': 'x',
  '#hash.txt': 'x',
  'my file.txt': 'x',
  'x.txt': 'x',
  'xy.txt': 'x',
  'app.min.js': 'x',
  '.DS_Store': 'x',
  '.hidden/config': 'x',
  'build/out.js': 'x',
  'other/build': 'a file named build',
  'docs/guide.md': 'x',
  'docs/keep.md': 'x',
  'docs/img/logo.png': 'x',
  'tests/test_a.py': 'x',
  'python/app.py': 'x',
  'python/app.pyc': 'x',
  'python/__pycache__/app.cpython-312.pyc': 'x',
  'python/tests/test_b.py': 'x',
  'python/sub/README.md': 'x',
  'python/sub/tests': 'a file named tests',
  'a/b/c/d.txt': 'x',
  'a/d.txt': 'x',
  'nodejs/node_modules/pkg/index.js': 'x',
  'nodejs/node_modules/pkg/CHANGELOG.md': 'x',
  'nodejs/node_modules/pkg/build/lib.js': 'x',
};

let tree: string;
let gitDir: string;

beforeAll(async () => {
  tree = await makeTree(path.join(await tempDir('llr-exclude-git-'), 'tree'), TREE);
  // The repository lives outside the tree, so the tree holds no .git of its own for either side to skip.
  gitDir = path.join(path.dirname(tree), 'repo.git');
  execFileSync('git', ['init', '-q', '--bare', gitDir]);
});

const hasGit = spawnSync('git', ['--version']).status === 0;

/** What git leaves untracked-and-not-ignored: the files a .gitignore with these lines would let through. */
async function gitFiles(lines: string): Promise<string[]> {
  const patternsFile = path.join(path.dirname(tree), 'patterns');
  await writeFile(patternsFile, lines);
  const out = execFileSync(
    'git',
    [
      `--git-dir=${gitDir}`,
      `--work-tree=${tree}`,
      '-c',
      'core.ignorecase=false',
      '-c',
      'core.quotepath=off',
      'ls-files',
      '--others',
      '-z',
      `--exclude-from=${patternsFile}`,
    ],
    { cwd: tree, encoding: 'utf8' },
  );
  return out.split('\0').filter(Boolean).sort();
}

/** The files (not folders) of the zip the build makes from the same tree with `exclude` set to these lines. */
async function zippedFiles(lines: string): Promise<string[]> {
  const { zipPath } = await build(tree, { exclude: excludePatterns(lines) });
  return pythonEntries(zipPath)
    .map((e) => e.name)
    .filter((name) => !name.endsWith('/'))
    .sort();
}

const RULE_SETS: [string, string][] = [
  ['the defaults', DEFAULT_EXCLUDE.join('\n')],
  ['the last match wins: a negation before the rule is overruled', '!keep.pyc\n*.pyc'],
  ['a negation after the rule brings the file back', '*.pyc\n!keep.pyc'],
  ['a trailing slash matches folders only (a file named build stays)', 'build/'],
  ['without the slash, files and folders at any depth', 'build'],
  ['a comment is no pattern; an escaped # is', '#comment\n\\#hash.txt'],
  ['a leading slash anchors at the top', '/tests\n/a/d.txt'],
  ['a middle slash anchors too', 'a/d.txt\npython/tests'],
  ['** at the front, in the middle and at the end', '**/tests\na/**/d.txt\nnodejs/**/build/**'],
  ['a file in an excluded folder cannot be brought back', '*.md\n!README.md\ndocs\n!docs/keep.md'],
  ['the folder’s content excluded, one file brought back', 'docs/*\n!docs/keep.md'],
  ['an allow-list: everything but python/ and README.md', '/*\n!/python/\n!/README.md'],
  ['everything under python except app.py', 'python/**\n!python/app.py'],
  ['case matters', '*.PYC\nREADME.MD'],
  ['escaped spaces; ?; character classes', 'my\\ file.txt\n?.txt\n[Rr][Ee]ADME*'],
  ['trailing spaces are dropped', 'x.txt   \n*.min.js '],
  ['a folder-only pattern at depth, and a name with a dot', '**/tests/\n.hidden\n.DS_Store'],
  ['several on a line, commas and spaces (the action’s list form)', '*.pyc, *.md\nbuild/ !other'],
];

(hasGit ? describe : describe.skip)('exclude gives the files git would leave untracked, for the same patterns', () => {
  test.each(RULE_SETS)('%s', async (_name, lines) => {
    // git reads one pattern per line; the action also splits a line on spaces and commas, as it does every list.
    const gitLines = excludePatterns(lines).join('\n');
    const zipped = await zippedFiles(lines);
    expect(zipped).toEqual(await gitFiles(gitLines));
    expect(zipped.length).toBeGreaterThan(0);
  });

  test('40 seeded random combinations of patterns and negations', async () => {
    const vocabulary = [
      '*.pyc',
      '!keep.pyc',
      '*.md',
      '!README.md',
      '!docs/keep.md',
      'docs',
      'docs/',
      'docs/*',
      'build',
      'build/',
      '/build',
      '**/build/**',
      'tests',
      'tests/',
      '/tests',
      '**/tests',
      'python/**',
      '!python/app.py',
      '!python/',
      '/*',
      '!/python',
      'a/**/d.txt',
      'a/*',
      '!a/b/',
      '*.txt',
      '!x.txt',
      '.hidden/',
      '__pycache__',
      'node_modules',
      '!nodejs/',
      'nodejs/node_modules/*/',
      '*',
      '!*/',
      '!*.py',
      '?.txt',
      '[ab]/d.txt',
      '#comment',
      '\\#comment',
    ];
    let seed = 20261201;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 40; round++) {
      const count = 1 + Math.floor(next() * 4);
      const lines = Array.from({ length: count }, () => vocabulary[Math.floor(next() * vocabulary.length)]).join('\n');
      const expected = await gitFiles(lines);
      if (expected.length === 0) continue; // an empty layer is refused, by design
      expect({ lines, zipped: await zippedFiles(lines) }).toEqual({ lines, zipped: expected });
    }
  }, 120_000);
});
