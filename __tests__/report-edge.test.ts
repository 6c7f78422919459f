/**
 * report at its edges, driven as a runner drives it: damaged leg records, legs rerun in a later attempt, every
 * `release` event type GitHub sends, a release that cannot be written, and ARNs of every partition and account.
 */
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runAction } from '../__fixtures__/action.js';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import { mintRuntimeToken } from '../emulators/github/index.js';
import type { Octokit } from '../src/release/github.js';
import { legArtifactPrefix, uploadLegRecord } from '../src/release/legs.js';
import type { RegionResult, ResultRecord } from '../src/record/record.js';

let emu: RunningEmulator;
let octokit: Octokit;
let store: typeof import('../src/artifact/github.js');
const owner = 'octo-org';
const repo = 'octo-layer';
let nextRun = 7000;

const arn = (region: string, v: number, name = 'otel', partition = 'aws', account = '123456789012') =>
  `arn:${partition}:lambda:${region}:${account}:layer:${name}:${v}`;
const ok = (region: string, v: number): RegionResult => ({ status: 'published', arn: arn(region, v), version: v });
const failed: RegionResult = { status: 'failed', error: 'TooManyRequestsException: Rate exceeded' };

function leg(regions: Record<string, RegionResult>, name = 'otel', createdAt = new Date().toISOString()): ResultRecord {
  return { schema: 1, name, version: '1.2.0', sha256: 'c'.repeat(64), codeSha256: 'zA==', createdAt, regions };
}

async function withJob<T>(runId: number, jobId: number, work: () => Promise<T>): Promise<T> {
  const saved = process.env.ACTIONS_RUNTIME_TOKEN;
  process.env.ACTIONS_RUNTIME_TOKEN = mintRuntimeToken({ runId, jobId });
  try {
    return await work();
  } finally {
    process.env.ACTIONS_RUNTIME_TOKEN = saved;
  }
}

function uploadLeg(record: ResultRecord, runId: number, jobId: number) {
  return withJob(runId, jobId, async () =>
    uploadLegRecord(new store.GitHubArtifactStore(), record, {
      env: { ...process.env, GITHUB_JOB: 'publish' },
      directory: await mkdtemp(path.join(tmpdir(), 'llr-leg-')),
    }),
  );
}

/** An artifact with the leg prefix whose file is not a record (a damaged upload, or someone else's). */
function uploadRaw(name: string, text: string, runId: number, jobId: number) {
  return withJob(runId, jobId, async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'llr-raw-'));
    await writeFile(path.join(dir, 'otel.result.json'), text);
    return new store.GitHubArtifactStore().upload(name, [path.join(dir, 'otel.result.json')], dir);
  });
}

async function eventFile(payload: unknown): Promise<string> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'llr-event-')), 'event.json');
  await writeFile(file, JSON.stringify(payload));
  return file;
}

function report(inputs: Record<string, string>, runId: number, env: Record<string, string> = {}) {
  return runAction(
    'report',
    { 'github-token': emu.env.GITHUB_TOKEN, ...inputs },
    {
      ...emu.env,
      ACTIONS_RUNTIME_TOKEN: mintRuntimeToken({ runId, jobId: 99 }),
      GITHUB_RUN_ID: String(runId),
      GITHUB_EVENT_NAME: 'push',
      ...env,
    },
  );
}

beforeAll(async () => {
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  emu = await startEmulator();
  Object.assign(process.env, emu.env);
  const github = await import('@actions/github');
  store = await import('../src/artifact/github.js');
  octokit = github.getOctokit(emu.env.GITHUB_TOKEN, { baseUrl: emu.url });
}, 60_000);

afterAll(async () => {
  jest.restoreAllMocks();
  await emu?.stop();
});

describe('damaged legs', () => {
  test.each([
    ['not JSON', '{"schema":1,', 'is not JSON'],
    ['a record of another layer', JSON.stringify(leg({}, 'other')), "holds a record of 'other', not 'otel'"],
    ['a newer schema', JSON.stringify({ ...leg({}), schema: 2 }), 'schema is 2, expected 1'],
  ])('a leg artifact holding %s fails report in one line naming it, before any write', async (_l, text, message) => {
    const run = nextRun++;
    await octokit.rest.repos.createRelease({ owner, repo, tag_name: `damaged-${run}`, body: 'untouched' });
    await uploadLeg(leg({ 'us-east-1': ok('us-east-1', 3) }), run, 1);
    await uploadRaw(`${legArtifactPrefix('otel')}publish-0123456789`, text, run, 2);
    const result = await report({ name: 'otel', release: `damaged-${run}` }, run);
    expect(result.code).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toContain('lambda-layer-result-otel.publish-0123456789');
    expect(result.errors[0]).toContain(message);
    expect(result.errors[0]).not.toContain('%0A');
    expect(result.outputs).toEqual({});
    const release = (await octokit.rest.repos.getReleaseByTag({ owner, repo, tag: `damaged-${run}` })).data;
    expect([release.body, release.assets]).toEqual(['untouched', []]);
  });
});

