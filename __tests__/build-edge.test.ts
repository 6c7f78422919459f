/**
 * Build edge cases found by driving the bundled action as a user would: odd input spellings, gitignore habits in
 * `exclude`, unreadable or vanishing files, a source inside the build's own output folder, and a re-run job that
 * uploads its artifact a second time in the same workflow run.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { ROOT, runAction } from '../__fixtures__/action.js';
import { build, makeTree, tempDir } from '../__fixtures__/layer-support.js';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import { getBuildSettings } from '../src/action/build.js';
import { BUILD_INPUTS, parseBuildSettings, type BuildInput } from '../src/settings/build.js';
import type { RawInputs } from '../src/settings/inputs.js';
import { ConfigurationError } from '../src/errors.js';
import { decideLayout, parseLayout } from '../src/layer/layout.js';
import { checkVersion, defaultVersion } from '../src/layer/version.js';
import { excludeMatcher, excludePatterns, unreadable, walkTree } from '../src/layer/walk.js';
import { writeZip } from '../src/layer/zip.js';

const SAVED = { ...process.env };
afterEach(() => {
  process.env = { ...SAVED };
});

const ENV = {
  GITHUB_WORKSPACE: '/work/space',
  GITHUB_SHA: '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567',
  RUNNER_TEMP: '/runner/tmp',
};
const parse = (inputs: RawInputs<BuildInput>) =>
  parseBuildSettings({ name: 'edge', path: 'layer', upload: 'false', ...inputs }, ENV);

/** Through the action shell: the inputs as INPUT_* variables, as the runner sets them. */
function withInputs(inputs: Record<string, string>): void {
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key];
  Object.assign(process.env, {
    INPUT_NAME: 'edge',
    INPUT_PATH: 'layer',
    INPUT_UPLOAD: 'false',
    ...ENV,
    ...inputs,
  });
}

describe('version spellings', () => {
  test.each([
    ['v1.2.3', '1.2.3'],
    ['V1.2.3', '1.2.3'],
    [' 1.2.3-rc.1+build.5 ', '1.2.3-rc.1+build.5'],
  ])('%p is %p', (input, expected) => {
    expect(checkVersion(input)).toBe(expected);
  });

  test.each(['vv1.2.3', 'v v1.2.3', '=1.2.3', '1.2', '01.2.3', 'latest', ''])('%p is refused', (input) => {
    expect(() => checkVersion(input)).toThrow(/^Input 'version' must be a semantic version/);
  });

  test('the longest name with the longest version still makes a zip file name the file system takes', async () => {
    const src = await makeTree(path.join(await tempDir(), 'src'), { 'python/a.py': 'a' });
    const version = checkVersion(`1.0.0-${'b'.repeat(94)}`);
    const result = await build(src, { name: 'a'.repeat(140), version });
    expect(path.basename(result.zipPath)).toHaveLength(245);
  });

  test('a tag vv1.2.3 is no semver tag: the commit version is used', () => {
    expect(defaultVersion({ ref: 'refs/tags/vv1.2.3', sha: 'abcdef0123456' }, 'x')).toBe('0.0.0-abcdef0');
  });
});

describe('retention-days takes digits only', () => {
  test.each(['1e2', '0x10', '5.0', '+5', '-1', '0', '401'])('%p is refused', (value) => {
    expect(() => parse({ 'retention-days': value })).toThrow(
      /^Input 'retention-days' must be a whole number from 1 to 400/,
    );
  });

  test.each([
    [' 7 ', 7],
    ['400', 400],
    ['', undefined],
  ])('%p is %p', (value, days) => {
    expect(parse({ 'retention-days': value }).retentionDays).toBe(days);
  });
});

test("every optional input given as '' (the root action passes no default of its own) means its default", () => {
  withInputs({});
  const defaults = getBuildSettings();
  const optional = BUILD_INPUTS.filter((n) => n !== 'name' && n !== 'path' && n !== 'upload');
  withInputs(Object.fromEntries(optional.map((n) => [`INPUT_${n.toUpperCase()}`, ''])));
  expect(getBuildSettings()).toEqual(defaults);
});

test('runtimes and architectures in any case are the lowercase ids AWS expects', () => {
  const settings = parse({
    'compatible-runtimes': 'Python3.12\r\nPYTHON3.13\r\npython3.12\r\n',
    'compatible-architectures': 'X86_64,\tARM64,',
  });
  expect(settings).toMatchObject({
    runtimes: ['python3.12', 'python3.13'],
    architectures: ['x86_64', 'arm64'],
  });
});

