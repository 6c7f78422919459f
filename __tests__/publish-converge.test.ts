/**
 * Region-level retries and convergence on an in-memory Lambda (aws-sdk-client-mock): a transient failure runs the
 * chain again from where it stopped, a refusal does not; racing runs of one release settle on the lowest version of
 * the block that holds it; a rerun keeps the row of a version that holds the release.
 */
import { describe, expect, test } from '@jest/globals';
import { paddingDescription } from '../src/publish/align/alignment.js';
import { runRegion } from '../src/publish/region/chain.js';
import { REGION_RETRY, regionRetryDelay } from '../src/aws/region-retry.js';
import { StepError } from '../src/aws/step.js';
import { awsError, FakeRegion, networkError, plan, regionDeps } from '../__fixtures__/publish-support.js';

const us = () => new FakeRegion('us-east-1');
const ours = plan().description;
const half = () => 0.5;

describe('regionRetryDelay', () => {
  const throttle = awsError('TooManyRequestsException', 429, 'Rate exceeded', { retryAfterSeconds: '3' });
  test.each([
    ['a 500 after the first attempt: up to 1 s', awsError('ServiceException', 500), 1, 0, 500],
    ['a reset after the third: up to 4 s', networkError(), 3, 0, 2000],
    ['inside a StepError', new StepError('ListLayerVersions', awsError('ServiceException', 503)), 2, 0, 1000],
    ['a throttle waits at least its Retry-After', throttle, 1, 0, 3000],
    ['the attempts used up', awsError('ServiceException', 500), REGION_RETRY.attempts, 0, undefined],
    ['the window passed', awsError('ServiceException', 500), 1, REGION_RETRY.windowMs - 100, undefined],
    ['denied', awsError('AccessDeniedException', 403), 1, 0, undefined],
    ['not enabled', awsError('UnrecognizedClientException', 403), 1, 0, undefined],
    ['a validation error', awsError('InvalidParameterValueException', 400), 1, 0, undefined],
    ['not an AWS error', new Error('AWS stored CodeSha256 x'), 1, 0, undefined],
  ])('%s', (_label, err, failed, elapsed, expected) => {
    expect(regionRetryDelay(err, failed, elapsed, REGION_RETRY, half)).toBe(expected);
  });
});

describe('runRegion: region-level retries', () => {
  test('a read that fails after the SDK’s attempts runs the chain again, after a wait', async () => {
    const r = us();
    r.fail('list', awsError('ServiceException', 500));
    const { deps, sleeps } = regionDeps([r]);
    const o = await runRegion(plan(), 'us-east-1', deps);
    expect(o).toMatchObject({ status: 'published', version: 1, attempts: 2 });
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeLessThanOrEqual(1000);
  });

  test('sharing that failed is completed by the next attempt, on the same version, reading the policy first', async () => {
    const r = us();
    r.fail('addPermission', networkError());
    const o = await runRegion(plan(), 'us-east-1', regionDeps([r]).deps);
    expect(o).toMatchObject({ status: 'published', version: 1, attempts: 2, added: ['public'] });
    expect(r.count('publish')).toBe(1);
    expect(r.calls.slice(3)).toEqual(['addPermission', 'getPolicy', 'addPermission', 'getPolicy']);
  });

  test('a refusal is not retried', async () => {
    const r = us();
    r.fail('list', awsError('AccessDeniedException', 403, 'not authorized to perform: lambda:ListLayerVersions'));
    const { deps, sleeps } = regionDeps([r]);
    const o = await runRegion(plan(), 'us-east-1', deps);
    expect(o).toMatchObject({ status: 'failed' });
    expect(o.attempts).toBeUndefined();
    expect(sleeps).toEqual([]);
  });

  test('the window bounds the retries in time: AWS down for good ends the region, not the run', async () => {
    const r = us();
    r.fail('list', ...Array.from({ length: 10 }, () => awsError('ServiceException', 500)));
    let clock = 0;
    // Every call takes 50 s (the SDK's own attempts and timeouts); the waits go through the injected sleep.
    const { deps } = regionDeps([r], {
      now: () => (clock += 50_000),
      sleep: async (ms) => {
        clock += ms;
      },
    });
    const o = await runRegion(plan(), 'us-east-1', deps);
    expect(o.status).toBe('failed');
    expect(r.count('list')).toBeLessThan(REGION_RETRY.attempts);
  });
});

