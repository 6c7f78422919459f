/** The per-region chain on an in-memory Lambda (aws-sdk-client-mock): reuse, safe publish, sharing, verification. */
import { describe, expect, test } from '@jest/globals';
import { runRegion } from '../src/publish/region/chain.js';
import { awsError, FakeRegion, layer, networkError, plan, regionDeps } from '../__fixtures__/publish-support.js';

const us = () => new FakeRegion('us-east-1');
const ourDescription = plan().description;

describe('runRegion: first publish', () => {
  test('publishes, shares with every grant, reads the policy back', async () => {
    const r = us();
    const { deps } = regionDeps([r]);
    const p = plan({
      sharing: [
        { kind: 'public' },
        { kind: 'account', id: '111122223333' },
        { kind: 'organization', id: 'o-abcdefghij' },
      ],
    });
    const o = await runRegion(p, 'us-east-1', deps);
    expect(o).toMatchObject({
      status: 'published',
      version: 1,
      arn: r.arn(1),
      sharing: ['public', '111122223333', 'o-abcdefghij'],
      added: ['public', '111122223333', 'o-abcdefghij'],
      adopted: false,
    });
    // The list after the publish: did another run publish this release at the same time (converge.ts)?
    expect(r.calls).toEqual([
      'list',
      'publish',
      'list',
      'addPermission',
      'addPermission',
      'addPermission',
      'getPolicy',
    ]);
    expect(r.versions[0].statements.map((s) => s.Sid)).toEqual([
      'lambda-layer-release-public',
      'lambda-layer-release-account-111122223333',
      'lambda-layer-release-org-o-abcdefghij',
    ]);
  });

  test('a private layer makes no policy calls', async () => {
    const r = us();
    const o = await runRegion(plan({ sharing: [] }), 'us-east-1', regionDeps([r]).deps);
    expect(o).toMatchObject({ status: 'published', sharing: [], added: [] });
    expect(r.calls).toEqual(['list', 'publish', 'list']);
  });

  test('the request carries the marker description, runtimes, architectures and license', async () => {
    const r = us();
    await runRegion(plan(), 'us-east-1', regionDeps([r]).deps);
    expect(r.versions[0].description).toBe('OpenTelemetry [llr:1.4.2@0a1b2c3d4e5f]');
  });
});

describe('runRegion: reruns', () => {
  test('the newest version with our marker and CodeSha256 is reused: no publish, no policy change', async () => {
    const r = us();
    r.seed(ourDescription, undefined, [
      { Sid: 'lambda-layer-release-public', Effect: 'Allow', Principal: '*', Action: 'lambda:GetLayerVersion' },
    ]);
    const o = await runRegion(plan(), 'us-east-1', regionDeps([r]).deps);
    expect(o).toMatchObject({ status: 'unchanged', version: 1, arn: r.arn(1), sharing: ['public'], added: [] });
    expect(r.count('publish')).toBe(0);
    expect(r.count('addPermission')).toBe(0);
  });

  test('a reused version still gets the grants it lacks', async () => {
    const r = us();
    r.seed(ourDescription);
    const o = await runRegion(
      plan({ sharing: [{ kind: 'account', id: '111122223333' }] }),
      'us-east-1',
      regionDeps([r]).deps,
    );
    expect(o).toMatchObject({ status: 'unchanged', added: ['111122223333'] });
    expect(r.count('addPermission')).toBe(1);
  });

  test('a grant someone added by hand under another statement id counts as present', async () => {
    const r = us();
    r.seed(ourDescription, undefined, [
      {
        Sid: 'manual',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111122223333:root' },
        Action: 'lambda:GetLayerVersion',
      },
    ]);
    const o = await runRegion(
      plan({ sharing: [{ kind: 'account', id: '111122223333' }] }),
      'us-east-1',
      regionDeps([r]).deps,
    );
    expect(o).toMatchObject({ status: 'unchanged', added: [] });
  });

  test.each([
    ['another version', 'OpenTelemetry [llr:1.4.1@0a1b2c3d4e5f]', undefined],
    ['another commit', 'OpenTelemetry [llr:1.4.2@ffffffffffff]', undefined],
    ['no marker', 'published by hand', undefined],
    ['same marker, other code', ourDescription, 'b3RoZXIgY29kZQ=='],
  ])('the newest version with %s is not reused', async (_label, description, codeSha) => {
    const r = us();
    r.seed(description, codeSha);
    const o = await runRegion(plan(), 'us-east-1', regionDeps([r]).deps);
    expect(o).toMatchObject({ status: 'published', version: 2, previousVersion: 1 });
  });

  test('skip-unchanged false publishes again', async () => {
    const r = us();
    r.seed(ourDescription);
    const o = await runRegion(plan({ skipUnchanged: false }), 'us-east-1', regionDeps([r]).deps);
    expect(o).toMatchObject({ status: 'published', version: 2 });
  });

  test('a 409 for a statement that exists (an earlier attempt added it) is success', async () => {
    const r = us();
    r.commitThenFail(
      'addPermission',
      awsError('ResourceConflictException', 409, 'The statement id provided already exists'),
    );
    const o = await runRegion(plan(), 'us-east-1', regionDeps([r]).deps);
    expect(o).toMatchObject({ status: 'published', added: ['public'] });
  });

  test('the policy is read back: a grant AWS did not keep fails the region', async () => {
    const r = us();
    r.fail('addPermission', awsError('ResourceConflictException', 409, 'conflict, yet nothing stored'));
    const o = await runRegion(plan(), 'us-east-1', regionDeps([r]).deps);
    expect(o).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/policy read back lacks public/),
      version: 1,
    });
  });
});

