/**
 * report after a matrix: three publish legs upload their records through the real @actions/artifact client (each
 * with its own job's runtime token), then the bundled report command runs as its own process and merges them.
 */
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runAction } from '../__fixtures__/action.js';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import { mintRuntimeToken } from '../emulators/github/index.js';
import type { Octokit } from '../src/release/github.js';
import { uploadLegRecord } from '../src/release/legs.js';
import type { RegionResult, ResultRecord } from '../src/record/record.js';
import { parseRecord } from '../src/record/json.js';

let emu: RunningEmulator;
let octokit: Octokit;
/** Imported after the emulator's env is set: @actions/artifact loads @actions/github, which reads GITHUB_API_URL. */
let store: typeof import('../src/artifact/github.js');
const owner = 'octo-org';
const repo = 'octo-layer';
const RUN = 5000;

const arn = (region: string, v: number, name = 'otel') => `arn:aws:lambda:${region}:123456789012:layer:${name}:${v}`;
const ok = (region: string, v: number, name = 'otel'): RegionResult => ({
  status: 'published',
  arn: arn(region, v, name),
  version: v,
  sharing: ['public'],
});
const denied: RegionResult = { status: 'failed', error: 'AccessDeniedException: not authorized in this region' };

function leg(regions: Record<string, RegionResult>, createdAt: string, name = 'otel'): ResultRecord {
  return {
    schema: 1,
    name,
    version: '1.2.0',
    sha256: 'c'.repeat(64),
    codeSha256: 'zA==',
    runtimes: ['nodejs22.x'],
    architectures: ['arm64'],
    createdAt,
    regions,
  };
}

/** Uploads a leg's record as the leg's own job would: its runtime token names its run and job. */
async function uploadLeg(record: ResultRecord, runId: number, jobId: number): Promise<void> {
  const saved = process.env.ACTIONS_RUNTIME_TOKEN;
  process.env.ACTIONS_RUNTIME_TOKEN = mintRuntimeToken({ runId, jobId });
  try {
    const directory = await mkdtemp(path.join(tmpdir(), 'llr-leg-'));
    await uploadLegRecord(new store.GitHubArtifactStore(), record, {
      env: { ...process.env, GITHUB_JOB: 'publish' },
      directory,
    });
  } finally {
    process.env.ACTIONS_RUNTIME_TOKEN = saved;
  }
}

function reportEnv(runId: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...emu.env,
    ACTIONS_RUNTIME_TOKEN: mintRuntimeToken({ runId, jobId: 99 }),
    GITHUB_RUN_ID: String(runId),
    GITHUB_EVENT_NAME: 'push',
    ...extra,
  };
}

/** The bundled report as its own process; the runner passes the action.yml default `${{ github.token }}`. */
function report(inputs: Record<string, string>, env: Record<string, string>) {
  return runAction('report', { 'github-token': emu.env.GITHUB_TOKEN, ...inputs }, env);
}

async function releaseOf(tag: string) {
  return (await octokit.rest.repos.getReleaseByTag({ owner, repo, tag })).data;
}

beforeAll(async () => {
  // The in-process artifact client logs through @actions/core to stdout; the report process's output is captured.
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  emu = await startEmulator({ github: { runId: RUN } });
  Object.assign(process.env, emu.env);
  const github = await import('@actions/github');
  store = await import('../src/artifact/github.js');
  octokit = github.getOctokit(emu.env.GITHUB_TOKEN, { baseUrl: emu.url });
  await octokit.rest.repos.createRelease({ owner, repo, tag_name: 'v1.2.0', body: 'Written by hand.' });
  await uploadLeg(
    leg({ 'us-east-1': ok('us-east-1', 3), 'eu-west-1': ok('eu-west-1', 5) }, '2026-01-01T10:00:00Z'),
    RUN,
    11,
  );
  await uploadLeg(
    leg({ 'ap-southeast-2': ok('ap-southeast-2', 2), 'ap-south-1': ok('ap-south-1', 7) }, '2026-01-01T10:00:01Z'),
    RUN,
    12,
  );
  // The failed leg: denied in eu-south-2, and it also tried us-east-1, which another leg published.
  await uploadLeg(leg({ 'eu-south-2': denied, 'us-east-1': denied }, '2026-01-01T10:00:02Z'), RUN, 13);
  // Another layer's leg in the same run is not merged.
  await uploadLeg(leg({ 'us-east-1': ok('us-east-1', 1, 'otel-arm') }, '2026-01-01T10:00:03Z', 'otel-arm'), RUN, 14);
}, 60_000);

afterAll(async () => {
  jest.restoreAllMocks();
  await emu?.stop();
});

