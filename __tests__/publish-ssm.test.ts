/**
 * `ssm-prefix` through the bundle as a runner runs it: the pointers are written in every region that has the release,
 * only move forward, show in the summary, and a region whose pointers fail keeps its ARN but fails the step under
 * `fail-on: any`. Against the emulator, and moto (Lambda + SSM) where it is installed.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { GetParametersCommand } from '@aws-sdk/client-ssm';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runAction, type ActionRun } from '../__fixtures__/action.js';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import { makeZip, describeOnMoto } from '../__fixtures__/emulator-support.js';
import { ssmClient } from '../__fixtures__/release-support.js';

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-south-1'];
let emu: RunningEmulator;
let ws: string;

beforeAll(async () => {
  emu = await startEmulator();
  ws = await mkdtemp(path.join(tmpdir(), 'llr-publish-ssm-'));
  for (const v of ['1.1.0', '1.2.0', '2.0.0']) {
    await writeFile(path.join(ws, `${v}.zip`), makeZip({ 'python/otel.py': `VERSION = "${v}"\n` }));
  }
}, 60_000);

afterAll(async () => {
  await emu?.stop();
});

function publish(version: string, inputs: Record<string, string> = {}, env: Record<string, string> = {}) {
  return runAction(
    'publish',
    { name: 'otel', zip: `${version}.zip`, version, regions: REGIONS.join(' '), 'ssm-prefix': '/layers', ...inputs },
    { ...emu.env, GITHUB_EVENT_NAME: 'push', ...env },
    { cwd: ws },
  );
}

async function pointers(endpoint: string, names: string[]): Promise<Record<string, Record<string, string>>> {
  const out: Record<string, Record<string, string>> = {};
  for (const region of REGIONS) {
    const answer = await ssmClient(endpoint, region).send(new GetParametersCommand({ Names: names }));
    out[region] = Object.fromEntries((answer.Parameters ?? []).map((p) => [p.Name!, p.Value!]));
  }
  return out;
}

const arnsOf = (run: ActionRun) => JSON.parse(run.outputs.arns) as Record<string, string>;

describe('ssm-prefix on the emulator', () => {
  let first: ActionRun;

  test('1.2.0: latest and 1 point at each region’s own ARN; the summary shows them', async () => {
    first = await publish('1.2.0');
    expect([first.code, first.errors]).toEqual([0, []]);
    const arns = arnsOf(first);
    expect(await pointers(emu.url, ['/layers/otel/latest', '/layers/otel/1'])).toEqual(
      Object.fromEntries(REGIONS.map((r) => [r, { '/layers/otel/latest': arns[r], '/layers/otel/1': arns[r] }])),
    );
    expect(first.summary).toContain('<h4>SSM pointers</h4>');
    expect(first.summary).toContain(
      '<tr><th>Region</th><th>/layers/otel/latest</th><th>/layers/otel/1</th></tr><tr><td>ap-south-1</td><td>created</td><td>created</td></tr>',
    );
  });

  test('an older 1.1.0 published afterwards moves no pointer', async () => {
    const backport = await publish('1.1.0');
    expect([backport.code, backport.errors]).toEqual([0, []]);
    expect(Object.values(JSON.parse(backport.outputs.versions))).toEqual([2, 2, 2]);
    const arns = arnsOf(first);
    const now = await pointers(emu.url, ['/layers/otel/latest', '/layers/otel/1']);
    for (const r of REGIONS) expect(now[r]).toEqual({ '/layers/otel/latest': arns[r], '/layers/otel/1': arns[r] });
    expect(backport.summary).toContain('kept (it points at newer 1.2.0)');
    expect(backport.stdout).toMatch(/eu-west-1: kept \/layers\/otel\/latest \(it points at newer 1\.2\.0\)/);
  });

  test('2.0.0 moves latest and creates 2; 1 stays at 1.2.0', async () => {
    const major = await publish('2.0.0');
    expect([major.code, major.errors]).toEqual([0, []]);
    const now = await pointers(emu.url, ['/layers/otel/latest', '/layers/otel/1', '/layers/otel/2']);
    for (const r of REGIONS) {
      expect(now[r]).toEqual({
        '/layers/otel/latest': arnsOf(major)[r],
        '/layers/otel/1': arnsOf(first)[r],
        '/layers/otel/2': arnsOf(major)[r],
      });
    }
  });

  describe('SSM failing everywhere (500 on every call)', () => {
    beforeAll(async () => {
      await fetch(`${emu.url}/__emulator/config`, {
        method: 'POST',
        body: JSON.stringify({ faults: { rate: 1, kinds: ['500'], services: ['ssm'] } }),
      });
    });
    afterAll(async () => {
      await fetch(`${emu.url}/__emulator/config`, {
        method: 'POST',
        body: JSON.stringify({ faults: { rate: 0, services: [] } }),
      });
    });

    test('fail-on any: the layer is there (outputs, no failed region), the step fails naming SSM', async () => {
      const run = await publish('2.0.0', {}, { AWS_MAX_ATTEMPTS: '2' });
      expect(run.code).toBe(1);
      expect(Object.keys(arnsOf(run)).sort()).toEqual([...REGIONS].sort());
      expect(run.outputs['failed-regions']).toBe('[]');
      expect(
        run.errors.filter((e) => /^\S+: SSM pointers: GetParameters failed: InternalServerError/.test(e)),
      ).toHaveLength(3);
      expect(run.errors.at(-1)).toBe(
        "Layer 'otel' 2.0.0 is published, but SSM pointers failed in ap-south-1, eu-west-1, us-east-1 (fail-on: any).",
      );
      expect(run.summary).toContain('failed: GetParameters failed: InternalServerError');
    });

    test('fail-on all: the layer decides; the SSM failures are still annotated', async () => {
      const run = await publish('2.0.0', { 'fail-on': 'all' }, { AWS_MAX_ATTEMPTS: '2' });
      expect(run.code).toBe(0);
      expect(run.errors).toHaveLength(3);
    });
  });

  test('dry run writes no pointer', async () => {
    const before = emu.server.log.length;
    const dry = await publish('2.0.0', { 'dry-run': 'true', 'skip-unchanged': 'false' });
    expect([dry.code, dry.errors]).toEqual([0, []]);
    expect(dry.stdout).toContain('Dry run: SSM pointers not written.');
    expect(emu.server.log.slice(before).filter((e) => e.service === 'ssm')).toEqual([]);
  });

  test.each([
    ['no leading slash', 'layers', /^Input 'ssm-prefix' must start with \//],
    ['reserved aws prefix', '/aws/layers', /^Input 'ssm-prefix' may not begin with 'aws' or 'ssm'/],
    ['root prefix with an aws… layer name', '/', /^Input 'ssm-prefix' may not begin with 'aws' or 'ssm'/],
  ])('%s: refused before any AWS request', async (_label, prefix, message) => {
    const before = emu.server.log.length;
    const run = await publish('1.2.0', { 'ssm-prefix': prefix, name: 'aws-tools' });
    expect(run.code).toBe(1);
    expect(run.errors).toEqual([expect.stringMatching(message)]);
    expect(emu.server.log.slice(before)).toEqual([]);
  });
});

describeOnMoto('ssm-prefix on moto', (moto) => {
  test('1.2.0 then 1.1.0: pointers written, then kept', async () => {
    const env = { AWS_ENDPOINT_URL_LAMBDA: moto().url, AWS_ENDPOINT_URL_SSM: moto().url };
    const run = await publish('1.2.0', {}, env);
    expect([run.code, run.errors]).toEqual([0, []]);
    const arns = arnsOf(run);
    const older = await publish('1.1.0', {}, env);
    expect([older.code, older.errors]).toEqual([0, []]);
    const now = await pointers(moto().url, ['/layers/otel/latest', '/layers/otel/1']);
    for (const r of REGIONS) expect(now[r]).toEqual({ '/layers/otel/latest': arns[r], '/layers/otel/1': arns[r] });
  }, 60_000);
});
