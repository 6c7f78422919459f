/** parseRolloutSettings: every input checked before any call, one line naming the input; no process.env. */
import { describe, expect, test } from '@jest/globals';
import { parseRolloutSettings } from '../src/settings/rollout.js';
import { parseTagRange } from '../src/rollout/tag.js';
import { ConfigurationError } from '../src/errors.js';

const base = { name: 'otel', regions: 'us-east-1 eu-west-1' };
const ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:api';

describe('parseRolloutSettings', () => {
  test('the defaults', () => {
    expect(parseRolloutSettings(base)).toEqual({
      name: 'otel',
      regions: { partition: 'aws', named: ['us-east-1', 'eu-west-1'], exclude: [] },
      functions: { kind: 'tagged' },
      source: 'aws',
      maxParallel: 4,
      dryRun: false,
      failOn: 'any',
      credentials: { roleSessionName: 'lambda-layer-release', audience: 'sts.amazonaws.com' },
    });
  });

  test.each([
    [{ functions: 'tagged' }, { kind: 'tagged' }],
    [{ functions: 'TAGGED' }, { kind: 'tagged' }],
    [
      { functions: `api, worker\n${ARN}`, version: '^1.4' },
      {
        kind: 'listed',
        functions: [
          { name: 'api', input: 'api' },
          { name: 'worker', input: 'worker' },
          { name: 'api', region: 'eu-west-1', input: ARN },
        ],
        range: { input: '^1.4', range: '>=1.4.0 <2.0.0-0' },
      },
    ],
  ])('functions %j', (inputs, functions) => {
    expect(parseRolloutSettings({ ...base, ...inputs }).functions).toEqual(functions);
  });

  test.each([
    [{ name: '' }, "Input 'name' is required."],
    [{ name: 'bad name' }, /name/],
    [{ regions: '' }, /^Input 'regions' is required/],
    [{ regions: 'mars-1' }, /^Input 'regions' has unknown region 'mars-1'/],
    [{ functions: 'api' }, /^Input 'version' is required with a list in 'functions'/],
    [{ version: '1.x' }, /^Input 'version' is read only with a list in 'functions'/],
    [{ functions: 'tagged api', version: '1' }, /^Input 'functions' is either 'tagged' or a list/],
    [{ functions: 'api', version: 'one' }, /^Input 'version' must be a semver range/],
    [{ functions: 'no/such', version: '1' }, /^Input 'functions' has 'no\/such', which is neither/],
    [{ functions: `${ARN}:live`, version: '1' }, /qualifier ':live': rollout updates \$LATEST/],
    [
      { functions: 'arn:aws:lambda:ap-south-1:123456789012:function:api', version: '1' },
      /in ap-south-1, which 'regions' does not list/,
    ],
    [{ functions: 'arn:aws-cn:lambda:cn-north-1:123456789012:function:api', version: '1' }, /partition/],
    [{ source: 'gitlab' }, "Input 'source' must be one of aws, github, got 'gitlab'."],
    [{ alias: '42' }, /^Input 'alias' must be a Lambda alias name/],
    [{ alias: 'a b' }, /^Input 'alias'/],
    [{ 'max-parallel': '0' }, "Input 'max-parallel' must be a whole number from 1 to 64, got '0'."],
    [{ 'max-parallel': '4.5' }, /^Input 'max-parallel'/],
    [{ 'dry-run': 'maybe' }, "Input 'dry-run' must be true or false, got 'maybe'."],
    [{ 'fail-on': 'some' }, /^Input 'fail-on' must be one of any, all, none/],
    [{ 'role-to-assume': 'my-role' }, /^Input 'role-to-assume' must be an IAM role ARN/],
    [{ 'role-to-assume': 'arn:aws-cn:iam::123456789012:role/r' }, /is a role of partition aws-cn/],
    [{ 'role-session-name': 'x' }, /^Input 'role-session-name'/],
    [{ source: 'github', repository: 'nope' }, /^Input 'repository' must be owner\/repo/],
    [{ source: 'github', repository: 'acme/layers' }, /^Input 'github-token' is empty/],
  ])('%j is refused', (inputs, message) => {
    const parse = () => parseRolloutSettings({ ...base, ...inputs } as Record<string, string>);
    expect(parse).toThrow(ConfigurationError);
    expect(parse).toThrow(message);
  });

  test('source github reads the repository, defaulting to the run’s', () => {
    const settings = parseRolloutSettings(
      { ...base, source: 'github', 'github-token': 't' },
      { GITHUB_REPOSITORY: 'acme/layers' },
    );
    expect([settings.source, settings.repository]).toEqual(['github', { owner: 'acme', repo: 'layers' }]);
  });

  test('an ARN of a region that `all` covers is accepted', () => {
    const settings = parseRolloutSettings({ ...base, regions: 'all', functions: ARN, version: 'latest' });
    expect(settings.functions).toMatchObject({ kind: 'listed', functions: [{ region: 'eu-west-1' }] });
  });
});

describe('tag values', () => {
  test.each([
    ['1', '>=1.0.0 <2.0.0-0'],
    ['1.x', '>=1.0.0 <2.0.0-0'],
    ['1.X', '>=1.0.0 <2.0.0-0'],
    ['1.4', '>=1.4.0 <1.5.0-0'],
    ['1.4.x', '>=1.4.0 <1.5.0-0'],
    ['0', '<1.0.0-0'],
    ['latest', '*'],
    ['Latest', '*'],
    ['1.4.2', '1.4.2'],
    ['1.5.0-rc.1', '1.5.0-rc.1'],
  ])('%s reads as %s', (value, range) => {
    expect(parseTagRange(value)).toMatchObject({ range: { range } });
  });

  test.each(['', 'one', '1.x.4', 'v1', '01', '1.4.2.1', '>=1', '^1', '~1.4', '*', 'x', '1 || 2', '1.4.2 - 1.5'])(
    '%j is refused, never guessed',
    (value) => {
      expect(parseTagRange(value)).toEqual({ problem: expect.stringContaining(`value '${value}' is not a range`) });
    },
  );
});
