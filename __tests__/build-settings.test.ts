import { describe, expect, test } from '@jest/globals';
import path from 'node:path';
import { ConfigurationError } from '../src/errors.js';
import { checkContent, fitsInlineUpload, MAX_UNZIPPED_BYTES, extensionWarnings } from '../src/layer/limits.js';
import { checkVersion, defaultVersion } from '../src/layer/version.js';
import { DEFAULT_EPOCH_SECONDS } from '../src/layer/zip-format.js';
import { parseBuildSettings, sourceDateEpoch, type BuildInput } from '../src/settings/build.js';
import type { RawInputs } from '../src/settings/inputs.js';

// The build command's inputs, as the runner passes them (by their action.yml names), and the run's environment.
const BASE: RawInputs<BuildInput> = { name: 'my-layer', path: 'layer', upload: 'false' };
const ENV: NodeJS.ProcessEnv = {
  GITHUB_WORKSPACE: '/work/space',
  GITHUB_SHA: '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567',
  GITHUB_REF: 'refs/heads/main',
  RUNNER_TEMP: '/runner/tmp',
};
const parse = (inputs: RawInputs<BuildInput>, env: NodeJS.ProcessEnv = {}) =>
  parseBuildSettings({ ...BASE, ...inputs }, { ...ENV, ...env });

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}

describe('build inputs', () => {
  test('defaults', () => {
    expect(parse({})).toMatchObject({
      name: 'my-layer',
      path: path.resolve('/work/space', 'layer'),
      runtimes: [],
      architectures: [],
      layout: { kind: 'auto' },
      exclude: ['__pycache__', '*.pyc', '.git', '.DS_Store'],
      version: '0.0.0-0a1b2c3',
      description: '',
      licenseInfo: '',
      artifactName: 'lambda-layer-my-layer',
      retentionDays: undefined,
      upload: false,
      outputDir: path.join('/runner/tmp', 'lambda-layer-release', 'my-layer'),
      epochSeconds: DEFAULT_EPOCH_SECONDS,
      commit: ENV.GITHUB_SHA,
      ref: 'refs/heads/main',
    });
  });

  test('lists take commas, spaces and newlines; duplicates collapse', () => {
    const settings = parse({
      'compatible-runtimes': 'python3.12, python3.13\npython3.12',
      'compatible-architectures': 'x86_64 arm64',
      exclude: 'tests/**\n*.md',
      'retention-days': '5',
      'artifact-name': 'custom',
    });
    expect(settings).toMatchObject({
      runtimes: ['python3.12', 'python3.13'],
      architectures: ['x86_64', 'arm64'],
      exclude: ['tests/**', '*.md'],
      retentionDays: 5,
      artifactName: 'custom',
    });
  });

  test('a deprecated runtime is accepted with a warning', () => {
    const settings = parse({ 'compatible-runtimes': 'python3.8 nodejs22.x' });
    expect(settings.runtimes).toEqual(['python3.8', 'nodejs22.x']);
    expect(settings.warnings).toEqual([expect.stringContaining('python3.8')]);
  });

  const sixteen = ['python3.9', 'python3.10', 'python3.11', 'python3.12', 'python3.13', 'python3.14', 'python3.15']
    .concat(['nodejs18.x', 'nodejs20.x', 'nodejs22.x', 'nodejs24.x', 'java11', 'java17', 'java21', 'java25'])
    .concat(['ruby3.3'])
    .join(',');

  // Every limit: one line, naming the input, thrown before anything is read or uploaded.
  test.each<[string, RawInputs<BuildInput>, string]>([
    ['name missing', { name: '' }, "Input 'name' is required"],
    ['name pattern', { name: 'my layer' }, "Input 'name' must be 1 to 140"],
    ['name too long', { name: 'x'.repeat(141) }, "Input 'name' must be 1 to 140"],
    ['path missing', { path: '' }, "Input 'path' is required"],
    [
      'unknown runtime',
      { 'compatible-runtimes': 'python3.12 python4' },
      "Input 'compatible-runtimes' has unknown runtime 'python4'",
    ],
    [
      '16 runtimes',
      { 'compatible-runtimes': sixteen },
      "Input 'compatible-runtimes' lists 16 runtimes; Lambda allows at most 15",
    ],
    [
      'architecture',
      { 'compatible-architectures': 'x86_64 amd64' },
      "Input 'compatible-architectures' must list x86_64 and/or arm64, got 'amd64'",
    ],
    ['layout', { layout: '../python' }, "Input 'layout' must be auto, none, or a relative folder"],
    ['version', { version: '1.2' }, "Input 'version' must be a semantic version"],
    [
      'description',
      { description: 'd'.repeat(257) },
      "Input 'description' is 257 characters; Lambda allows at most 256",
    ],
    [
      'license',
      { 'license-info': 'l'.repeat(513) },
      "Input 'license-info' is 513 characters; Lambda allows at most 512",
    ],
    ['artifact name', { 'artifact-name': 'a/b' }, "Input 'artifact-name' must be non-empty and free of"],
    ['retention', { 'retention-days': '0' }, "Input 'retention-days' must be a whole number from 1 to 400"],
    ['upload flag', { upload: 'maybe' }, "Input 'upload' must be true or false"],
    [
      'upload without the service',
      { upload: 'true' },
      "Input 'upload': the GitHub artifact service is not reachable here",
    ],
  ])('%s', (_name, inputs, message) => {
    const error = errorOf(() => parse(inputs));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toContain(message);
    expect(error.message).not.toContain('\n');
  });

  test.each<[string, RawInputs<BuildInput>, NodeJS.ProcessEnv]>([
    ['exactly 15 runtimes', { 'compatible-runtimes': sixteen.split(',').slice(0, 15).join(',') }, {}],
    ['description of 256', { description: 'd'.repeat(256) }, {}],
    ['license of 512', { 'license-info': 'l'.repeat(512) }, {}],
    ['name of 140', { name: 'x'.repeat(140) }, {}],
    [
      'upload with the service',
      { upload: 'true' },
      { ACTIONS_RUNTIME_TOKEN: 't', ACTIONS_RESULTS_URL: 'http://127.0.0.1:1/' },
    ],
    ['upload to a local folder', { upload: 'true' }, { LLR_ARTIFACT_DIR: '/tmp/x' }],
  ])('%s is accepted', (_name, inputs, env) => {
    expect(() => parse(inputs, env)).not.toThrow();
  });
});