const TABLE = [
  '| Region | Version | ARN |',
  '| --- | --- | --- |',
  `| ap-south-1 | 7 | \`${arn('ap-south-1', 7)}\` |`,
  `| ap-southeast-2 | 2 | \`${arn('ap-southeast-2', 2)}\` |`,
  `| eu-south-2 | — | ❌ failed: AccessDeniedException: not authorized in this region |`,
  `| eu-west-1 | 5 | \`${arn('eu-west-1', 5)}\` |`,
  `| us-east-1 | 3 | \`${arn('us-east-1', 3)}\` |`,
].join('\n');

describe('report', () => {
  test('merges three legs (one failed) into the table, the outputs and the release, and fails on any', async () => {
    const result = await report({ name: 'otel', release: 'v1.2.0', 'fail-on': 'any' }, reportEnv(RUN));
    expect(result.code).toBe(1);
    expect(result.errors).toEqual(["Layer 'otel' 1.2.0 failed in 1 of 5 regions: eu-south-2 (fail-on: any)."]);
    expect(JSON.parse(result.outputs.arns)).toEqual({
      'ap-south-1': arn('ap-south-1', 7),
      'ap-southeast-2': arn('ap-southeast-2', 2),
      'eu-west-1': arn('eu-west-1', 5),
      'us-east-1': arn('us-east-1', 3),
    });
    expect(JSON.parse(result.outputs.versions)).toEqual({
      'ap-south-1': 7,
      'ap-southeast-2': 2,
      'eu-west-1': 5,
      'us-east-1': 3,
    });
    expect(JSON.parse(result.outputs['failed-regions'])).toEqual(['eu-south-2']);
    expect(result.summary).toContain(TABLE);
    expect(result.summary).toContain('4 of 5 regions available (4 published, 0 unchanged); **failed: eu-south-2**');

    const release = await releaseOf('v1.2.0');
    expect(release.body).toMatch(
      /^Written by hand\.\n\n<!-- lambda-layer-release:otel:begin -->\n<!-- lambda-layer-release:otel:record \{.*\} -->\n### Lambda layer `otel` 1\.2\.0\n/,
    );
    expect(release.body).toContain(`${TABLE}\n\n<!-- lambda-layer-release:otel:end -->`);
    expect(release.body).not.toContain('otel-arm');
    expect(release.assets.map((a) => a.name)).toEqual(['otel.arns.json']);
  });

  test('a rerun on the release event with fail-on none succeeds and leaves one asset', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'llr-event-'));
    const eventPath = path.join(dir, 'event.json');
    await writeFile(eventPath, JSON.stringify({ action: 'published', release: await releaseOf('v1.2.0') }));
    const result = await report(
      { name: 'otel', 'fail-on': 'none' },
      reportEnv(RUN, { GITHUB_EVENT_NAME: 'release', GITHUB_EVENT_PATH: eventPath }),
    );
    expect([result.code, result.errors]).toEqual([0, []]);
    const release = await releaseOf('v1.2.0');
    expect(release.assets.filter((a) => a.name === 'otel.arns.json')).toHaveLength(1);
    expect(release.body!.match(/lambda-layer-release:otel:begin/g)).toHaveLength(1);
    const asset = await octokit.request('GET /repos/{owner}/{repo}/releases/assets/{asset_id}', {
      owner,
      repo,
      asset_id: release.assets[0].id,
      headers: { accept: 'application/octet-stream' },
    });
    const merged = parseRecord(Buffer.from(asset.data as unknown as ArrayBuffer).toString('utf8'), 'asset');
    expect(Object.keys(merged.regions)).toEqual([
      'ap-south-1',
      'ap-southeast-2',
      'eu-south-2',
      'eu-west-1',
      'us-east-1',
    ]);
    expect(merged.regions['us-east-1']).toEqual(ok('us-east-1', 3));
  });

  test('fail-on all passes while some region has the layer; no release outside a release event', async () => {
    const before = (await releaseOf('v1.2.0')).updated_at;
    const result = await report({ name: 'otel', 'fail-on': 'all' }, reportEnv(RUN));
    expect([result.code, result.errors]).toEqual([0, []]);
    expect(result.stdout).toContain("No release updated: the event is 'push', not 'release'.");
    expect((await releaseOf('v1.2.0')).updated_at).toBe(before);
  });

  test('a forged leg stops report before any output or release write', async () => {
    const run = RUN + 1;
    await octokit.rest.repos.createRelease({ owner, repo, tag_name: 'v9.0.0', body: 'untouched' });
    await uploadLeg(leg({ 'us-east-1': ok('us-east-1', 3) }, '2026-01-01T10:00:00Z'), run, 21);
    await uploadLeg(
      leg({ 'eu-west-1': { ...ok('eu-west-1', 5), arn: arn('us-east-1', 5) } }, '2026-01-01T10:00:00Z'),
      run,
      22,
    );
    const result = await report({ name: 'otel', release: 'v9.0.0' }, reportEnv(run));
    expect(result.code).toBe(1);
    expect(result.errors[0]).toContain("eu-west-1: ARN points at region 'us-east-1'");
    expect(result.outputs).toEqual({});
    const release = await releaseOf('v9.0.0');
    expect([release.body, release.assets]).toEqual(['untouched', []]);
  });

  test('legs that published different builds are an error', async () => {
    const run = RUN + 2;
    await uploadLeg(leg({ 'us-east-1': ok('us-east-1', 3) }, ''), run, 31);
    await uploadLeg({ ...leg({ 'eu-west-1': ok('eu-west-1', 5) }, ''), sha256: 'd'.repeat(64) }, run, 32);
    const result = await report({ name: 'otel', release: 'false' }, reportEnv(run));
    expect(result.code).toBe(1);
    expect(result.errors[0]).toContain("The matrix legs of 'otel' published different builds: sha256");
  });

  test('a step that runs again in the same job replaces its own record; another step of that job keeps its own', async () => {
    const run = RUN + 4;
    await uploadLeg(leg({ 'us-east-1': denied }, '2026-01-01T00:00:00Z'), run, 41);
    await uploadLeg(leg({ 'us-east-1': ok('us-east-1', 4) }, '2026-01-01T00:01:00Z'), run, 41);
    await uploadLeg(leg({ 'eu-west-1': ok('eu-west-1', 2) }, '2026-01-01T00:02:00Z'), run, 41);
    const result = await report({ name: 'otel', release: 'false' }, reportEnv(run));
    expect(result.code).toBe(0);
    expect(JSON.parse(result.outputs.versions)).toEqual({ 'eu-west-1': 2, 'us-east-1': 4 });
    const { data } = await octokit.rest.actions.listWorkflowRunArtifacts({ owner, repo, run_id: run });
    expect(data.artifacts.map((a) => a.name).filter((n) => n.startsWith('lambda-layer-result-otel.'))).toHaveLength(2);
  });

  test('a run without legs says what to check', async () => {
    const result = await report({ name: 'otel' }, reportEnv(RUN + 3));
    expect(result.code).toBe(1);
    expect(result.errors[0]).toContain(
      "No result records of layer 'otel' in this run (artifacts named lambda-layer-result-otel.*)",
    );
  });
});

