/**
 * keep-versions: the rule as a table, a denied delete through the SDK mock, and the bundle as a runner runs it against
 * the emulator (pages of versions, SSM pointers protecting old majors, hand-made versions left alone, dry run) and
 * moto where it is installed.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  DeleteLayerVersionCommand,
  LambdaClient,
  ListLayerVersionsCommand,
  type LayerVersionsListItem,
} from '@aws-sdk/client-lambda';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runAction } from '../__fixtures__/action.js';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import { applyRetention, planRetention } from '../src/publish/follow-ups/retention.js';
import type { ListedVersion } from '../src/publish/versions.js';
import { makeZip, describeOnMoto } from '../__fixtures__/emulator-support.js';
import { awsError } from '../__fixtures__/publish-support.js';
import { lambdaClient, publishVersion, ssmClient } from '../__fixtures__/release-support.js';

const v = (version: number, marked = true): ListedVersion => ({ version, marked });

describe('planRetention', () => {
  test.each([
    ['keeps the newest N, deletes older marked ones', [v(5), v(4), v(3), v(2), v(1)], 2, {}, [3, 2, 1], [], []],
    [
      'counts unmarked versions among the N, never deletes them',
      [v(4), v(3, false), v(2), v(1, false)],
      1,
      {},
      [2],
      [],
      [3, 1],
    ],
    ['never this run’s version, even outside the N', [v(9), v(8), v(7)], 1, { own: 8 }, [7], [], []],
    ['never what an SSM pointer holds', [v(6), v(5), v(4), v(3)], 1, { pointed: [4] }, [5, 3], [4], []],
    ['a dry run’s pending version takes one of the N places', [v(3), v(2), v(1)], 2, { pending: true }, [2, 1], [], []],
    ['fewer versions than N: nothing', [v(2), v(1)], 3, {}, [], [], []],
    ['unsorted pages are sorted first', [v(1), v(3), v(2)], 1, {}, [2, 1], [], []],
  ])('%s', (_label, versions, keep, protect, remove, pointed, unmarked) => {
    const p = protect as { own?: number; pending?: boolean; pointed?: number[] };
    expect(
      planRetention(versions, keep, { own: p.own, pending: p.pending ?? false, pointed: new Set(p.pointed ?? []) }),
    ).toEqual({ remove, pointed, unmarked, concurrent: [] });
  });

  const minute = 60_000;
  const at = (version: number, minutesAgo: number, marker = { version: `1.0.${version}` }): ListedVersion => ({
    version,
    marked: true,
    created: Date.UTC(2026, 0, 1) - minutesAgo * minute,
    marker,
  });
  const release = { version: '2.0.0', commit: 'abc1234' };
  test.each([
    [
      'a version newer than this run’s (another run published later)',
      [at(9, 0), at(8, 0, release), at(7, 60)],
      8,
      [7],
      [9],
    ],
    [
      'a version of this release (another run’s copy, which it settles itself)',
      [at(9, 0), at(8, 30, release), at(7, 60)],
      9,
      [7],
      [8],
    ],
    ['one created less than 10 minutes before this run’s', [at(9, 0), at(8, 9), at(7, 11)], 9, [7], [8]],
    ['no CreatedDate: no time rule', [v(9), v(8), v(7)], 9, [8, 7], []],
  ])('keeps %s', (_label, versions, own, remove, concurrent) => {
    // No places for the newest N here, so that only the rules about other runs keep a version.
    const plan = planRetention(versions, 0, { own, pending: false, pointed: new Set(), release });
    expect({ remove: plan.remove, concurrent: plan.concurrent }).toEqual({ remove, concurrent });
  });
});

describe('applyRetention through the SDK (mocked)', () => {
  const items = (n: number): LayerVersionsListItem[] =>
    Array.from({ length: n }, (_, i) => ({
      Version: n - i,
      LayerVersionArn: `arn:aws:lambda:us-east-1:123456789012:layer:otel:${n - i}`,
      Description: `x [llr:1.0.${n - i}]`,
    }));

  test('a denied delete stops the rest and names the missing permission', async () => {
    const lambda = new LambdaClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const mock = mockClient(lambda);
    mock.on(ListLayerVersionsCommand).resolves({ LayerVersions: items(12) });
    mock
      .on(DeleteLayerVersionCommand)
      .rejects(
        awsError('AccessDeniedException', 403, 'User: x is not authorized to perform: lambda:DeleteLayerVersion'),
      );
    const result = await applyRetention({
      region: 'us-east-1',
      name: 'otel',
      keep: 2,
      lambda,
      own: 12,
      pending: false,
      dryRun: false,
      pointed: async () => new Set(),
    });
    expect(result.deleted).toEqual([]);
    expect(result.error).toMatch(/^version \d+: access denied: missing permission lambda:DeleteLayerVersion/);
    // 4 deletes in flight at once; none started after the first failure.
    expect(mock.commandCalls(DeleteLayerVersionCommand).length).toBeLessThanOrEqual(4);
  });
});

describe('keep-versions through the bundle on the emulator', () => {
  const REGIONS = ['us-east-1', 'eu-west-1'];
  let emu: RunningEmulator;
  let ws: string;
  const versionsIn = async (name: string, region: string) =>
    (await lambdaClient(emu.url, region).send(new ListLayerVersionsCommand({ LayerName: name, MaxItems: 50 })))
      .LayerVersions!.map((x) => x.Version!)
      .sort((a, b) => b - a);

  beforeAll(async () => {
    emu = await startEmulator();
    ws = await mkdtemp(path.join(tmpdir(), 'llr-retention-'));
    await writeFile(path.join(ws, 'layer.zip'), makeZip({ 'python/otel.py': 'VERSION = "2.0.0"\n' }));
    // 1: 0.8.0, 2: by hand, 3: 0.9.0 (held by /layers/otel/0), 4-6: 1.x; all an hour ago (versions published
    // minutes before are kept: another run may be using them).
    emu.aws.configure({ clockOffsetSeconds: -3600 });
    for (const region of REGIONS) {
      const client = lambdaClient(emu.url, region);
      await publishVersion(client, 'otel', '0.8.0');
      await publishVersion(client, 'otel', '0.8.1', { marker: false });
      const old = await publishVersion(client, 'otel', '0.9.0');
      for (const s of ['1.0.0', '1.1.0', '1.2.0']) await publishVersion(client, 'otel', s);
      await ssmClient(emu.url, region).send(
        new PutParameterCommand({ Name: '/layers/otel/0', Value: old.arn, Type: 'String' }),
      );
    }
    emu.aws.configure({ clockOffsetSeconds: 0 });
  }, 60_000);

  afterAll(async () => {
    await emu?.stop();
  });

  const publish = (inputs: Record<string, string>) =>
    runAction(
      'publish',
      {
        name: 'otel',
        zip: 'layer.zip',
        version: '2.0.0',
        regions: REGIONS.join(' '),
        'ssm-prefix': '/layers',
        ...inputs,
      },
      { ...emu.env, GITHUB_EVENT_NAME: 'push' },
      { cwd: ws },
    );

  test('dry run: lists what would go, deletes nothing', async () => {
    const dry = await publish({ 'keep-versions': '2', 'dry-run': 'true' });
    expect([dry.code, dry.errors]).toEqual([0, []]);
    expect(dry.stdout).toContain('us-east-1: would delete version(s) 5, 4, 1 (keep-versions: 2).');
    expect(dry.stdout).toContain('us-east-1: kept old version(s) 3: an SSM pointer points at them.');
    expect(dry.stdout).toContain('us-east-1: left old version(s) 2 alone: not published by lambda-layer-release.');
    expect(dry.summary).toContain('<th>Would delete</th>');
    expect(await versionsIn('otel', 'us-east-1')).toEqual([6, 5, 4, 3, 2, 1]);
  });

  test('publish 2.0.0 with keep-versions 2: the new one and the one before stay, and what the pointers hold', async () => {
    const run = await publish({ 'keep-versions': '2' });
    expect([run.code, run.errors]).toEqual([0, []]);
    expect(JSON.parse(run.outputs.versions)).toEqual({ 'us-east-1': 7, 'eu-west-1': 7 });
    for (const region of REGIONS) expect(await versionsIn('otel', region)).toEqual([7, 6, 3, 2]);
    expect(run.summary).toContain('<h4>Old versions (keep-versions: 2)</h4>');
    expect(run.summary).toContain('<td>eu-west-1</td><td>5, 4, 1</td><td>3 (SSM pointer); 2 (not ours)</td>');
  });

  test('versions published minutes before this run’s are kept: another run may be using them', async () => {
    const client = lambdaClient(emu.url, 'us-east-1');
    for (const s of ['0.1.0', '0.2.0']) await publishVersion(client, 'fresh', s);
    const run = await runAction(
      'publish',
      { name: 'fresh', zip: 'layer.zip', version: '2.0.0', regions: 'us-east-1', 'keep-versions': '1' },
      { ...emu.env, GITHUB_EVENT_NAME: 'push' },
      { cwd: ws },
    );
    expect([run.code, run.errors]).toEqual([0, []]);
    expect(run.stdout).toContain('us-east-1: kept version(s) 2, 1: this release, newer than this run');
    expect(await versionsIn('fresh', 'us-east-1')).toEqual([3, 2, 1]);
  });

  test('a rerun (unchanged) with keep-versions 1 keeps the reused version', async () => {
    const run = await publish({ 'keep-versions': '1' });
    expect([run.code, run.errors]).toEqual([0, []]);
    expect(JSON.parse(run.outputs['unchanged-regions'])).toHaveLength(2);
    for (const region of REGIONS) expect(await versionsIn('otel', region)).toEqual([7, 3, 2]);
  });

  test('every page is read: 60 versions, keep 5', async () => {
    const client = lambdaClient(emu.url, 'us-east-1');
    emu.aws.configure({ clockOffsetSeconds: -3600 });
    for (let i = 0; i < 60; i++) await publishVersion(client, 'many', `0.0.${i}`);
    emu.aws.configure({ clockOffsetSeconds: 0 });
    const run = await runAction(
      'publish',
      { name: 'many', zip: 'layer.zip', version: '2.0.0', regions: 'us-east-1', 'keep-versions': '5' },
      { ...emu.env, GITHUB_EVENT_NAME: 'push' },
      { cwd: ws },
    );
    expect([run.code, run.errors]).toEqual([0, []]);
    // Versions 1-11 are on the second page of 50: they are gone too.
    expect(await versionsIn('many', 'us-east-1')).toEqual([61, 60, 59, 58, 57]);
  });
});

describeOnMoto('keep-versions on moto', (moto) => {
  test('three old versions, keep 2: moto’s CreatedDate is read, and versions minutes old stay', async () => {
    const ws = await mkdtemp(path.join(tmpdir(), 'llr-retention-moto-'));
    await writeFile(path.join(ws, 'layer.zip'), makeZip({ 'python/x.py': 'x = 1\n' }));
    const client = lambdaClient(moto().url, 'eu-central-1');
    for (const s of ['1.0.0', '1.1.0', '1.2.0']) await publishVersion(client, 'otel', s);
    const run = await runAction(
      'publish',
      { name: 'otel', zip: 'layer.zip', version: '2.0.0', regions: 'eu-central-1', 'keep-versions': '2' },
      { AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b', AWS_ENDPOINT_URL_LAMBDA: moto().url },
      { cwd: ws },
    );
    expect([run.code, run.errors]).toEqual([0, []]);
    // moto's clock cannot be moved: the old versions were published seconds ago, so its CreatedDate keeps them.
    expect(run.stdout).toContain('eu-central-1: kept version(s) 2, 1: this release, newer than this run');
    const left = await client.send(new ListLayerVersionsCommand({ LayerName: 'otel' }));
    expect(left.LayerVersions!.map((x) => x.Version).sort()).toEqual([1, 2, 3, 4]);
  }, 60_000);
});