describe('version', () => {
  test.each<[string | undefined, string | undefined, string]>([
    ['refs/tags/v1.2.3', 'abc1234', '1.2.3'],
    ['refs/tags/1.2.3', 'abc1234', '1.2.3'],
    ['refs/tags/v2.0.0-rc.1', 'abc1234', '2.0.0-rc.1'],
    ['refs/tags/my-layer-v1.4.0', 'abc1234', '1.4.0'],
    ['refs/tags/my-layer@1.4.0', 'abc1234', '1.4.0'],
    ['refs/tags/other-v1.4.0', 'abcdef1234', '0.0.0-abcdef1'],
    ['refs/tags/release', 'abcdef1234', '0.0.0-abcdef1'],
    ['refs/heads/v1.2.3', 'ABCDEF1234', '0.0.0-abcdef1'],
    ['refs/pull/3/merge', '1234567890', '0.0.0-1234567'],
    // all digits with a leading zero is not a valid pre-release identifier
    [undefined, '0123456789', '0.0.0-g0123456'],
  ])('ref %p sha %p -> %p', (ref, sha, expected) => {
    expect(defaultVersion({ ref, sha }, 'my-layer')).toBe(expected);
  });

  test('no tag and no sha: the input is needed', () => {
    expect(() => defaultVersion({ ref: 'refs/heads/main' }, 'x')).toThrow(/^Input 'version' is needed/);
  });

  test.each([
    ['1.2.3', '1.2.3'],
    ['v1.2.3', '1.2.3'],
    ['1.0.0-beta.2+build.5', '1.0.0-beta.2+build.5'],
  ])('explicit %p -> %p', (value, expected) => {
    expect(checkVersion(value)).toBe(expected);
  });
});

describe('content limits', () => {
  test.each<[string, { files: number; unzippedSize: number }, string | undefined]>([
    ['empty', { files: 0, unzippedSize: 0 }, "Input 'path': src holds no files"],
    ['at the limit', { files: 1, unzippedSize: MAX_UNZIPPED_BYTES }, undefined],
    [
      'over the limit',
      { files: 1, unzippedSize: MAX_UNZIPPED_BYTES + 1 },
      "Input 'path': src is 262144001 bytes unzipped",
    ],
  ])('%s', (_name, stats, message) => {
    if (message) expect(() => checkContent(stats, 'src')).toThrow(message);
    else expect(() => checkContent(stats, 'src')).not.toThrow();
  });

  test.each([
    [50 * 1024 * 1024 - 8192, true],
    [50 * 1024 * 1024, false],
    [60 * 1024 * 1024, false],
  ])('a zip of %p bytes fits inline: %p', (size, fits) => {
    expect(fitsInlineUpload(size)).toBe(fits);
  });

  test('extensions must be executable and at most 10', () => {
    const ext = (i: number, executable = true) => ({ path: `extensions/e${i}`, kind: 'file', executable });
    expect(extensionWarnings([ext(1), ext(2, false)])).toEqual([
      expect.stringContaining('extensions/e2 is not executable'),
    ]);
    expect(extensionWarnings(Array.from({ length: 11 }, (_, i) => ext(i)))).toEqual([
      expect.stringContaining('11 files'),
    ]);
  });
});

describe('SOURCE_DATE_EPOCH', () => {
  test.each<[string | undefined, number | string]>([
    [undefined, DEFAULT_EPOCH_SECONDS],
    ['', DEFAULT_EPOCH_SECONDS],
    ['1700000000', 1700000000],
    ['-5', 'SOURCE_DATE_EPOCH must be whole seconds'],
    ['yesterday', 'SOURCE_DATE_EPOCH must be whole seconds'],
  ])('%p', (value, expected) => {
    if (typeof expected === 'number') expect(sourceDateEpoch(value)).toBe(expected);
    else expect(() => sourceDateEpoch(value)).toThrow(expected);
  });
});