describe('exclude reads like .gitignore', () => {
  test.each<[string[], string, 'dir' | 'file', boolean]>([
    [['/tests'], 'tests', 'dir', true],
    [['/tests'], 'pkg/tests', 'dir', false],
    [['/tests/**'], 'tests/test_x.py', 'file', true],
    [['tests/'], 'pkg/tests', 'dir', true],
    [['build/'], 'build', 'file', false],
    [['*.md', '!README.md'], 'README.md', 'file', false],
    [['!README.md', '*.md'], 'README.md', 'file', true],
    [['!README.md', '*.md'], 'docs/x.md', 'file', true],
    [['*.pyc', '!keep.pyc'], 'keep.pyc', 'file', false],
    [['!keep.pyc', '*.pyc'], 'keep.pyc', 'file', true],
    [['*.md', '!README.md'], 'python/app.py', 'file', false],
    [['!README.md'], 'python/app.py', 'file', false],
    [['docs', '!docs/keep.md'], 'docs', 'dir', true],
    [['#comment'], '#comment', 'file', false],
    [['\\#comment'], '#comment', 'file', true],
    [['*.PYC'], 'a.pyc', 'file', false],
  ])('%j on %p (%s): excluded %p', (patterns, rel, kind, excluded) => {
    expect(excludeMatcher(patterns)(rel, kind === 'dir')).toBe(excluded);
  });

  test.each<[string, string[]]>([
    ['*.md\n# build output\nbuild/\n', ['*.md', 'build/']],
    ['*.md, tests/** !tests/keep.py', ['*.md', 'tests/**', '!tests/keep.py']],
    ['  # indented comment\nmy\\ file.txt\n\\#literal', ['my\\ file.txt', '\\#literal']],
    ['', []],
  ])('the input %j is the patterns %j', (input, patterns) => {
    expect(excludePatterns(input)).toEqual(patterns);
  });

  test('a negation keeps the layer whole instead of excluding everything else', async () => {
    const src = await makeTree(path.join(await tempDir(), 'src'), {
      'python/app.py': 'x',
      'python/NOTES.md': 'x',
      'python/README.md': 'x',
    });
    const entries = await walkTree(src, ['*.md', '!README.md']);
    expect(entries.map((e) => e.path).sort()).toEqual(['python', 'python/README.md', 'python/app.py']);
  });
});

describe('an explicit layout folder that no runtime reads is built with a warning', () => {
  test.each<[string, string[], RegExp | undefined]>([
    [
      'opt/python',
      ['python3.12'],
      /'opt\/python' puts the files under \/opt\/opt\/python\/; Lambda extracts the zip into \/opt itself/,
    ],
    [
      'node_modules',
      ['nodejs22.x'],
      /'node_modules' puts the files under \/opt\/node_modules\/, which no runtime reads/,
    ],
    ['Python', ['python3.12'], /which no runtime reads by itself/],
    ['python', ['nodejs22.x'], /has python\/ but no nodejs\/ folder, which nodejs runtimes read/],
    ['python/lib/python3.12/site-packages', ['python3.12'], undefined],
    ['nodejs/node_modules', ['nodejs22.x'], undefined],
    ['bin', [], undefined],
  ])('%p for %j', (layout, runtimes, warning) => {
    const { warnings } = decideLayout(parseLayout(layout), runtimes, [{ name: 'x', dir: true }]);
    if (warning) expect(warnings).toEqual([expect.stringMatching(warning)]);
    else expect(warnings).toEqual([]);
  });
});

