/**
 * The input toolkit and the pure settings parsers of report and resolve (build's and publish's have their own
 * suites): raw inputs in, settings or one ConfigurationError naming the input out; no process.env, no AWS, no files.
 */
import { describe, expect, test } from '@jest/globals';
import { readAction } from '../scripts/action-metadata.js';
import { ConfigurationError } from '../src/errors.js';
import { BUILD_INPUTS } from '../src/settings/build.js';
import { DEFAULTS, inputReader, splitList, type RawInputs } from '../src/settings/inputs.js';
import { PUBLISH_INPUTS } from '../src/settings/publish.js';
import { parseReportSettings, REPORT_INPUTS, type ReportInput } from '../src/settings/report.js';
import { parseResolveSettings, RESOLVE_INPUTS, type ResolveInput } from '../src/settings/resolve.js';
import { ROLLOUT_INPUTS } from '../src/settings/rollout.js';

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}

/** One line, a ConfigurationError, the expected words. */
function expectRefused(fn: () => unknown, message: string | RegExp): void {
  const error = errorOf(fn);
  expect(error).toBeInstanceOf(ConfigurationError);
  expect(error.message).toMatch(message);
  expect(error.message).not.toContain('\n');
}

describe('splitList', () => {
  test.each<[string | undefined, string[]]>([
    [undefined, []],
    ['', []],
    ['  \n ', []],
    ['a,b', ['a', 'b']],
    ['a, b\nc\r\n\td', ['a', 'b', 'c', 'd']],
    [',,a,,', ['a']],
  ])('%p -> %p', (value, expected) => {
    expect(splitList(value)).toEqual(expected);
  });
});

describe('inputReader', () => {
  type Name = 'flag' | 'mode' | 'count' | 'list' | 'text' | 'bare';
  const defaults = { flag: 'true', mode: 'off', count: '3', text: 'fallback' };
  const read = (raw: RawInputs<Name>) => inputReader<Name>(raw, defaults);

  test.each<[string, RawInputs<Name>, unknown]>([
    ['empty text takes the default', {}, 'fallback'],
    ['text is trimmed', { text: '  given \n' }, 'given'],
    ['blank text takes the default', { text: ' \t' }, 'fallback'],
  ])('%s', (_name, raw, expected) => {
    expect(read(raw).text('text')).toBe(expected);
  });

  test.each<[string | undefined, boolean]>([
    [undefined, true],
    ['', true],
    ['false', false],
    ['NO', false],
    ['0', false],
    ['off', false],
    ['Yes', true],
    ['1', true],
    [' on ', true],
  ])('boolean %p -> %p', (value, expected) => {
    expect(read({ flag: value }).boolean('flag')).toBe(expected);
  });

  test.each<[string | undefined, string]>([
    [undefined, 'off'],
    ['STRICT', 'strict'],
    [' pad ', 'pad'],
  ])('choice %p -> %p', (value, expected) => {
    expect(read({ mode: value }).choice('mode', ['off', 'strict', 'pad'] as const)).toBe(expected);
  });

  test.each<[string | undefined, number | undefined]>([
    [undefined, 3],
    ['', 3],
    [' 7 ', 7],
    ['10', 10],
  ])('integer %p -> %p', (value, expected) => {
    expect(read({ count: value }).integer('count', 1, 10)).toBe(expected);
  });

  test('an integer without a default is undefined when empty', () => {
    expect(read({}).integer('bare', 1)).toBeUndefined();
  });

  test('lists split on commas, spaces and newlines', () => {
    expect(read({ list: 'a, b\nc' }).list('list')).toEqual(['a', 'b', 'c']);
  });

  test.each<[string, () => unknown, string | RegExp]>([
    ['required', () => read({}).required('bare'), "Input 'bare' is required."],
    ['boolean', () => read({ flag: 'maybe' }).boolean('flag'), "Input 'flag' must be true or false, got 'maybe'."],
    [
      'choice',
      () => read({ mode: 'Sometimes' }).choice('mode', ['off', 'strict'] as const),
      "Input 'mode' must be one of off, strict, got 'sometimes'.",
    ],
    ...['1e1', '0x1', '5.0', '+5', '-1', '0', '11'].map((value): [string, () => unknown, string] => [
      `integer ${value}`,
      () => read({ count: value }).integer('count', 1, 10),
      `Input 'count' must be a whole number from 1 to 10, got '${value}'.`,
    ]),
  ])('%s is refused in one line', (_name, fn, message) => {
    expectRefused(fn, message);
  });

  test('a boolean or choice without a default is a bug in the parser, not a user mistake', () => {
    const error = errorOf(() => inputReader<'x'>({}).boolean('x'));
    expect(error).not.toBeInstanceOf(ConfigurationError);
  });
});

