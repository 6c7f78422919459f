/**
 * Faults on the GitHub half, met by the real clients. Fault decisions depend only on the seed and each request's
 * key and count, so every seed below gives the same faults on every run; each test also checks from the request log
 * that the faults it is about really happened, so a change of keys shows up as a failure, not as a silent pass.
 *
 * What the clients do (read from their code, confirmed here):
 * - @actions/artifact Twirp calls retry 429 and 5xx (3 s, then x1.5 backoff) but NOT a reset connection (NetworkError).
 * - Azure blob uploads retry 500 and 503 (Azure throttles with 503 ServerBusy) and resets; not 429.
 * - findBy's REST list uses @octokit/plugin-retry (1 s, 4 s, …); the /zip redirect call has no retry at all.
 * - getOctokit() from @actions/github has no retry plugin; @actions/core getIDToken retries only 502/503/504.
 */
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FaultSettings } from '../emulators/faults.js';
import { mintRuntimeToken } from '../emulators/github/index.js';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';

let emu: RunningEmulator;
let dir: string;
let artifact: typeof import('@actions/artifact');
let github: typeof import('@actions/github');
let retry: (typeof import('@octokit/plugin-retry'))['retry'];
const stdout: string[] = [];
const owner = 'octo-org';
const repo = 'octo-layer';

async function setFaults(faults: Partial<FaultSettings>): Promise<void> {
  const response = await fetch(`${emu.url}/__emulator/config`, { method: 'POST', body: JSON.stringify({ faults }) });
  expect(response.status).toBe(200);
  emu.server.log.length = 0;
}

async function resetGitHub(): Promise<void> {
  expect((await fetch(`${emu.url}/__emulator/github/reset`, { method: 'POST' })).status).toBe(204);
}

const faulted = () => emu.server.log.filter((e) => e.fault).map((e) => `${e.method} ${e.path} ${e.fault}`);

/** Octokit as a careful action would build it: @actions/github plus the retry plugin, with short waits. */
function retryingOctokit() {
  const options = { retry: { retryAfterBaseValue: 10 } } as Parameters<typeof github.getOctokit>[1];
  return github.getOctokit(emu.env.GITHUB_TOKEN, options, retry);
}

beforeAll(async () => {
  emu = await startEmulator();
  dir = await mkdtemp(path.join(tmpdir(), 'emu-gh-faults-'));
  Object.assign(process.env, emu.env, {
    GITHUB_WORKSPACE: dir,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(String(chunk));
    return true;
  });
  await writeFile(path.join(dir, 'a.txt'), 'layer content\n');
  await writeFile(path.join(dir, 'b.txt'), 'more content\n');
  artifact = await import('@actions/artifact');
  github = await import('@actions/github');
  ({ retry } = await import('@octokit/plugin-retry'));
});

afterAll(async () => {
  jest.restoreAllMocks();
  await emu?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the artifact client retries through 429 and 500', () => {
  let uploaded: { id?: number; digest?: string };

  test('upload and download in the same run (Twirp and blob faults)', async () => {
    await setFaults({ rate: 0.25, kinds: ['429', '500'], seed: 'a104', services: ['artifacts'] });
    const client = new artifact.DefaultArtifactClient();
    const files = [path.join(dir, 'a.txt'), path.join(dir, 'b.txt')];
    uploaded = await client.uploadArtifact('faulty', files, dir);
    const target = path.join(dir, 'same');
    const result = await client.downloadArtifact(uploaded.id as number, {
      path: target,
      expectedHash: `sha256:${uploaded.digest}`,
    });
    expect(result.digestMismatch).toBe(false);
    expect(await readFile(path.join(target, 'b.txt'), 'utf8')).toBe('more content\n');
    expect(faulted()).toEqual([
      expect.stringMatching(/^PUT \/results-blob\/artifacts\/1000\/1\/\d+\/faulty\.zip 500$/),
      'POST /twirp/github.actions.results.api.v1.ArtifactService/FinalizeArtifact 429',
    ]);
    expect(stdout.join('')).toContain('Attempt 1 of 5 failed with error: Failed request: (429) Too Many Requests');
  });

  test('another run downloads with findBy while the REST list is throttled', async () => {
    await setFaults({ rate: 0.25, kinds: ['429', '500'], seed: 'b13', services: ['artifacts'] });
    process.env.ACTIONS_RUNTIME_TOKEN = mintRuntimeToken({ runId: 2002 });
    const client = new artifact.DefaultArtifactClient();
    const findBy = { token: emu.env.GITHUB_TOKEN, workflowRunId: 1000, repositoryOwner: owner, repositoryName: repo };
    const { artifact: found } = await client.getArtifact('faulty', { findBy });
    const result = await client.downloadArtifact(found.id, {
      path: path.join(dir, 'other'),
      expectedHash: found.digest,
      findBy,
    });
    expect(result.digestMismatch).toBe(false);
    expect(faulted()).toEqual([`GET /repos/${owner}/${repo}/actions/runs/1000/artifacts 429`]);
    process.env.ACTIONS_RUNTIME_TOKEN = emu.env.ACTIONS_RUNTIME_TOKEN;
  });
});

