import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import path from 'node:path';
import { getBuildSettings, sourceDateEpoch } from '../src/action/build.js';
import { ConfigurationError } from '../src/errors.js';
import { checkContent, fitsInlineUpload, MAX_UNZIPPED_BYTES, extensionWarnings } from '../src/layer/limits.js';
import { checkVersion, defaultVersion } from '../src/layer/version.js';
import { DEFAULT_EPOCH_SECONDS } from '../src/layer/zip-format.js';

const SAVED = { ...process.env };
const BASE: Record<string, string> = {
  INPUT_NAME: 'my-layer',
  INPUT_PATH: 'layer',
  INPUT_UPLOAD: 'false',
  GITHUB_WORKSPACE: '/work/space',
  GITHUB_SHA: '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567',
  GITHUB_REF: 'refs/heads/main',
  RUNNER_TEMP: '/runner/tmp',
};

function withInputs(inputs: Record<string, string>): void {
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key];
  Object.assign(process.env, BASE, inputs);
}

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}

beforeEach(() => {
  delete process.env.SOURCE_DATE_EPOCH;
  delete process.env.ACTIONS_RUNTIME_TOKEN;
  delete process.env.ACTIONS_RESULTS_URL;
  delete process.env.LLR_ARTIFACT_DIR;
});
afterEach(() => {
  process.env = { ...SAVED };
});

describe('build inputs', () => {
  test('defaults', () => {
    withInputs({});
    expect(getBuildSettings()).toMatchObject({
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
      commit: BASE.GITHUB_SHA,
      ref: 'refs/heads/main',
    });
  });

  test('lists take commas, spaces and newlines; duplicates collapse', () => {
    withInputs({
      'INPUT_COMPATIBLE-RUNTIMES': 'python3.12, python3.13\npython3.12',
      'INPUT_COMPATIBLE-ARCHITECTURES': 'x86_64 arm64',
      INPUT_EXCLUDE: 'tests/**\n*.md',
      'INPUT_RETENTION-DAYS': '5',
      'INPUT_ARTIFACT-NAME': 'custom',
    });
    expect(getBuildSettings()).toMatchObject({
      runtimes: ['python3.12', 'python3.13'],
      architectures: ['x86_64', 'arm64'],
      exclude: ['tests/**', '*.md'],
      retentionDays: 5,
      artifactName: 'custom',
    });
  });

  test('a deprecated runtime is accepted with a warning', () => {
    withInputs({ 'INPUT_COMPATIBLE-RUNTIMES': 'python3.8 nodejs22.x' });
    const settings = getBuildSettings();
    expect(settings.runtimes).toEqual(['python3.8', 'nodejs22.x']);
    expect(settings.warnings).toEqual([expect.stringContaining('python3.8')]);
  });

  const sixteen = ['python3.9', 'python3.10', 'python3.11', 'python3.12', 'python3.13', 'python3.14', 'python3.15']
    .concat(['nodejs18.x', 'nodejs20.x', 'nodejs22.x', 'nodejs24.x', 'java11', 'java17', 'java21', 'java25'])
    .concat(['ruby3.3'])
    .join(',');

  // Every limit: one line, naming the input, thrown before anything is read or uploaded.
  test.each<[string, Record<string, string>, string]>([
    ['name missing', { INPUT_NAME: '' }, "Input 'name' is required"],
    ['name pattern', { INPUT_NAME: 'my layer' }, "Input 'name' must be 1 to 140"],
    ['name too long', { INPUT_NAME: 'x'.repeat(141) }, "Input 'name' must be 1 to 140"],
    ['path missing', { INPUT_PATH: '' }, "Input 'path' is required"],
    [
      'unknown runtime',
      { 'INPUT_COMPATIBLE-RUNTIMES': 'python3.12 python4' },
      "Input 'compatible-runtimes' has unknown runtime 'python4'",
    ],
    [
      '16 runtimes',
      { 'INPUT_COMPATIBLE-RUNTIMES': sixteen },
      "Input 'compatible-runtimes' lists 16 runtimes; Lambda allows at most 15",
    ],
    [
      'architecture',
      { 'INPUT_COMPATIBLE-ARCHITECTURES': 'x86_64 amd64' },
      "Input 'compatible-architectures' must list x86_64 and/or arm64, got 'amd64'",
    ],
    ['layout', { INPUT_LAYOUT: '../python' }, "Input 'layout' must be auto, none, or a relative folder"],
    ['version', { INPUT_VERSION: '1.2' }, "Input 'version' must be a semantic version"],
    [
      'description',
      { INPUT_DESCRIPTION: 'd'.repeat(257) },
      "Input 'description' is 257 characters; Lambda allows at most 256",
    ],
    [
      'license',
      { 'INPUT_LICENSE-INFO': 'l'.repeat(513) },
      "Input 'license-info' is 513 characters; Lambda allows at most 512",
    ],
    ['artifact name', { 'INPUT_ARTIFACT-NAME': 'a/b' }, "Input 'artifact-name' must be non-empty and free of"],
    ['retention', { 'INPUT_RETENTION-DAYS': '0' }, "Input 'retention-days' must be a whole number from 1 to 400"],
    ['upload flag', { INPUT_UPLOAD: 'maybe' }, "Input 'upload' must be true or false"],
    [
      'upload without the service',
      { INPUT_UPLOAD: 'true' },
      "Input 'upload': the GitHub artifact service is not reachable here",
    ],
  ])('%s', (_name, inputs, message) => {
    withInputs(inputs);
    const error = errorOf(() => getBuildSettings());
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toContain(message);
    expect(error.message).not.toContain('\n');
  });

  test.each([
    ['exactly 15 runtimes', { 'INPUT_COMPATIBLE-RUNTIMES': sixteen.split(',').slice(0, 15).join(',') }],
    ['description of 256', { INPUT_DESCRIPTION: 'd'.repeat(256) }],
    ['license of 512', { 'INPUT_LICENSE-INFO': 'l'.repeat(512) }],
    ['name of 140', { INPUT_NAME: 'x'.repeat(140) }],
    [
      'upload with the service',
      { INPUT_UPLOAD: 'true', ACTIONS_RUNTIME_TOKEN: 't', ACTIONS_RESULTS_URL: 'http://127.0.0.1:1/' },
    ],
    ['upload to a local folder', { INPUT_UPLOAD: 'true', LLR_ARTIFACT_DIR: '/tmp/x' }],
  ])('%s is accepted', (_name, inputs) => {
    withInputs(inputs);
    expect(() => getBuildSettings()).not.toThrow();
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