describe('where there is no artifact service', () => {
  test.each([
    ['GitHub Enterprise Server', { GITHUB_SERVER_URL: 'https://ghe.example.com' }, 'GitHub Enterprise Server'],
    ['a runner without the service', { ACTIONS_RESULTS_URL: '' }, 'not reachable here'],
  ])('%s: one line saying what to do instead', async (_label, env, message) => {
    const result = await report({ name: 'otel', release: 'false' }, nextRun++, env);
    expect(result.code).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toContain(message);
    expect(result.errors[0]).toContain("Publish in one job instead, with 'release' set");
    expect(result.errors[0]).not.toContain('%0A');
  });
});

describe('merging', () => {
  test('a leg rerun in a later attempt (a new job) that succeeded beats its failed first attempt', async () => {
    const run = nextRun++;
    await uploadLeg(
      leg({ 'eu-west-1': failed, 'us-east-1': ok('us-east-1', 4) }, 'otel', '2026-01-01T10:00:00Z'),
      run,
      1,
    );
    await uploadLeg(
      leg({ 'eu-west-1': ok('eu-west-1', 2), 'us-east-1': ok('us-east-1', 4) }, 'otel', '2026-01-01T11:00:00Z'),
      run,
      2,
    );
    const result = await report({ name: 'otel', release: 'false' }, run);
    expect([result.code, result.errors]).toEqual([0, []]);
    expect(result.outputs.arns).toBe(
      JSON.stringify({ 'eu-west-1': arn('eu-west-1', 2), 'us-east-1': arn('us-east-1', 4) }),
    );
    expect(result.outputs.versions).toBe(JSON.stringify({ 'eu-west-1': 2, 'us-east-1': 4 }));
    expect(result.outputs['failed-regions']).toBe('[]');
    expect(result.outputs['unchanged-regions']).toBe('[]');
    expect(result.outputs['layer-version-arn']).toBe('');
    const bare = await report({ name: 'otel', release: 'false' }, run, { GITHUB_STEP_SUMMARY: '' });
    expect([bare.code, bare.errors, bare.outputs.versions]).toEqual([0, [], result.outputs.versions]);
  });

  test('a wide matrix: twelve legs of three regions each merge into one table', async () => {
    const run = nextRun++;
    const regions = [
      'us-east-1',
      'us-east-2',
      'us-west-1',
      'us-west-2',
      'ca-central-1',
      'sa-east-1',
      'eu-west-1',
      'eu-west-2',
      'eu-west-3',
      'eu-central-1',
      'eu-north-1',
      'eu-south-1',
      'ap-south-1',
      'ap-northeast-1',
      'ap-northeast-2',
      'ap-northeast-3',
      'ap-southeast-1',
      'ap-southeast-2',
      'af-south-1',
      'ap-east-1',
      'me-south-1',
      'il-central-1',
      'mx-central-1',
      'ca-west-1',
      'ap-south-2',
      'ap-southeast-3',
      'ap-southeast-4',
      'eu-central-2',
      'eu-south-2',
      'me-central-1',
      'ap-southeast-5',
      'ap-southeast-7',
      'ap-east-2',
      'ap-southeast-6',
      'us-gov-west-1',
      'us-gov-east-1',
    ];
    const row = (r: string, v: number): RegionResult =>
      r.startsWith('us-gov-') ? { status: 'published', arn: arn(r, v, 'otel', 'aws-us-gov'), version: v } : ok(r, v);
    for (let i = 0; i < 12; i++) {
      const mine = regions.slice(i * 3, i * 3 + 3);
      await uploadLeg(leg(Object.fromEntries(mine.map((r) => [r, row(r, i + 1)]))), run, i + 1);
    }
    const result = await report({ name: 'otel', release: 'false' }, run);
    expect([result.code, result.errors]).toEqual([0, []]);
    const versions = JSON.parse(result.outputs.versions) as Record<string, number>;
    expect(Object.keys(versions)).toHaveLength(36);
    regions.forEach((r, i) => expect([r, versions[r]]).toEqual([r, Math.floor(i / 3) + 1]));
    expect(result.summary).toContain('36 of 36 regions available (36 published, 0 unchanged)');
  });

  test('China, GovCloud, another account, _ and - in the name and versions past 999 are accepted', async () => {
    const run = nextRun++;
    const name = 'my_layer-x';
    const rows: Record<string, RegionResult> = {
      'us-east-1': { status: 'published', arn: arn('us-east-1', 1234, name), version: 1234 },
      'eu-west-1': { status: 'unchanged', arn: arn('eu-west-1', 7, name, 'aws', '210987654321'), version: 7 },
      'cn-north-1': { status: 'published', arn: arn('cn-north-1', 1000, name, 'aws-cn'), version: 1000 },
      'us-gov-west-1': { status: 'published', arn: arn('us-gov-west-1', 2, name, 'aws-us-gov'), version: 2 },
    };
    await uploadLeg(leg({ 'us-east-1': rows['us-east-1'], 'eu-west-1': rows['eu-west-1'] }, name), run, 1);
    await uploadLeg(leg({ 'cn-north-1': rows['cn-north-1'] }, name), run, 2);
    await uploadLeg(leg({ 'us-gov-west-1': rows['us-gov-west-1'] }, name), run, 3);
    const result = await report({ name, release: 'false', 'fail-on': 'ANY' }, run);
    expect([result.code, result.errors]).toEqual([0, []]);
    expect(JSON.parse(result.outputs.arns)).toEqual(
      Object.fromEntries(Object.entries(rows).map(([r, v]) => [r, v.arn])),
    );
    expect(Object.keys(JSON.parse(result.outputs.versions))).toEqual([
      'eu-west-1',
      'us-east-1',
      'cn-north-1',
      'us-gov-west-1',
    ]);
    expect(result.summary).toContain(`| us-gov-west-1 | 2 | \`${rows['us-gov-west-1'].arn}\` |`);
    expect(result.outputs['unchanged-regions']).toBe('["eu-west-1"]');
  });
});