describe('runRegion: a publish whose answer is lost is never blindly resent', () => {
  test.each([
    ['a 500', awsError('ServiceException', 500)],
    ['a reset', networkError('ECONNRESET')],
    ['a timeout', Object.assign(new Error('timed out'), { name: 'TimeoutError', $metadata: {} })],
  ])('after %s that committed, the new version is adopted', async (_label, error) => {
    const r = us();
    r.seed('older [llr:1.0.0]');
    r.commitThenFail('publish', error);
    const o = await runRegion(plan(), 'us-east-1', regionDeps([r]).deps);
    expect(o).toMatchObject({ status: 'published', version: 2, adopted: true });
    expect(r.count('publish')).toBe(1);
    expect(r.versions).toHaveLength(2);
  });

  test('after a 500 that committed nothing, the publish is sent again, once', async () => {
    const r = us();
    r.fail('publish', awsError('ServiceException', 500));
    const { deps, sleeps } = regionDeps([r]);
    const o = await runRegion(plan(), 'us-east-1', deps);
    expect(o).toMatchObject({ status: 'published', version: 1, adopted: false });
    expect(r.count('publish')).toBe(2);
    expect(sleeps).toEqual([100]);
  });

  test('a throttle is resent after the Retry-After AWS asked for, without looking', async () => {
    const r = us();
    r.fail('publish', awsError('TooManyRequestsException', 429, 'Rate exceeded', { retryAfterSeconds: '2' }));
    const { deps, sleeps } = regionDeps([r]);
    const o = await runRegion(plan(), 'us-east-1', deps);
    expect(o).toMatchObject({ status: 'published', version: 1 });
    expect(sleeps).toEqual([2000]);
    expect(r.calls.filter((c) => c === 'list')).toHaveLength(2);
    expect(r.calls.indexOf('list', 1)).toBeGreaterThan(r.calls.lastIndexOf('publish'));
  });

  test('the resends are bounded; the region runs again, looking first, and then gives up', async () => {
    const r = us();
    r.fail('publish', ...Array.from({ length: 12 }, () => awsError('ServiceException', 500, 'Internal error')));
    const { deps, sleeps } = regionDeps([r]);
    const o = await runRegion(plan(), 'us-east-1', deps);
    expect(o).toMatchObject({
      status: 'failed',
      error: 'PublishLayerVersion failed: ServiceException: Internal error',
      attempts: 4,
    });
    // 3 sends per attempt, 4 attempts; each send after the first of an attempt follows a look.
    expect(r.count('publish')).toBe(12);
    expect(r.versions).toHaveLength(0);
    // The publish backoffs (100, 200 ms) within each attempt, a region retry's jittered wait between attempts (by
    // position: a jittered wait may itself come out at 100 or 200 ms).
    expect(sleeps).toHaveLength(11);
    const publishBackoffs = sleeps.filter((_ms, i) => i % 3 !== 2);
    expect(publishBackoffs).toEqual([100, 200, 100, 200, 100, 200, 100, 200]);
  });

  test('a region retry after a lost answer adopts the version instead of publishing again', async () => {
    const r = us();
    r.commitThenFail('publish', networkError());
    // The look after the lost answer fails (after the SDK's retries): the attempt fails, its publish unknown.
    r.fail('list', null, awsError('ServiceException', 500));
    const o = await runRegion(plan(), 'us-east-1', regionDeps([r]).deps);
    expect(o).toMatchObject({ status: 'published', version: 1, adopted: true, attempts: 2 });
    expect(r.count('publish')).toBe(1);
    expect(r.versions).toHaveLength(1);
  });

  test('when the look itself fails, the publish is not resent', async () => {
    const r = us();
    r.fail('publish', networkError());
    // The first list (the newest version) goes through; the look after the lost answer is refused.
    r.fail('list', null, awsError('AccessDeniedException', 403, 'not authorized to perform: lambda:ListLayerVersions'));
    const o = await runRegion(plan(), 'us-east-1', regionDeps([r]).deps);
    expect(o).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/missing permission lambda:ListLayerVersions/),
    });
    expect(r.count('publish')).toBe(1);
  });

  test('a refusal (400) is final', async () => {
    const r = us();
    r.fail(
      'publish',
      awsError('InvalidParameterValueException', 400, 'Unzipped size must be smaller than 262144000 bytes'),
    );
    const o = await runRegion(plan(), 'us-east-1', regionDeps([r]).deps);
    expect(o.error).toBe(
      'PublishLayerVersion failed: InvalidParameterValueException: Unzipped size must be smaller than 262144000 bytes',
    );
    expect(r.count('publish')).toBe(1);
  });
});