describe('a region never goes missing silently', () => {
  test("report's regions: a region no leg record names is failed, and the step says which", async () => {
    const result = await report(
      {
        name: 'otel',
        release: 'false',
        'fail-on': 'any',
        regions: 'us-east-1 eu-west-1 ap-south-1 ap-southeast-2 sa-east-1',
      },
      reportEnv(RUN),
    );
    expect(result.code).toBe(1);
    expect(JSON.parse(result.outputs['failed-regions'])).toEqual(['eu-south-2', 'sa-east-1']);
    expect(result.errors).toEqual([
      "Layer 'otel' 1.2.0 failed in 2 of 6 regions: eu-south-2, sa-east-1 (fail-on: any).",
    ]);
    expect(result.summary).toContain('| sa-east-1 | — | ❌ failed: no result record: the publish leg for this region');
    expect(Object.keys(JSON.parse(result.outputs.arns))).toHaveLength(4);
  });

  test("report's regions refuses all-enabled (report asks AWS nothing)", async () => {
    const result = await report({ name: 'otel', release: 'false', regions: 'all-enabled' }, reportEnv(RUN));
    expect(result.code).toBe(1);
    expect(result.errors[0]).toMatch(/^Input 'regions' of report cannot be 'all-enabled'/);
  });

  test('a publish leg whose record cannot be stored fails, after its outputs are set', async () => {
    const ws = await mkdtemp(path.join(tmpdir(), 'llr-leg-fail-'));
    const { makeZip } = await import('../__fixtures__/emulator-support.js');
    await writeFile(path.join(ws, 'layer.zip'), makeZip({ 'python/leg.py': 'x = 1\n' }));
    // Every artifact-service connection is reset: the store's retries run out.
    emu.server.faultPlan.reset({ rate: 1, kinds: ['reset'], services: ['artifacts'], seed: 'leg' });
    const run = await runAction(
      'publish',
      { name: 'legfail', zip: 'layer.zip', version: '1.0.0', regions: 'us-east-1' },
      { ...reportEnv(RUN + 1), ACTIONS_RUNTIME_TOKEN: mintRuntimeToken({ runId: RUN + 1, jobId: 21 }) },
      { cwd: ws },
    ).finally(() => emu.server.faultPlan.reset({ rate: 0 }));
    expect(run.code).toBe(1);
    expect(run.errors.join('\n')).toMatch(
      /The result record was not uploaded as a matrix leg artifact .*re-run this job/,
    );
    expect(JSON.parse(run.outputs.arns)).toEqual({ 'us-east-1': expect.stringMatching(/:layer:legfail:1$/) });
  }, 120_000);
});