describe('the release', () => {
  let run: number;

  beforeAll(async () => {
    run = nextRun++;
    await uploadLeg(leg({ 'us-east-1': ok('us-east-1', 3), 'eu-south-2': failed }), run, 1);
  });

  test.each(['published', 'created', 'edited', 'prereleased', 'released', 'unpublished'])(
    'a %p release event updates the release of the event',
    async (action) => {
      const draft = action === 'created' || action === 'unpublished';
      const created = (
        await octokit.rest.repos.createRelease({ owner, repo, tag_name: `ev-${action}`, draft, body: null as never })
      ).data;
      const event = await eventFile({ action, release: created, repository: { full_name: `${owner}/${repo}` } });
      const result = await report({ name: 'otel', 'fail-on': 'none' }, run, {
        GITHUB_EVENT_NAME: 'release',
        GITHUB_EVENT_PATH: event,
      });
      expect([result.code, result.errors]).toEqual([0, []]);
      const after = (await octokit.rest.repos.getRelease({ owner, repo, release_id: created.id })).data;
      expect(after.body).toMatch(
        /^<!-- lambda-layer-release:otel:begin -->\n<!-- lambda-layer-release:otel:record \{.*\} -->\n### Lambda layer `otel` 1\.2\.0\n/,
      );
      expect(after.assets.map((a) => a.name)).toEqual(['otel.arns.json']);
      expect(result.summary).toContain(`Release: [ev-${action}](`);
    },
  );

  test('a deleted release event writes nothing', async () => {
    const event = await eventFile({ action: 'deleted', release: { id: 987654, tag_name: 'gone' } });
    const before = emu.server.requests({ service: 'github' }).length;
    const result = await report({ name: 'otel', 'fail-on': 'none' }, run, {
      GITHUB_EVENT_NAME: 'release',
      GITHUB_EVENT_PATH: event,
    });
    expect([result.code, result.errors]).toEqual([0, []]);
    expect(result.stdout).toContain('No release updated: the release was deleted.');
    expect(emu.server.requests({ service: 'github' }).length).toBe(before);
  });

  test('a tag without a release: outputs and summary are still written, then one line fails the step', async () => {
    const result = await report({ name: 'otel', release: 'v9', 'fail-on': 'none' }, run);
    expect(result.code).toBe(1);
    expect(result.errors).toEqual([
      "Release v9 was not updated: Input 'release': no release with tag 'v9' in octo-org/octo-layer; create the release first (a draft will do), or set 'release' to false.",
    ]);
    expect(JSON.parse(result.outputs.arns)).toEqual({ 'us-east-1': arn('us-east-1', 3) });
    // Two regions in the run (one failed): layer-version-arn is only for one-region runs.
    expect(result.outputs['layer-version-arn']).toBe('');
    expect(result.summary).toContain('| eu-south-2 | — | ❌ failed: TooManyRequestsException: Rate exceeded |');
  });

  test('a token that cannot write: one line naming the permission, after outputs and summary', async () => {
    await fetch(`${emu.url}/__emulator/github/tokens`, {
      method: 'POST',
      body: JSON.stringify({ token: 'ghs_readOnly', mode: 'read-only' }),
    });
    await octokit.rest.repos.createRelease({ owner, repo, tag_name: 'v-read-only' });
    const result = await report({ name: 'otel', release: 'v-read-only', 'github-token': 'ghs_readOnly' }, run);
    expect(result.code).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(
      /^Release v-read-only was not updated: Resource not accessible by integration .*\(HTTP 403\): 'github-token' needs 'contents: write'/,
    );
    // fail-on any: the failed region is named too.
    expect(result.errors[0]).toContain("Layer 'otel' 1.2.0 failed in 1 of 2 regions: eu-south-2 (fail-on: any).");
    expect(result.errors[0]).not.toContain('%0A');
    expect(result.outputs['failed-regions']).toBe('["eu-south-2"]');
    expect(result.summary).toContain('### Lambda layer `otel` 1.2.0'.replace('###', '##'));
  });
});