describe('runRegion: failures are reasons, not crashes', () => {
  test('a region not enabled for the account', async () => {
    const r = us();
    r.fail(
      'list',
      awsError('UnrecognizedClientException', 403, 'The security token included in the request is invalid.'),
    );
    const o = await runRegion(plan(), 'us-east-1', regionDeps([r]).deps);
    expect(o.status).toBe('failed');
    expect(o.error).toMatch(
      /^region not enabled for this account \(UnrecognizedClientException on ListLayerVersions\)/,
    );
  });

  test('access denied names the missing permission; the version published is reported', async () => {
    const r = us();
    r.fail(
      'addPermission',
      awsError(
        'AccessDeniedException',
        403,
        'User: arn:aws:sts::123456789012:assumed-role/ci/x is not authorized to perform: lambda:AddLayerVersionPermission on resource: x',
      ),
    );
    const o = await runRegion(plan(), 'us-east-1', regionDeps([r]).deps);
    expect(o).toMatchObject({
      status: 'failed',
      error: 'access denied: missing permission lambda:AddLayerVersionPermission (AccessDeniedException)',
      version: 1,
      arn: r.arn(1),
    });
  });

  test('an ARN for another region is refused', async () => {
    const r = new FakeRegion('eu-west-1');
    const { deps } = regionDeps([r], { clients: { lambda: () => r.client, publisher: () => r.publisher } });
    const o = await runRegion(plan(), 'us-east-1', deps);
    expect(o).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/AWS returned ARN .*eu-west-1.* for otel:1 in us-east-1/),
    });
  });

  test('a CodeSha256 other than the zip’s fails the region', async () => {
    const r = us();
    const o = await runRegion(plan({ layer: layer({ codeSha256: 'b3RoZXI=' }) }), 'us-east-1', regionDeps([r]).deps);
    expect(o).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/^AWS stored CodeSha256 .*, the zip's is b3RoZXI=$/),
    });
  });
});

describe('runRegion: dry run', () => {
  test('plans a publish with only read calls', async () => {
    const r = us();
    r.seed('older [llr:1.0.0]');
    const o = await runRegion(plan({ dryRun: true }), 'us-east-1', regionDeps([r]).deps);
    expect(o).toMatchObject({ status: 'planned', previousVersion: 1, added: ['public'] });
    expect(r.calls).toEqual(['list']);
  });

  test('reports a reusable version and the grants it would add, adding none', async () => {
    const r = us();
    r.seed(ourDescription);
    const o = await runRegion(plan({ dryRun: true }), 'us-east-1', regionDeps([r]).deps);
    expect(o).toMatchObject({ status: 'unchanged', version: 1, added: ['public'] });
    expect(r.count('addPermission')).toBe(0);
    expect(r.count('publish')).toBe(0);
  });
});