describe("DEFAULTS are the action.yml files' defaults", () => {
  const commands = {
    build: BUILD_INPUTS,
    publish: PUBLISH_INPUTS,
    report: REPORT_INPUTS,
    resolve: RESOLVE_INPUTS,
    rollout: ROLLOUT_INPUTS,
  } as const;
  test.each(Object.keys(commands) as (keyof typeof commands)[])('%s', async (command) => {
    const spec = await readAction(`${command}/action.yml`);
    expect(Object.keys(spec.inputs ?? {}).sort()).toEqual([...commands[command]].sort());
    // Literal defaults only: `${{ github.token }}` and the like are the runner's, '' means "none".
    const literal = Object.entries(spec.inputs ?? {})
      .filter(([, input]) => input.default && !input.default.includes('${{'))
      .map(([name, input]) => [name, input.default]);
    expect(Object.fromEntries(literal)).toEqual(DEFAULTS[command]);
  });
});

describe('parseReportSettings', () => {
  const base: RawInputs<ReportInput> = { name: 'otel', 'github-token': 'ghs_x' };
  const parse = (raw: RawInputs<ReportInput>, env: Record<string, string> = {}) =>
    parseReportSettings({ ...base, ...raw }, env);

  test('defaults: no release outside a release event, fail-on any, no matrix regions', () => {
    expect(parse({}, { GITHUB_EVENT_NAME: 'push' })).toEqual({
      name: 'otel',
      release: { kind: 'none', reason: "the event is 'push', not 'release'" },
      failOn: 'any',
      token: 'ghs_x',
      regions: [],
    });
  });

  test.each<[string, RawInputs<ReportInput>, Record<string, string>, object]>([
    ['a tag', { release: 'v1.2.3' }, {}, { release: { kind: 'tag', tag: 'v1.2.3' } }],
    ['fail-on in any case', { 'fail-on': 'ALL' }, {}, { failOn: 'all' }],
    [
      'named regions, deduplicated, lower case',
      { regions: 'us-east-1, EU-WEST-1 us-east-1' },
      {},
      { regions: ['us-east-1', 'eu-west-1'] },
    ],
    [
      "'all' in the partition of AWS_REGION",
      { regions: 'all' },
      { AWS_REGION: 'cn-north-1' },
      { regions: ['cn-north-1', 'cn-northwest-1'] },
    ],
    ['no token with release false', { release: 'false', 'github-token': '' }, {}, { token: '' }],
  ])('%s', (_name, raw, env, expected) => {
    expect(parse(raw, env)).toMatchObject(expected);
  });

  test.each<[string, RawInputs<ReportInput>, string | RegExp]>([
    ['name missing', { name: '' }, "Input 'name' is required."],
    ['name pattern', { name: 'my layer' }, /^Input 'name' must be 1 to 140 letters/],
    ['fail-on', { 'fail-on': 'some' }, /^Input 'fail-on' must be one of /],
    ['all-enabled', { regions: 'all-enabled' }, /^Input 'regions' of report cannot be 'all-enabled'/],
    ['unknown region', { regions: 'us-east-9' }, /^Input 'regions' has unknown region 'us-east-9'/],
    ['bad tag', { release: 'v1..2' }, /^Input 'release' must be auto, true, false, or a tag name/],
    ['a tag without a token', { release: 'v1', 'github-token': '' }, /^Input 'github-token' is empty/],
  ])('%s is refused', (_name, raw, message) => {
    expectRefused(() => parse(raw), message);
  });
});

