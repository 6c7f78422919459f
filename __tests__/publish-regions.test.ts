/**
 * Regions as the SDK knows them, through the publish bundle against the emulator: me-west-1 and sa-west-1 (in the
 * SDK's endpoint data, not in the built-in table) are accepted and part of `all`; `all-enabled` keeps every enabled
 * region the SDK knows; and the AWS European Sovereign Cloud (`aws-eusc`, eusc-de-east-1) works end to end: its ARNs,
 * its endpoints, STS in its own region through GitHub OIDC, sharing with its accounts and the release table.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runAction, type ActionRun } from '../__fixtures__/action.js';
import { describeOnMoto, makeZip } from '../__fixtures__/emulator-support.js';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import { lambdaRegions, sdkRegions } from '../src/aws/partitions.js';

let emu: RunningEmulator;
let ws: string;

beforeAll(async () => {
  emu = await startEmulator();
  ws = await mkdtemp(path.join(tmpdir(), 'llr-regions-'));
  await writeFile(path.join(ws, 'layer.zip'), makeZip({ 'python/r.py': 'r = 1\n' }));
});

afterAll(async () => {
  await emu?.stop();
});

function publish(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRun> {
  return runAction(
    'publish',
    { name: 'regional', zip: 'layer.zip', version: '1.0.0', ...inputs },
    { ...emu.env, GITHUB_EVENT_NAME: 'push', ...env },
    { cwd: ws },
  );
}

test('the SDK knows regions the table lacks; `all` takes them', () => {
  expect(sdkRegions('aws')).toEqual(expect.arrayContaining(['me-west-1', 'sa-west-1']));
  expect(lambdaRegions('aws')).toEqual(expect.arrayContaining(['me-west-1', 'sa-west-1', 'us-east-1']));
  expect(lambdaRegions('aws-eusc')).toEqual(['eusc-de-east-1']);
});

describe('regions the SDK added', () => {
  test('me-west-1 and sa-west-1 by name: published there', async () => {
    const run = await publish({ regions: 'me-west-1 sa-west-1' });
    expect([run.code, run.errors]).toEqual([0, []]);
    expect(JSON.parse(run.outputs.arns)).toEqual({
      'me-west-1': 'arn:aws:lambda:me-west-1:123456789012:layer:regional:1',
      'sa-west-1': 'arn:aws:lambda:sa-west-1:123456789012:layer:regional:1',
    });
  });

  test('all: every region of the partition the SDK knows, me-west-1 and sa-west-1 among them', async () => {
    const run = await publish({ regions: 'all', 'dry-run': 'true' });
    expect([run.code, run.errors]).toEqual([0, []]);
    expect(run.stdout).toMatch(/Planning in 36 region\(s\), .*me-west-1/);
    expect(run.stdout).toMatch(/Planning in 36 region\(s\), .*sa-west-1/);
  });

  test('all-enabled: every enabled region the SDK knows, none the account has not enabled', async () => {
    await fetch(`${emu.url}/__emulator/aws/config`, {
      method: 'POST',
      body: JSON.stringify({ notEnabled: ['sa-west-1'] }),
    });
    try {
      const run = await publish({ regions: 'all-enabled', 'dry-run': 'true' });
      expect([run.code, run.errors]).toEqual([0, []]);
      expect(run.stdout).toMatch(/Planning in 35 region\(s\), .*me-west-1/);
      expect(run.stdout).not.toMatch(/Planning in .*sa-west-1/);
    } finally {
      await fetch(`${emu.url}/__emulator/aws/config`, { method: 'POST', body: JSON.stringify({ notEnabled: [] }) });
    }
  });
});

describe('the aws-eusc partition', () => {
  const role = 'arn:aws-eusc:iam::123456789012:role/layer-publisher';

  test('published with a role of the partition through OIDC, shared with an account of the partition', async () => {
    const run = await publish({
      regions: 'eusc-de-east-1',
      'role-to-assume': role,
      'share-with': 'arn:aws-eusc:iam::210987654321:root',
      release: 'false',
    });
    expect([run.code, run.errors]).toEqual([0, []]);
    expect(run.stdout).toContain(`AWS credentials: role ${role} through GitHub OIDC.`);
    expect(run.outputs['layer-version-arn']).toBe('arn:aws-eusc:lambda:eusc-de-east-1:123456789012:layer:regional:1');
    const state = (await (await fetch(`${emu.url}/__emulator/aws/state?region=eusc-de-east-1`)).json()) as {
      lambda: unknown;
    };
    expect(JSON.stringify(state.lambda)).toContain('210987654321');
  });

  test('the role assumed from ambient credentials: STS is asked in eusc-de-east-1, its own region', async () => {
    const stsBefore = emu.server.requests({ service: 'sts' }).length;
    const run = await publish(
      { regions: 'eusc-de-east-1', 'role-to-assume': role, release: 'false' },
      { ACTIONS_ID_TOKEN_REQUEST_URL: '' },
    );
    expect([run.code, run.errors]).toEqual([0, []]);
    expect(run.stdout).toContain(`AWS credentials: role ${role} assumed from the ambient credentials.`);
    const sts = emu.server.requests({ service: 'sts' }).slice(stsBefore);
    expect(sts.map((e) => [e.region, e.status])).toEqual([['eusc-de-east-1', 200]]);
  });

  test('all with AWS_REGION in the partition: its regions only', async () => {
    const run = await publish({ regions: 'all', 'dry-run': 'true' }, { AWS_REGION: 'eusc-de-east-1' });
    expect([run.code, run.errors]).toEqual([0, []]);
    expect(run.stdout).toMatch(/Planning in 1 region\(s\), .*: eusc-de-east-1$/m);
  });

  test('the release gets a table whose eusc ARN is checked against its row', async () => {
    const github = await import('@actions/github');
    const octokit = github.getOctokit(emu.env.GITHUB_TOKEN, { baseUrl: emu.url });
    const [owner, repo] = emu.env.GITHUB_REPOSITORY.split('/');
    const { data } = await octokit.rest.repos.createRelease({ owner, repo, tag_name: 'v-eusc' });
    const run = await publish({ regions: 'eusc-de-east-1', release: 'v-eusc', 'github-token': emu.env.GITHUB_TOKEN });
    expect([run.code, run.errors]).toEqual([0, []]);
    const body = (await octokit.rest.repos.getRelease({ owner, repo, release_id: data.id })).data.body ?? '';
    expect(body).toContain(
      '| eusc-de-east-1 | 1 | `arn:aws-eusc:lambda:eusc-de-east-1:123456789012:layer:regional:1` |',
    );
  });

  test('mixing it with aws regions, or an aws role for it, is refused before any request', async () => {
    const before = emu.server.log.length;
    const mixed = await publish({ regions: 'eusc-de-east-1 us-east-1' });
    expect(mixed.errors).toEqual([expect.stringMatching(/^Input 'regions' mixes partitions \(aws-eusc, aws\)/)]);
    const wrongRole = await publish({
      regions: 'eusc-de-east-1',
      'role-to-assume': 'arn:aws:iam::123456789012:role/layer-publisher',
    });
    expect(wrongRole.errors).toEqual([
      expect.stringMatching(/^Input 'role-to-assume' is a role of partition aws, but the regions are in aws-eusc/),
    ]);
    expect(emu.server.log.slice(before)).toEqual([]);
  });
});

describeOnMoto('the aws-eusc partition with moto as Lambda', (moto) => {
  test('published in eusc-de-east-1 with an arn:aws-eusc ARN, checked against its row', async () => {
    const run = await publish(
      { name: 'sovereign', regions: 'eusc-de-east-1', release: 'false' },
      { AWS_ENDPOINT_URL_LAMBDA: moto().url },
    );
    expect([run.code, run.errors]).toEqual([0, []]);
    expect(run.outputs['layer-version-arn']).toMatch(/^arn:aws-eusc:lambda:eusc-de-east-1:\d{12}:layer:sovereign:1$/);
  });
});
