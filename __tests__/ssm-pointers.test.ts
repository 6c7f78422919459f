/**
 * SSM pointers through the real SDK against the emulator, and against moto where it is installed: written in every
 * region, moved forward only, never downgraded by an older release.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { GetParametersCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { writeSsmPointers, type RegionPointers } from '../src/publish/follow-ups/ssm-pointers.js';
import {
  awsBackends,
  deleteVersion,
  lambdaClient,
  publishVersion,
  ssmClient,
  type AwsBackend,
} from '../__fixtures__/release-support.js';

const REGIONS = ['us-east-1', 'eu-west-1'];

describe.each(awsBackends())('SSM pointers on $name', (spec) => {
  const run = spec.missing ? test.skip : test;
  if (spec.missing) test(`skipped: ${spec.missing}`, () => undefined);
  let backend: AwsBackend;
  const name = 'otel';
  const prefix = '/lambda-layers';
  /** semver -> region -> ARN, published in this order: layer version numbers grow with it. */
  const arns: Record<string, Record<string, string>> = {};

  beforeAll(async () => {
    if (spec.missing) return;
    backend = await spec.start();
    for (const semver of ['1.4.2', '2.0.0', '1.4.3', '1.4.1', '2.0.0+again', '3.0.0-rc.1']) {
      arns[semver] = {};
      for (const region of REGIONS) {
        arns[semver][region] = (await publishVersion(lambdaClient(backend.endpoint, region), name, semver)).arn;
      }
    }
  });

  afterAll(async () => {
    await backend?.stop();
  });

  const write = (semver: string, regions = REGIONS, extra: { prefix?: string; name?: string } = {}) =>
    writeSsmPointers({
      prefix: extra.prefix ?? prefix,
      name: extra.name ?? name,
      version: semver,
      commit: 'abcdef1234567',
      arns: Object.fromEntries(regions.map((r) => [r, arns[semver][r]])),
      ssmFor: (region) => ssmClient(backend.endpoint, region),
      lambdaFor: (region) => lambdaClient(backend.endpoint, region),
    });

  async function values(region: string, names: string[]): Promise<Record<string, string | undefined>> {
    const out = await ssmClient(backend.endpoint, region).send(new GetParametersCommand({ Names: names }));
    return Object.fromEntries(names.map((n) => [n, out.Parameters?.find((p) => p.Name === n)?.Value]));
  }

  const outcomes = (results: RegionPointers[]) =>
    Object.fromEntries(results.map((r) => [r.region, r.error ?? r.pointers.map((p) => `${p.parameter} ${p.outcome}`)]));

  run('moves forward in every region and never back', async () => {
    const steps: [string, string[]][] = [
      ['1.4.2', ['/lambda-layers/otel/latest created', '/lambda-layers/otel/1 created']],
      ['2.0.0', ['/lambda-layers/otel/latest updated', '/lambda-layers/otel/2 created']],
      ['1.4.3', ['/lambda-layers/otel/latest kept', '/lambda-layers/otel/1 updated']],
      ['1.4.1', ['/lambda-layers/otel/latest kept', '/lambda-layers/otel/1 kept']],
      // The same semver published again is a newer layer version: the pointer follows it.
      ['2.0.0+again', ['/lambda-layers/otel/latest updated', '/lambda-layers/otel/2 updated']],
      ['2.0.0', ['/lambda-layers/otel/latest kept', '/lambda-layers/otel/2 kept']],
      ['2.0.0+again', ['/lambda-layers/otel/latest current', '/lambda-layers/otel/2 current']],
    ];
    for (const [semver, expected] of steps) {
      expect([semver, outcomes(await write(semver))]).toEqual([
        semver,
        Object.fromEntries(REGIONS.map((r) => [r, expected])),
      ]);
    }
    for (const region of REGIONS) {
      expect(
        await values(region, ['/lambda-layers/otel/latest', '/lambda-layers/otel/1', '/lambda-layers/otel/2']),
      ).toEqual({
        '/lambda-layers/otel/latest': arns['2.0.0+again'][region],
        '/lambda-layers/otel/1': arns['1.4.3'][region],
        '/lambda-layers/otel/2': arns['2.0.0+again'][region],
      });
    }
  });

  run('a prerelease moves no pointer', async () => {
    expect(await write('3.0.0-rc.1', REGIONS, { prefix: '/pre' })).toEqual([]);
    expect(await values('us-east-1', ['/pre/otel/latest'])).toEqual({ '/pre/otel/latest': undefined });
  });

  run('a pointer to something unknown or deleted is overwritten, saying why', async () => {
    const ssm = ssmClient(backend.endpoint, 'us-east-1');
    await ssm.send(new PutParameterCommand({ Name: '/other/otel/latest', Value: 'not-an-arn', Type: 'String' }));
    const lambda = lambdaClient(backend.endpoint, 'us-east-1');
    const gone = await publishVersion(lambda, name, '9.0.0');
    await ssm.send(new PutParameterCommand({ Name: '/other/otel/1', Value: gone.arn, Type: 'String' }));
    await deleteVersion(lambda, name, gone.version);
    const [result] = await write('1.4.2', ['us-east-1'], { prefix: '/other' });
    expect(result.pointers).toEqual([
      {
        parameter: '/other/otel/latest',
        outcome: 'updated',
        previous: 'not-an-arn',
        reason: 'it does not hold a layer version ARN',
      },
      { parameter: '/other/otel/1', outcome: 'updated', previous: gone.arn, reason: `${gone.arn} no longer exists` },
    ]);
  });
});

describe('SSM pointers in a failing region', () => {
  let backend: AwsBackend;
  beforeAll(async () => {
    backend = await awsBackends({ denied: ['eu-west-1'] })[0].start();
  });
  afterAll(async () => {
    await backend?.stop();
  });

  test('one region that cannot be written does not stop the others', async () => {
    const published = await publishVersion(lambdaClient(backend.endpoint, 'us-east-1'), 'otel', '1.0.0');
    const results = await writeSsmPointers({
      prefix: '/p',
      name: 'otel',
      version: '1.0.0',
      arns: { 'us-east-1': published.arn, 'eu-west-1': published.arn.replace('us-east-1', 'eu-west-1') },
      ssmFor: (region) => ssmClient(backend.endpoint, region),
      lambdaFor: (region) => lambdaClient(backend.endpoint, region),
    });
    expect(results.find((r) => r.region === 'eu-west-1')?.error).toMatch(/denied|not authorized/i);
    expect(results.find((r) => r.region === 'us-east-1')?.pointers.map((p) => p.outcome)).toEqual([
      'created',
      'created',
    ]);
  });
});
