/**
 * Third-party notices: the module-to-package mapping the generator relies on, and the committed dist/licenses.txt
 * (which `.ci/run` and check-dist regenerate with the bundle and compare) naming every bundled package with its text.
 */
import { describe, expect, test } from '@jest/globals';
import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from '../__fixtures__/action.js';
import { bundledPackages, moduleNames, packageDirOf, renderNotices } from '../scripts/notices.js';

describe('a bundled module belongs to the package folder it lies in', () => {
  test.each<[string, string | undefined]>([
    ['./node_modules/@actions/core/lib/core.js', 'node_modules/@actions/core'],
    ['./node_modules/semver/functions/satisfies.js', 'node_modules/semver'],
    ['./node_modules/lazystream/node_modules/isarray/index.js', 'node_modules/lazystream/node_modules/isarray'],
    [
      './node_modules/@azure/core-http-compat/node_modules/@azure/abort-controller/dist/x.js',
      'node_modules/@azure/core-http-compat/node_modules/@azure/abort-controller',
    ],
    ['./node_modules/@smithy/core/dist-es/index.js + 40 modules', 'node_modules/@smithy/core'],
    ['./src/index.ts', undefined],
    ['external "node:fs"', undefined],
  ])('%s -> %s', (name, dir) => {
    expect(packageDirOf(name)).toBe(dir);
  });

  test('modules inside concatenated modules and child compilations count', () => {
    const stats = {
      modules: [{ name: './src/a.ts + 2 modules', modules: [{ name: './node_modules/p-limit/index.js' }] }],
      children: [{ modules: [{ name: './node_modules/yauzl/index.js' }] }],
    };
    expect(moduleNames(stats)).toEqual([
      './src/a.ts + 2 modules',
      './node_modules/p-limit/index.js',
      './node_modules/yauzl/index.js',
    ]);
  });
});

describe('notices from a package tree', () => {
  test('licence file, README section, a sibling of the same monorepo, or a statement that there is none', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'llr-notices-'));
    const pkg = async (dir: string, json: object, files: Record<string, string> = {}) => {
      await mkdir(path.join(root, dir), { recursive: true });
      await writeFile(path.join(root, dir, 'package.json'), JSON.stringify(json));
      for (const [name, text] of Object.entries(files)) await writeFile(path.join(root, dir, name), text);
    };
    const repo = { type: 'git', url: 'git+https://github.com/x/mono.git' };
    await pkg(
      'node_modules/@x/a',
      { name: '@x/a', version: '1.0.0', license: 'Apache-2.0', repository: repo },
      {
        LICENSE: 'Apache text',
        NOTICE: 'Notice of a',
      },
    );
    await pkg('node_modules/@x/b', { name: '@x/b', version: '2.0.0', license: 'Apache-2.0', repository: repo });
    await pkg(
      'node_modules/old',
      { name: 'old', version: '0.1.0', license: 'MIT' },
      {
        'README.md': '# old\n\nUse it.\n\n## License\n\nMIT, Copyright Someone\n\n## Other\n\nmore\n',
      },
    );
    await pkg('node_modules/old/node_modules/none', { name: 'none', version: '0.0.1' });
    const stats = {
      modules: ['@x/a', '@x/b', 'old', 'old/node_modules/none'].map((d) => ({ name: `./node_modules/${d}/index.js` })),
    };
    const packages = bundledPackages(stats, root);
    expect(packages.map((p) => [p.name, p.text, p.textSource])).toEqual([
      ['@x/a', 'Apache text\n\nNotice of a', 'LICENSE, NOTICE'],
      ['@x/b', 'Apache text\n\nNotice of a', 'repository (the text @x/a@1.0.0 ships)'],
      ['none', '', ''],
      ['old', 'MIT, Copyright Someone', 'README'],
    ]);
    const notices = renderNotices(packages);
    expect(notices).toContain('- none@0.0.1 (no licence declared)');
    expect(notices.match(/Apache text/g)).toHaveLength(1);
    expect(notices).toContain('These packages ship no licence text');
  });
});

describe('dist/licenses.txt', () => {
  const read = () => readFile(path.join(ROOT, 'dist/licenses.txt'), 'utf8');

  test('names the packages a reader checks first, each followed by its licence text', async () => {
    const notices = await read();
    for (const name of [
      '@actions/core',
      '@actions/artifact',
      '@actions/github',
      '@aws-sdk/client-lambda',
      '@aws-sdk/credential-providers',
      '@smithy/core',
      '@smithy/node-http-handler',
      '@octokit/core',
      '@octokit/request',
      'semver',
    ]) {
      expect(notices).toMatch(new RegExp(`^- ${name.replace('/', '\\/')}@\\d`, 'm'));
      expect(notices).toMatch(new RegExp(`^${name.replace('/', '\\/')}@\\S+ {2}\\S+ {2}.*, text from its`, 'm'));
    }
    expect(notices).toMatch(/Apache License\s+Version 2\.0, January 2004/);
    expect(notices).toContain('The ISC License');
  });

  test('every runtime dependency of package.json is in it (all of them are bundled), and each listed package has a text block', async () => {
    const notices = await read();
    const { dependencies } = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8'));
    for (const name of Object.keys(dependencies)) {
      expect(notices).toMatch(new RegExp(`^- ${name.replace('/', '\\/')}@`, 'm'));
    }
    const listed = [...notices.matchAll(/^- (\S+@\S+) \(/gm)].map((m) => m[1]);
    expect(listed.length).toBeGreaterThan(150);
    for (const id of listed) expect(notices).toContain(`\n${id}  `);
  });
});
