/**
 * The action under Lambda's control-plane rate (`--rate-limit`: a token bucket per account and region, 429
 * TooManyRequestsException above it), through the bundle as a runner runs it: align-versions pad (fillers published
 * and deleted in bursts), keep-versions (deletes four at a time) and ssm-prefix, on the shipped retry settings. The
 * limit is set low enough that the bursts overflow it; the request log shows the throttles really happened.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { ListLayerVersionsCommand } from '@aws-sdk/client-lambda';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runAction } from '../__fixtures__/action.js';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import { isPadding } from '../src/publish/align/alignment.js';
import { makeZip } from '../__fixtures__/emulator-support.js';
import { lambdaClient, publishVersion, ssmClient } from '../__fixtures__/release-support.js';

/** Region -> versions published (an hour ago) before the test. */
const HISTORY: Record<string, number> = { 'us-east-1': 0, 'us-west-2': 2, 'eu-west-1': 6, 'ap-south-1': 4 };
const REGIONS = Object.keys(HISTORY);
const RATE = 2;
let emu: RunningEmulator;
let ws: string;

beforeAll(async () => {
  emu = await startEmulator();
  ws = await mkdtemp(path.join(tmpdir(), 'llr-rate-'));
  await writeFile(path.join(ws, 'layer.zip'), makeZip({ 'python/otel.py': 'VERSION = "2.0.0"\n' }));
  emu.aws.configure({ clockOffsetSeconds: -3600 });
  for (const [region, count] of Object.entries(HISTORY)) {
    for (let i = 0; i < count; i++) await publishVersion(lambdaClient(emu.url, region), 'otel', `1.${i}.0`);
  }
  emu.aws.configure({ clockOffsetSeconds: 0, rateLimit: RATE });
}, 60_000);

afterAll(async () => {
  await emu?.stop();
});

describe(`Lambda at ${RATE} requests a second per region`, () => {
  test('align-versions pad, keep-versions 1 and ssm-prefix: every region done, throttles ridden out', async () => {
    const before = emu.server.log.length;
    const run = await runAction(
      'publish',
      {
        name: 'otel',
        zip: 'layer.zip',
        version: '2.0.0',
        regions: REGIONS.join(' '),
        'share-with': 'public',
        'align-versions': 'pad',
        'keep-versions': '1',
        'ssm-prefix': '/layers',
      },
      { ...emu.env, GITHUB_EVENT_NAME: 'push' },
      { cwd: ws, timeoutMs: 240_000 },
    );
    expect([run.code, run.errors]).toEqual([0, []]);
    const versions = JSON.parse(run.outputs.versions) as Record<string, number>;
    // eu-west-1 had 6: every region gets 7.
    expect(versions).toEqual(Object.fromEntries(REGIONS.map((r) => [r, 7])));
    const arns = JSON.parse(run.outputs.arns) as Record<string, string>;
    for (const region of REGIONS) {
      const listed = await lambdaClient(emu.url, region).send(new ListLayerVersionsCommand({ LayerName: 'otel' }));
      const left = (listed.LayerVersions ?? []).map((v) => ({ version: v.Version, padding: isPadding(v.Description) }));
      // No filler left, the old versions deleted (keep-versions 1), the new one there.
      expect([region, left]).toEqual([region, [{ version: 7, padding: false }]]);
      const pointer = await ssmClient(emu.url, region).send(new GetParameterCommand({ Name: '/layers/otel/latest' }));
      expect([region, pointer.Parameter?.Value]).toEqual([region, arns[region]]);
    }
    const throttled = emu.server.log.slice(before).filter((e) => e.service === 'lambda' && e.status === 429);
    expect(throttled.length).toBeGreaterThan(5);
    expect(throttled.every((e) => e.fault === undefined)).toBe(true);
  }, 300_000);
});