describe('parseResolveSettings', () => {
  const parse = (raw: RawInputs<ResolveInput>, env: Record<string, string> = {}) =>
    parseResolveSettings({ name: 'otel', ...raw }, env);
  const credentials = { roleSessionName: 'lambda-layer-release', audience: 'sts.amazonaws.com' };

  test('defaults: every version, from AWS, with the default credentials', () => {
    expect(parse({ regions: 'us-east-1' })).toEqual({
      name: 'otel',
      range: { input: 'latest', range: '*' },
      selection: { partition: 'aws', named: ['us-east-1'], exclude: [] },
      regions: [],
      source: 'aws',
      token: '',
      credentials,
    });
  });

  test.each<[string, RawInputs<ResolveInput>, Record<string, string>, object]>([
    [
      'a role and a session name',
      { regions: 'us-east-1', 'role-to-assume': 'arn:aws:iam::123456789012:role/reader', 'role-session-name': 'ci-7' },
      {},
      {
        credentials: { ...credentials, roleToAssume: 'arn:aws:iam::123456789012:role/reader', roleSessionName: 'ci-7' },
      },
    ],
    ['all-enabled', { regions: 'ALL-ENABLED' }, {}, { selection: { expand: 'all-enabled' } }],
    ['source in any case', { regions: 'us-east-1', source: 'AWS' }, {}, { source: 'aws' }],
    [
      'github: the repository of the run, every region the releases list',
      { source: 'github', 'github-token': 't' },
      { GITHUB_REPOSITORY: 'acme/layers' },
      { source: 'github', repository: { owner: 'acme', repo: 'layers' }, regions: [], everyRegion: true },
    ],
    [
      'github: named regions and a repository address',
      { source: 'github', 'github-token': 't', regions: 'EU-WEST-1', repository: 'https://github.com/acme/other.git' },
      { GITHUB_REPOSITORY: 'acme/layers' },
      { repository: { owner: 'acme', repo: 'other' }, regions: ['eu-west-1'], everyRegion: false },
    ],
  ])('%s', (_name, raw, env, expected) => {
    expect(parse(raw, env)).toMatchObject(expected);
  });

  test.each<[string, RawInputs<ResolveInput>, string | RegExp]>([
    ['name missing', { name: '', regions: 'us-east-1' }, "Input 'name' is required."],
    ['version', { regions: 'us-east-1', version: 'one' }, /^Input 'version' must be a semver range/],
    ['source', { regions: 'us-east-1', source: 's3' }, "Input 'source' must be one of aws, github, got 's3'."],
    ['aws without regions', {}, /^Input 'regions' is required/],
    [
      'role-to-assume that is no role ARN',
      { regions: 'us-east-1', 'role-to-assume': 'reader' },
      /^Input 'role-to-assume' must be an IAM role ARN/,
    ],
    [
      'role of another partition',
      { regions: 'cn-north-1', 'role-to-assume': 'arn:aws:iam::123456789012:role/reader' },
      /^Input 'role-to-assume' is a role of partition aws, but the regions are in aws-cn/,
    ],
    [
      'session name STS refuses',
      { regions: 'us-east-1', 'role-session-name': 'a b' },
      /^Input 'role-session-name' must be 2 to 64 letters/,
    ],
    [
      'github with all-enabled',
      { source: 'github', 'github-token': 't', regions: 'all-enabled' },
      /^Input 'regions': 'all-enabled' asks the AWS account/,
    ],
    [
      'github with an unknown region',
      { source: 'github', 'github-token': 't', regions: 'mars-1' },
      /^Input 'regions' has unknown region 'mars-1'/,
    ],
    ['github without a token', { source: 'github', repository: 'acme/layers' }, /^Input 'github-token' is empty/],
  ])('%s is refused', (_name, raw, message) => {
    expectRefused(() => parse(raw), message);
  });
});