describe('Octokit with @octokit/plugin-retry', () => {
  test('creates a release, uploads and downloads an asset through 429, 500 and resets', async () => {
    await resetGitHub();
    await setFaults({ rate: 0.35, kinds: ['429', '500', 'reset'], seed: 'c1004', services: ['github'] });
    const octokit = retryingOctokit();
    const { data: release } = await octokit.rest.repos.createRelease({ owner, repo, tag_name: 'v1.0.0' });
    const { data: asset } = await octokit.request({
      method: 'POST',
      url: release.upload_url,
      name: 'demo.arns.json',
      data: '{"schema":1}',
      headers: { 'content-type': 'application/json' },
    });
    const { data: byTag } = await octokit.rest.repos.getReleaseByTag({ owner, repo, tag: 'v1.0.0' });
    expect(byTag.assets.map((a) => a.id)).toEqual([asset.id]);
    const download = await octokit.rest.repos.getReleaseAsset({
      owner,
      repo,
      asset_id: asset.id,
      headers: { accept: 'application/octet-stream' },
    });
    expect(Buffer.from(download.data as unknown as ArrayBuffer).toString()).toBe('{"schema":1}');
    const faults = faulted();
    expect(faults).toEqual(
      expect.arrayContaining([
        `POST /repos/${owner}/${repo}/releases 429`,
        expect.stringMatching(/^POST \/uploads\/repos\/.*\/assets 500$/),
        expect.stringMatching(/^GET \/release-assets\/\d+\/demo\.arns\.json reset$/),
      ]),
    );
  });

  test('a create whose answer was lost is retried into 422 already_exists: look the release up instead', async () => {
    await resetGitHub();
    await setFaults({ rate: 0.5, kinds: ['drop-after-commit'], seed: 'd62', services: ['github'] });
    const octokit = retryingOctokit();
    const create = octokit.rest.repos.createRelease({ owner, repo, tag_name: 'v1.0.0' });
    await expect(create).rejects.toMatchObject({ status: 422 });
    const { data: release } = await octokit.rest.repos.getReleaseByTag({ owner, repo, tag: 'v1.0.0' });
    const upload = octokit.request({ method: 'POST', url: release.upload_url, name: 'x.json', data: '{}' });
    await expect(upload).rejects.toMatchObject({
      status: 422,
      response: { data: { errors: [{ resource: 'ReleaseAsset', code: 'already_exists', field: 'name' }] } },
    });
    expect(faulted()).toEqual([
      `POST /repos/${owner}/${repo}/releases drop-after-commit`,
      `POST /uploads/repos/${owner}/${repo}/releases/${release.id}/assets drop-after-commit`,
    ]);
    const { data: assets } = await octokit.rest.repos.listReleaseAssets({ owner, repo, release_id: release.id });
    expect(assets.map((a) => a.name)).toEqual(['x.json']);
  });
});

describe('clients that do not retry (pinned so that callers know to)', () => {
  afterAll(async () => {
    await setFaults({ rate: 0 });
  });

  test("plain getOctokit fails on one 500 with GitHub's body; getIDToken fails on a 500", async () => {
    await setFaults({ rate: 1, kinds: ['500'], seed: '1', services: ['github'] });
    await expect(
      github.getOctokit(emu.env.GITHUB_TOKEN).rest.repos.listReleases({ owner, repo }),
    ).rejects.toMatchObject({
      status: 500,
      response: { data: { message: 'Server Error' } },
    });
    const core = await import('@actions/core');
    await expect(core.getIDToken('sts.amazonaws.com')).rejects.toThrow(/Failed to get ID Token/);
    expect(emu.server.log.map((e) => e.status)).toEqual([500, 500]);
  });

  test('a reset Twirp call fails the artifact upload at once (NetworkError, no retry)', async () => {
    await setFaults({ rate: 1, kinds: ['reset'], seed: '1', services: ['artifacts'] });
    const client = new artifact.DefaultArtifactClient();
    await expect(client.uploadArtifact('never', [path.join(dir, 'a.txt')], dir)).rejects.toThrow(/ECONNRESET/);
    expect(emu.server.log.map((e) => e.status)).toEqual(['reset']);
  });
});