describe('runRegion: a rerun never makes the table worse', () => {
  test('the reused version’s policy cannot be read: its row stays, the problem is reported', async () => {
    const r = us();
    r.seed(ours);
    r.fail('getPolicy', ...Array.from({ length: 8 }, () => awsError('ServiceException', 500)));
    const o = await runRegion(plan(), 'us-east-1', regionDeps([r]).deps);
    expect(o).toMatchObject({
      status: 'unchanged',
      version: 1,
      arn: r.arn(1),
      problem: { what: 'Sharing', error: expect.stringMatching(/^GetLayerVersionPolicy failed: ServiceException/) },
    });
  });

  test('unless AWS says the version is gone', async () => {
    const r = us();
    r.seed(ours);
    r.fail('get', awsError('ResourceNotFoundException', 404));
    const o = await runRegion(plan({ sharing: [] }), 'us-east-1', regionDeps([r]).deps);
    expect(o.status).toBe('failed');
  });
});

describe('runRegion: racing runs of one release converge', () => {
  test('another run’s version landed first: settle on it, delete our own, report the same number', async () => {
    const r = us();
    r.seed('older [llr:1.0.0]');
    r.beforePublish = () => {
      r.beforePublish = undefined;
      r.seed(ours);
    };
    const o = await runRegion(plan(), 'us-east-1', regionDeps([r]).deps);
    expect(o).toMatchObject({ status: 'published', version: 2, arn: r.arn(2), duplicate: 3, added: ['public'] });
    expect(r.versions.map((v) => v.version)).toEqual([1, 2]);
  });

  test('our version landed first: it stays, nothing deleted', async () => {
    const r = us();
    r.seed('older [llr:1.0.0]');
    const o = await runRegion(plan(), 'us-east-1', regionDeps([r]).deps);
    r.seed(ours); // the other run's duplicate, which that run removes itself
    expect(o).toMatchObject({ status: 'published', version: 2 });
    expect(o.duplicate).toBeUndefined();
    expect(r.count('delete')).toBe(0);
  });

  test('a rerun that finds two versions of the release reuses the lower one', async () => {
    const r = us();
    r.seed('older [llr:1.0.0]');
    r.seed(ours);
    r.seed(ours);
    const o = await runRegion(plan(), 'us-east-1', regionDeps([r]).deps);
    expect(o).toMatchObject({ status: 'unchanged', version: 2 });
    expect(r.count('delete')).toBe(0);
    // The block came from the page the newest version was read on: one list.
    expect(r.count('list')).toBe(1);
  });

  test.each([
    ['a filler between is skipped', paddingDescription(9), undefined, 2],
    ['the same marker with other bytes ends the block', ours, 'b3RoZXIgY29kZQ==', 4],
    ['another release ends the block', 'other [llr:1.0.1]', undefined, 4],
  ])('%s', async (_label, between, codeSha, settled) => {
    const r = us();
    r.seed('older [llr:1.0.0]');
    r.seed(ours);
    r.seed(between, codeSha);
    r.beforePublish = () => {
      r.beforePublish = undefined;
    };
    const o = await runRegion(plan({ skipUnchanged: false }), 'us-east-1', regionDeps([r]).deps);
    // skip-unchanged false cuts the block at what the run saw (3): the new version 4 stands whatever is below.
    expect(o.version).toBe(4);
    const rerun = await runRegion(plan(), 'us-east-1', regionDeps([r]).deps);
    expect(rerun).toMatchObject({ status: 'unchanged', version: settled });
  });
});