describe('files the runner cannot read', () => {
  test.each([
    ['EACCES', /'python\/x' cannot be read by the runner's user \(EACCES: permission denied\); make it readable/],
    ['EPERM', /'python\/x' cannot be read by the runner's user \(EPERM/],
    ['ENOENT', /'python\/x' disappeared while the layer was read \(ENOENT\)/],
  ])('%s is a ConfigurationError naming the file', (code, message) => {
    const err = unreadable(Object.assign(new Error(`${code}: x`), { code }), 'python/x');
    expect(err).toBeInstanceOf(ConfigurationError);
    expect(err.message).toMatch(/^Input 'path': /);
    expect(err.message).toMatch(message);
  });

  test('any other error stays a bug, with its stack', () => {
    const original = Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
    expect(unreadable(original, 'x')).toBe(original);
  });

  test('a file removed between the walk and the zip is named', async () => {
    const src = await makeTree(path.join(await tempDir(), 'src'), { 'python/a.py': 'a', 'python/b.py': 'b' });
    const entries = await walkTree(src, []);
    await rm(path.join(src, 'python/b.py'));
    const sources = entries.map((e) => ({ ...e, name: e.kind === 'dir' ? `${e.path}/` : e.path }));
    const out = path.join(await tempDir(), 'x.zip');
    await expect(writeZip(sources, out, { epochSeconds: 315532800 })).rejects.toThrow(
      new ConfigurationError(
        "Input 'path': 'python/b.py' disappeared while the layer was read (ENOENT); is another step still writing the folder?",
      ),
    );
  });

  test('a zip that cannot be created fails the process instead of leaving its workers running', () => {
    // Run apart: a deflate worker left running keeps its process alive, which only a process of its own shows.
    const script = [
      `import { writeZip } from ${JSON.stringify(path.join(ROOT, 'src/layer/zip.ts'))};`,
      `await writeZip([], '/nonexistent/folder/x.zip', { epochSeconds: 0 }).catch((e) => console.log(e.code));`,
    ].join('\n');
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect([child.signal, child.status, child.stdout.trim()]).toEqual([null, 0, 'ENOENT']);
  }, 70_000);

  // Root reads anything, so these run only as another user (CI runners are not root).
  const asUser = process.getuid?.() === 0 ? test.skip : test;
  asUser('an unreadable folder or file fails with one line, not a stack', async () => {
    const src = await makeTree(path.join(await tempDir(), 'src'), { 'python/a.py': 'a', 'python/sub/b.py': 'b' });
    await chmod(path.join(src, 'python/sub'), 0);
    await expect(build(src)).rejects.toThrow(/^Input 'path': 'python\/sub' cannot be read/);
    await chmod(path.join(src, 'python/sub'), 0o755);
    await chmod(path.join(src, 'python/a.py'), 0);
    await expect(build(src)).rejects.toThrow(/^Input 'path': 'python\/a.py' cannot be read/);
  });
});

test("a source inside the build's own output folder is refused, not emptied", async () => {
  const out = path.join(await tempDir(), 'out');
  const src = await makeTree(path.join(out, 'old'), { 'python/a.py': 'a' });
  const err = await build(src, { outputDir: out }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ConfigurationError);
  expect((err as Error).message).toMatch(/^Input 'path': .* is inside .*out, where the build writes its zip/);
  // A folder whose name starts with '..' is inside too (path.relative gives '..old', not '../').
  const dotted = await makeTree(path.join(out, '..old'), { 'python/a.py': 'a' });
  await expect(build(dotted, { outputDir: out })).rejects.toThrow(/is inside .*out, where the build writes/);
});

describe('a re-run job in the same workflow run', () => {
  let emu: RunningEmulator;
  let workspace: string;
  beforeAll(async () => {
    emu = await startEmulator();
    workspace = await tempDir('llr-rerun-');
    await makeTree(path.join(workspace, 'layer'), { 'python/edge/__init__.py': 'V = 1\n' });
  });
  afterAll(async () => {
    await emu?.stop();
  });

  test('replaces the artifact of the earlier attempt, and publish takes the new one', async () => {
    const inputs = { name: 'edge', path: 'layer', 'compatible-runtimes': 'python3.12' };
    const first = await runAction('build', inputs, emu.env, { cwd: workspace });
    expect([first.code, first.errors]).toEqual([0, []]);
    await mkdir(path.join(workspace, 'layer/python/edge/more'), { recursive: true });
    await makeTree(path.join(workspace, 'layer'), { 'python/edge/more/x.py': 'X = 2\n' });
    const again = await runAction('build', inputs, emu.env, { cwd: workspace });
    expect([again.code, again.errors]).toEqual([0, []]);
    expect(again.stdout).toContain(`Replaced artifact 'lambda-layer-edge' (id ${first.outputs['artifact-id']})`);
    expect(again.outputs['artifact-id']).not.toBe(first.outputs['artifact-id']);

    const publish = await runAction('publish', { name: 'edge', regions: 'eu-west-1' }, emu.env, { cwd: workspace });
    expect([publish.code, publish.errors]).toEqual([0, []]);
    expect(publish.stdout).toContain(`sha256 ${again.outputs.sha256}`);
  }, 120_000);
});
