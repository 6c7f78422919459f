/**
 * resolve from the account: every page of ListLayerVersions, read through the version markers, with the real SDK
 * against the emulator and against moto where it is installed; and the bundled resolve command as a process.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { runAction } from '../__fixtures__/action.js';
import { listAwsCandidates } from '../src/resolve/aws.js';
import { parseRange } from '../src/resolve/range.js';
import { NoMatchError, resolveFromCandidates } from '../src/resolve/resolve.js';
import { awsBackends, lambdaClient, publishVersion, type AwsBackend } from '../__fixtures__/release-support.js';

/** Published oldest first. ap-south-1 has 50 versions after its 1.4.2, so 1.4.2 is only on the second page. */
const HISTORY: Record<string, string[]> = {
  'us-east-1': ['1.4.0', '1.10.0', '1.4.2', '1.9.0', '2.0.0-rc.1'],
  'eu-west-1': ['1.4.2', '1.4.0', '1.10.0', '1.4.2'],
  'ap-south-1': ['1.4.2', ...Array.from({ length: 50 }, (_, i) => `0.0.${i}`), '1.10.0'],
};
const UNMARKED = 'unmarked';

describe.each(awsBackends())('resolve from the account on $name', (spec) => {
  const run = spec.missing ? test.skip : test;
  if (spec.missing) test(`skipped: ${spec.missing}`, () => undefined);
  let backend: AwsBackend;
  /** region -> semver -> highest layer version with it */
  const published: Record<string, Record<string, number>> = {};

  beforeAll(async () => {
    if (spec.missing) return;
    backend = await spec.start();
    for (const [region, semvers] of Object.entries(HISTORY)) {
      const client = lambdaClient(backend.endpoint, region);
      published[region] = {};
      for (const semver of semvers) published[region][semver] = (await publishVersion(client, 'otel', semver)).version;
      // The newest version of each region carries no marker: not ours, so never picked.
      await publishVersion(client, 'otel', '1.99.0', { marker: false });
    }
    await publishVersion(lambdaClient(backend.endpoint, 'sa-east-1'), 'otel', '1.4.2', { marker: false });
    await publishVersion(lambdaClient(backend.endpoint, 'sa-east-1'), UNMARKED, '1.0.0', { marker: false });
  }, 120_000);

  afterAll(async () => {
    await backend?.stop();
  });

  const resolve = async (range: string, regions: string[]) => {
    const found = await listAwsCandidates({
      name: 'otel',
      regions,
      lambdaFor: (region) => lambdaClient(backend.endpoint, region),
    });
    return resolveFromCandidates('otel', parseRange(range), regions, found);
  };

  run.each([
    ['~1.4.0', '1.4.2'],
    ['^1', '1.10.0'],
    ['1.x', '1.10.0'],
    ['latest', '1.10.0'],
  ])('%p resolves to %p in every region', async (range, expected) => {
    const regions = Object.keys(HISTORY);
    const r = await resolve(range, regions);
    expect(r.semvers).toEqual(Object.fromEntries(regions.map((region) => [region, expected])));
    expect(r.versions).toEqual(Object.fromEntries(regions.map((region) => [region, published[region][expected]])));
    for (const region of regions) {
      expect(r.arns[region]).toBe(`arn:aws:lambda:${region}:123456789012:layer:otel:${published[region][expected]}`);
    }
    expect(r.resolvedVersion).toBe(expected);
  });

  run('a republished semver resolves to its newer layer version', async () => {
    const r = await resolve('1.4.2', ['eu-west-1']);
    expect(r.versions).toEqual({ 'eu-west-1': 4 });
    expect(r.layerVersionArn).toBe('arn:aws:lambda:eu-west-1:123456789012:layer:otel:4');
  });

  run('a range that matches nothing in some regions names them; unmarked versions do not count', async () => {
    await expect(resolve('~1.4.0', ['us-east-1', 'sa-east-1', 'ca-central-1'])).rejects.toThrow(NoMatchError);
    await expect(resolve('~1.4.0', ['us-east-1', 'sa-east-1', 'ca-central-1'])).rejects.toThrow(
      "matches '~1.4.0' in 2 region(s): ca-central-1 (no versions); sa-east-1 (no versions)",
    );
  });

  run('the bundled resolve command sets the outputs', async () => {
    const result = await runAction(
      'resolve',
      { name: 'otel', version: '~1.4.0', regions: 'us-east-1, eu-west-1', source: 'aws', repository: 'o/r' },
      {
        AWS_ENDPOINT_URL_LAMBDA: backend.endpoint,
        AWS_ACCESS_KEY_ID: 'AKIAEMULATORTEST0000',
        AWS_SECRET_ACCESS_KEY: 'dummy-secret',
      },
    );
    expect([result.code, result.errors]).toEqual([0, []]);
    expect(JSON.parse(result.outputs.arns)).toEqual({
      'eu-west-1': `arn:aws:lambda:eu-west-1:123456789012:layer:otel:${published['eu-west-1']['1.4.2']}`,
      'us-east-1': `arn:aws:lambda:us-east-1:123456789012:layer:otel:${published['us-east-1']['1.4.2']}`,
    });
    expect(result.outputs['resolved-version']).toBe('1.4.2');
    expect(result.outputs['layer-version-arn']).toBe('');
    expect(result.summary).toContain('| us-east-1 | 1.4.2 |');
  });

  run.each([
    [{ regions: 'us-east-1 mars-north-1' }, "Input 'regions' has unknown region 'mars-north-1'"],
    [{ regions: '' }, "Input 'regions' is required"],
    [{ regions: 'us-east-1', version: 'newest' }, "Input 'version' must be a semver range"],
  ])('the bundled command refuses %j before any AWS call', async (inputs, message) => {
    const before = backend.emulator?.server.log.length;
    const result = await runAction(
      'resolve',
      { name: 'otel', source: 'aws', ...inputs },
      { AWS_ENDPOINT_URL_LAMBDA: backend.endpoint },
    );
    expect(result.code).toBe(1);
    expect(result.errors[0]).toContain(message);
    expect(backend.emulator?.server.log.length).toBe(before);
  });
});
