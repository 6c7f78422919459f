/**
 * The pipeline as a runner runs it: the build bundle, then the publish bundle, two processes joined only by the
 * artifact service, against the emulator (and moto for Lambda where it is installed). Version counts are read back
 * through the Lambda API.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { LambdaClient, ListLayerVersionsCommand } from '@aws-sdk/client-lambda';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runAction, type ActionRun } from '../__fixtures__/action.js';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import { parseLayerVersionArn } from '../src/aws/arn.js';
import { lambdaRegions } from '../src/aws/partitions.js';
import type { ResultRecord } from '../src/record/record.js';
import { describeOnMoto } from '../__fixtures__/emulator-support.js';

const REGIONS = lambdaRegions('aws').slice(0, 16);
const SHARE = 'public 111122223333 o-abcdefghij';
let emu: RunningEmulator;
let workspace: string;

beforeAll(async () => {
  emu = await startEmulator();
  workspace = await mkdtemp(path.join(tmpdir(), 'llr-pipeline-'));
  await mkdir(path.join(workspace, 'layer/python/otel'), { recursive: true });
  await writeFile(path.join(workspace, 'layer/python/otel/__init__.py'), 'VERSION = "1.0.0"\n');
  const build = await runAction(
    'build',
    { name: 'otel', path: 'layer', 'compatible-runtimes': 'python3.12 python3.13', 'license-info': 'Apache-2.0' },
    emu.env,
    { cwd: workspace },
  );
  expect([build.code, build.errors]).toEqual([0, []]);
}, 120_000);

afterAll(async () => {
  await emu?.stop();
});

function publish(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRun> {
  return runAction(
    'publish',
    { name: 'otel', 'github-token': emu.env.GITHUB_TOKEN, ...inputs },
    { ...emu.env, ...env },
    { cwd: workspace },
  );
}

async function versionCounts(endpoint: string, name: string, regions: string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const region of regions) {
    const client = new LambdaClient({
      region,
      endpoint,
      credentials: { accessKeyId: emu.env.AWS_ACCESS_KEY_ID, secretAccessKey: emu.env.AWS_SECRET_ACCESS_KEY },
    });
    const answer = await client.send(new ListLayerVersionsCommand({ LayerName: name, MaxItems: 50 }));
    counts[region] = answer.LayerVersions?.length ?? 0;
    client.destroy();
  }
  return counts;
}

const each = (value: number) => Object.fromEntries(REGIONS.map((r) => [r, value]));

function checkArns(run: ActionRun, version: number): Record<string, string> {
  const arns = JSON.parse(run.outputs.arns) as Record<string, string>;
  expect(Object.keys(arns).sort()).toEqual([...REGIONS].sort());
  for (const [region, arn] of Object.entries(arns)) {
    expect(parseLayerVersionArn(arn)).toMatchObject({ region, layerName: 'otel', version });
  }
  expect(JSON.parse(run.outputs.versions)).toEqual(each(version));
  return arns;
}

describe('build -> publish on the emulator, 16 regions, public + account + organization', () => {
  let first: ActionRun;

  test('publishes and shares everywhere; outputs, record and summary agree', async () => {
    first = await publish({ regions: REGIONS.join(','), 'share-with': SHARE });
    expect([first.code, first.errors]).toEqual([0, []]);
    checkArns(first, 1);
    expect(first.outputs['failed-regions']).toBe('[]');
    expect(first.outputs['unchanged-regions']).toBe('[]');
    expect(first.outputs['layer-version-arn']).toBeUndefined();
    const record = JSON.parse(await readFile(first.outputs['result-path'], 'utf8')) as ResultRecord;
    expect(record).toMatchObject({ schema: 1, name: 'otel', version: '1.0.0' });
    for (const region of REGIONS) {
      expect(record.regions[region]).toMatchObject({
        status: 'published',
        version: 1,
        sharing: ['public', '111122223333', 'o-abcdefghij'],
      });
    }
    expect(first.summary).toContain(
      '<th>Region</th><th>Status</th><th>Version</th><th>ARN</th><th>Sharing</th><th>Seconds</th>',
    );
    expect(first.stdout.split('\n').filter((l) => /^✓ \S+ published version 1/.test(l))).toHaveLength(16);
    const state = (await (await fetch(`${emu.url}/__emulator/aws/state?region=us-east-1`)).json()) as {
      lambda: Record<string, Record<string, { layers: { otel: { versions: { policy?: unknown }[] } } }>>;
    };
    expect(JSON.stringify(state.lambda)).toContain('lambda-layer-release-org-o-abcdefghij');
    expect(await versionCounts(emu.url, 'otel', REGIONS)).toEqual(each(1));
  });

  test('a rerun publishes nothing new: no zip sent, same ARNs, all unchanged', async () => {
    const before = emu.server.log.length;
    const rerun = await publish({ regions: REGIONS.join(','), 'share-with': SHARE });
    expect([rerun.code, rerun.errors]).toEqual([0, []]);
    expect(checkArns(rerun, 1)).toEqual(JSON.parse(first.outputs.arns));
    expect(JSON.parse(rerun.outputs['unchanged-regions']).sort()).toEqual([...REGIONS].sort());
    const sent = emu.server.log.slice(before).filter((e) => e.service === 'lambda' && e.method === 'POST');
    expect(sent).toEqual([]);
    expect(await versionCounts(emu.url, 'otel', REGIONS)).toEqual(each(1));
  });

  test('one region: layer-version-arn is set', async () => {
    const one = await publish({ regions: 'eu-west-1', 'share-with': SHARE });
    expect(one.code).toBe(0);
    expect(one.outputs['layer-version-arn']).toBe(JSON.parse(first.outputs.arns)['eu-west-1']);
  });

  test('dry run: the same table as a plan, nothing changed', async () => {
    const before = emu.server.log.length;
    const dry = await publish({
      regions: 'us-east-1 ap-northeast-3',
      'share-with': 'public 444455556666',
      'skip-unchanged': 'false',
      'dry-run': 'true',
    });
    expect(dry.code).toBe(0);
    expect(dry.summary).toContain('Plan (dry run, nothing changed)');
    expect(dry.summary).toContain('<td>planned</td>');
    expect(dry.summary).toContain('444455556666 (would add)');
    const writes = emu.server.log.slice(before).filter((e) => e.service === 'lambda' && e.method !== 'GET');
    expect(writes).toEqual([]);
  });
});

describe('regions from the account, credentials from a role', () => {
  afterAll(async () => {
    await fetch(`${emu.url}/__emulator/aws/config`, { method: 'POST', body: JSON.stringify({ notEnabled: [] }) });
  });

  test('all-enabled leaves out what the account has not enabled; all reports it as a failed region', async () => {
    await fetch(`${emu.url}/__emulator/aws/config`, {
      method: 'POST',
      body: JSON.stringify({ notEnabled: ['af-south-1', 'me-south-1'] }),
    });
    const enabled = await publish({ regions: 'all-enabled', 'exclude-regions': 'us-west-1', 'dry-run': 'true' });
    expect([enabled.code, enabled.errors]).toEqual([0, []]);
    expect(enabled.stdout).toMatch(/Planning in 33 region\(s\)/); // me-west-1 and sa-west-1 too: the SDK knows them
    expect(enabled.stdout).not.toMatch(/af-south-1|me-south-1|us-west-1 planned/);

    const all = await publish({ regions: 'all', 'dry-run': 'true', 'fail-on': 'none' });
    expect(all.code).toBe(0);
    expect(JSON.parse(all.outputs['failed-regions'])).toEqual(['af-south-1', 'me-south-1']);
    expect(all.errors).toEqual([
      expect.stringMatching(/^af-south-1: region not enabled for this account/),
      expect.stringMatching(/^me-south-1: region not enabled for this account/),
    ]);
  });

  test('role-to-assume through GitHub OIDC: the role’s account owns the layer, secrets are masked', async () => {
    const run = await publish({
      name: 'oidc',
      'artifact-name': 'lambda-layer-otel',
      regions: 'us-east-2',
      'role-to-assume': 'arn:aws:iam::210987654321:role/layer-publisher',
    });
    expect([run.code, run.errors]).toEqual([0, []]);
    expect(run.stdout).toContain(
      'AWS credentials: role arn:aws:iam::210987654321:role/layer-publisher through GitHub OIDC.',
    );
    expect(run.outputs['layer-version-arn']).toBe('arn:aws:lambda:us-east-2:210987654321:layer:oidc:1');
    expect(run.stdout.match(/^::add-mask::/gm)?.length ?? 0).toBeGreaterThanOrEqual(3);
    const ids = (await (await fetch(`${emu.url}/__emulator/github/id-tokens`)).json()) as { aud?: string }[];
    expect(ids.at(-1)?.aud).toBe('sts.amazonaws.com');
  });
});

describe('partial failure: a region not enabled and a region denied', () => {
  const regions = REGIONS.slice(0, 6);
  const broken = [regions[1], regions[4]];

  afterAll(async () => {
    await fetch(`${emu.url}/__emulator/aws/config`, {
      method: 'POST',
      body: JSON.stringify({ notEnabled: [], denied: [] }),
    });
  });

  test('exit 1, a reason and an annotation each, outputs for the others; a rerun completes only those', async () => {
    await fetch(`${emu.url}/__emulator/aws/config`, {
      method: 'POST',
      body: JSON.stringify({ notEnabled: [broken[0]], denied: [broken[1]] }),
    });
    const run = await publish({
      name: 'partial',
      'artifact-name': 'lambda-layer-otel',
      regions: regions.join(' '),
      'share-with': 'public',
    });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.outputs['failed-regions']).sort()).toEqual([...broken].sort());
    const arns = JSON.parse(run.outputs.arns) as Record<string, string>;
    expect(Object.keys(arns).sort()).toEqual(regions.filter((r) => !broken.includes(r)).sort());
    expect(run.errors.find((e) => e.includes(broken[0]))).toMatch(/region not enabled for this account/);
    expect(run.errors.find((e) => e.includes(broken[1]))).toMatch(/access denied: missing permission lambda:/);
    expect(run.errors.at(-1)).toMatch(/failed in 2 of 6 regions/);

    await fetch(`${emu.url}/__emulator/aws/config`, {
      method: 'POST',
      body: JSON.stringify({ notEnabled: [], denied: [] }),
    });
    const before = emu.server.log.length;
    const rerun = await publish({
      name: 'partial',
      'artifact-name': 'lambda-layer-otel',
      regions: regions.join(' '),
      'share-with': 'public',
    });
    expect([rerun.code, rerun.errors]).toEqual([0, []]);
    const published = emu.server.log
      .slice(before)
      .filter((e) => e.service === 'lambda' && e.method === 'POST' && e.path === '/2018-10-31/layers/partial/versions');
    expect(published.map((e) => e.region).sort()).toEqual([...broken].sort());
    expect(JSON.parse(rerun.outputs['unchanged-regions']).sort()).toEqual(
      regions.filter((r) => !broken.includes(r)).sort(),
    );
    expect(Object.values(await versionCounts(emu.url, 'partial', regions))).toEqual(regions.map(() => 1));
  });
});

describeOnMoto('build -> publish with moto as Lambda', (moto) => {
  test('16 regions with sharing, then a rerun that publishes nothing new', async () => {
    const env = { AWS_ENDPOINT_URL_LAMBDA: moto().url };
    const run = await publish({ regions: REGIONS.join('\n'), 'share-with': SHARE }, env);
    expect([run.code, run.errors]).toEqual([0, []]);
    checkArns(run, 1);
    const rerun = await publish({ regions: REGIONS.join('\n'), 'share-with': SHARE }, env);
    expect([rerun.code, rerun.errors]).toEqual([0, []]);
    expect(JSON.parse(rerun.outputs['unchanged-regions']).sort()).toEqual([...REGIONS].sort());
    expect(await versionCounts(moto().url, 'otel', REGIONS)).toEqual(each(1));
  }, 120_000);
});
