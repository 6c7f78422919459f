import { describe, expect, test } from '@jest/globals';
import { ConfigurationError } from '../src/errors.js';
import { legArtifactName, legArtifactPrefix, legId, runtimeJobId } from '../src/release/legs.js';
import { mergeRecords } from '../src/record/merge.js';
import type { RegionResult, ResultRecord } from '../src/record/record.js';
import { releaseTarget } from '../src/settings/release.js';

const arn = (region: string, version: number) => `arn:aws:lambda:${region}:123456789012:layer:otel:${version}`;
const ok = (region: string, version: number): RegionResult => ({
  status: 'published',
  arn: arn(region, version),
  version,
});
const failed: RegionResult = { status: 'failed', error: 'boom' };

function leg(
  createdAt: string,
  regions: Record<string, RegionResult>,
  extra: Partial<ResultRecord> = {},
): ResultRecord {
  return { schema: 1, name: 'otel', version: '1.0.0', sha256: 'aa', codeSha256: 'qq', createdAt, regions, ...extra };
}

describe('mergeRecords', () => {
  test('legs are joined; a region in two legs: published beats failed, else the newest leg', () => {
    const merged = mergeRecords([
      leg('2026-01-01T00:00:02Z', { 'us-east-1': ok('us-east-1', 1), 'eu-west-1': failed }),
      leg('2026-01-01T00:00:01Z', { 'eu-west-1': ok('eu-west-1', 2), 'ap-south-1': ok('ap-south-1', 3) }),
      leg('2026-01-01T00:00:03Z', { 'ap-south-1': ok('ap-south-1', 4), 'sa-east-1': failed }),
    ]);
    expect(merged.regions).toEqual({
      'us-east-1': ok('us-east-1', 1),
      'eu-west-1': ok('eu-west-1', 2),
      'ap-south-1': ok('ap-south-1', 4),
      'sa-east-1': failed,
    });
    expect(merged.createdAt).toBe('2026-01-01T00:00:03.000Z');
  });

  test('a failure is not hidden behind a skip', () => {
    const merged = mergeRecords([
      leg('2026-01-01T00:00:02Z', { 'us-east-1': { status: 'skipped' } }),
      leg('2026-01-01T00:00:01Z', { 'us-east-1': failed }),
    ]);
    expect(merged.regions['us-east-1']).toEqual(failed);
  });

  test.each([
    ['version', { version: '1.0.1' }],
    ['sha256', { sha256: 'bb' }],
    ['codeSha256', { codeSha256: 'rr' }],
  ])('legs with a different %s are an error naming the legs', (key, extra) => {
    const run = () => mergeRecords([leg('', {}), leg('', {}, extra)], ['leg-a', 'leg-b']);
    expect(run).toThrow(ConfigurationError);
    expect(run).toThrow(new RegExp(`${key} '.*' \\(leg-a\\) vs '.*' \\(leg-b\\)`));
  });

  test('no legs is an error', () => {
    expect(() => mergeRecords([])).toThrow('no result records');
  });
});

describe('leg artifacts', () => {
  const token = (scp: string) => ['e30', Buffer.from(JSON.stringify({ scp })).toString('base64url'), 'sig'].join('.');

  test('the runtime token job id, the regions and the identity tell legs apart', () => {
    expect(runtimeJobId(token('Actions.ExampleScope Actions.Results:run-1:job-7'))).toBe('job-7');
    expect(runtimeJobId('garbage')).toBeUndefined();
    const a = legId({ GITHUB_JOB: 'publish', ACTIONS_RUNTIME_TOKEN: token('Actions.Results:r:1') }, ['us-east-1']);
    const b = legId({ GITHUB_JOB: 'publish', ACTIONS_RUNTIME_TOKEN: token('Actions.Results:r:2') }, ['us-east-1']);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^publish-[0-9a-f]{10}$/);
    expect(legId({ GITHUB_JOB: 'p' }, ['b', 'a'])).toBe(legId({ GITHUB_JOB: 'p' }, ['a', 'b']));
    expect(legId({ GITHUB_JOB: 'p' }, ['a'], 'role-1')).not.toBe(legId({ GITHUB_JOB: 'p' }, ['a'], 'role-2'));
    // Two publish steps in one job (say, two partitions) keep two records.
    const job = { GITHUB_JOB: 'publish', ACTIONS_RUNTIME_TOKEN: token('Actions.Results:r:1') };
    expect(legId(job, ['us-east-1'])).not.toBe(legId(job, ['cn-north-1']));
    expect(legId(job, ['us-east-1', 'eu-west-1'])).toBe(legId(job, ['eu-west-1', 'us-east-1']));
  });

  test('the prefix of one layer never matches another layer whose name extends it', () => {
    expect(legArtifactName('otel-arm', 'publish-0123456789').startsWith(legArtifactPrefix('otel'))).toBe(false);
    expect(legArtifactName('otel', 'publish-0123456789')).toBe('lambda-layer-result-otel.publish-0123456789');
  });
});

describe('releaseTarget', () => {
  const event = (payload: unknown) => () => JSON.stringify(payload);
  const release = { id: 7, tag_name: 'v1.0.0', upload_url: 'http://x/assets{?name,label}' };
  const env = { GITHUB_EVENT_NAME: 'release', GITHUB_EVENT_PATH: '/event.json' };

  test.each([
    ['', env, { kind: 'event', release }],
    ['auto', env, { kind: 'event', release }],
    ['true', env, { kind: 'event', release }],
    ['auto', { GITHUB_EVENT_NAME: 'push' }, { kind: 'none', reason: "the event is 'push', not 'release'" }],
    ['false', env, { kind: 'none', reason: "input 'release' is false" }],
    ['v1.2.3', { GITHUB_EVENT_NAME: 'push' }, { kind: 'tag', tag: 'v1.2.3' }],
    ['otel/v1.2.3', env, { kind: 'tag', tag: 'otel/v1.2.3' }],
  ])('%p with %j', (input, e, expected) => {
    expect(releaseTarget(input, e, event({ action: 'published', release }))).toEqual(expected);
  });

  test('a deleted release is not updated', () => {
    expect(releaseTarget('auto', env, event({ action: 'deleted', release }))).toEqual({
      kind: 'none',
      reason: 'the release was deleted',
    });
  });

  test.each([
    ['true', { GITHUB_EVENT_NAME: 'push' }, "Input 'release' is true but the event is 'push'"],
    ['v1 2', {}, "'v1 2' is not a valid tag name"],
    ['a..b', {}, 'not a valid tag name'],
    ['-x', {}, 'not a valid tag name'],
    ['auto', { GITHUB_EVENT_NAME: 'release' }, 'GITHUB_EVENT_PATH is not set'],
  ])('%p with %j is refused', (input, e, message) => {
    const run = () => releaseTarget(input, e, event({}));
    expect(run).toThrow(ConfigurationError);
    expect(run).toThrow(message);
  });

  test('an unreadable or idless payload is refused', () => {
    const broken = () => {
      throw new Error('ENOENT');
    };
    expect(() => releaseTarget('auto', env, broken)).toThrow('cannot read the release event');
    expect(() => releaseTarget('auto', env, event({ release: {} }))).toThrow('no release id');
  });
});
