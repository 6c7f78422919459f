/**
 * GitHub failing one request in five, through the bundles as a runner runs them, on the shipped retry settings
 * (src/action/octokit.ts, the OIDC fetch in src/aws/credentials.ts, the artifact store's retries): a publish on a
 * `release` event with OIDC credentials, at 20% faults on GitHub's REST API and the OIDC endpoint (429, 500, reset,
 * drop-after-commit), for 3 seeds, writes one section with every row and one asset the first time; a build and a
 * publish joined by the artifact service get through 10% faults on it. The request log shows the faults happened.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import path from 'node:path';
import { writeFile } from 'node:fs/promises';
import { runAction } from '../__fixtures__/action.js';
import { startReleaseWorld, type ReleaseWorld } from '../__fixtures__/release-world.js';
import type { RunningEmulator } from '../emulators/index.js';
import type { FaultSettings } from '../emulators/faults.js';
import { beginMarker } from '../src/release/body.js';
import type { Octokit } from '../src/release/github.js';
import { parseRecord } from '../src/record/json.js';

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-south-1', 'sa-east-1'];
const ALL_FAULTS: FaultSettings['kinds'] = ['429', '500', 'reset', 'drop-after-commit'];
let world: ReleaseWorld;
let emu: RunningEmulator, octokit: Octokit, owner: string, repo: string, ws: string;

beforeAll(async () => {
  world = await startReleaseWorld({
    workspace: 'llr-gh-faults-',
    layer: { 'python/gh.py': 'VERSION = "4.0.0"\n' },
    files: { 'layer/python/gh/__init__.py': 'VERSION = "4.0.0"\n' },
  });
  ({ emu, octokit, owner, repo, ws } = world);
}, 60_000);

afterAll(async () => {
  await world?.stop();
});

function faults(settings: Partial<FaultSettings>): void {
  emu.server.faultPlan.reset({ rate: 0, retryAfterSeconds: 1, ...settings });
}

const faulted = (from: number, service: string) =>
  emu.server.log.slice(from).filter((e) => e.service === service && e.fault !== undefined);

/** A faulted request as `METHOD what fault`: the OIDC path, `uploads` for an asset upload, else nothing. */
function label(e: { method: string; path: string; fault?: string }): string {
  const what = e.path.startsWith('/_apis/') ? ` ${e.path}` : e.path.startsWith('/uploads/') ? ' uploads' : '';
  return `${e.method}${what} ${e.fault}`;
}

describe('20% faults on GitHub REST and OIDC, release event', () => {
  // Fault draws depend only on the seed and each request's key and count, so these seeds put faults on the calls
  // that matter (checked from the request log): the OIDC token (500) and the body PATCH (reset); the asset upload
  // (committed, its answer lost: the retry meets 422 already_exists); the OIDC token and the PATCH (committed, lost).
  test.each([
    ['gh-1-11', ['GET /_apis/actions/oidc/idtoken 500', 'PATCH reset']],
    ['gh-2-27', ['POST uploads drop-after-commit']],
    ['gh-3-426', ['GET /_apis/actions/oidc/idtoken 500', 'PATCH drop-after-commit']],
  ])(
    'seed %s: the first publish writes one section with every row, one asset',
    async (seed, expected) => {
      faults({});
      const name = `gh-${seed}`;
      const { data: release } = await octokit.rest.repos.createRelease({ owner, repo, tag_name: `v4.0.0-${seed}` });
      const eventPath = path.join(ws, `event-${seed}.json`);
      await writeFile(eventPath, JSON.stringify({ action: 'published', release }));
      const before = emu.server.log.length;
      faults({ rate: 0.2, kinds: ALL_FAULTS, seed, services: ['github'] });
      const run = await runAction(
        'publish',
        {
          name,
          zip: 'layer.zip',
          version: '4.0.0',
          regions: REGIONS.join(' '),
          'share-with': 'public',
          'role-to-assume': 'arn:aws:iam::210987654321:role/layer-publisher',
          'github-token': emu.env.GITHUB_TOKEN,
        },
        { ...emu.env, GITHUB_EVENT_NAME: 'release', GITHUB_EVENT_PATH: eventPath },
        { cwd: ws, timeoutMs: 180_000 },
      );
      const hit = faulted(before, 'github').map(label);
      faults({});
      expect([run.code, run.errors]).toEqual([0, []]);
      for (const fault of expected) expect(hit).toContain(fault);
      const body = (await octokit.rest.repos.getRelease({ owner, repo, release_id: release.id })).data.body ?? '';
      expect(body.split(beginMarker(name)).length - 1).toBe(1);
      const arns = JSON.parse(run.outputs.arns) as Record<string, string>;
      expect(Object.keys(arns).sort()).toEqual([...REGIONS].sort());
      for (const region of REGIONS) expect(body).toContain(arns[region]);
      const assets = (await octokit.rest.repos.listReleaseAssets({ owner, repo, release_id: release.id })).data;
      expect(assets.map((a) => [a.name, a.state])).toEqual([[`${name}.arns.json`, 'uploaded']]);
      const res = await fetch(`${emu.url}/repos/${owner}/${repo}/releases/assets/${assets[0].id}`, {
        headers: { accept: 'application/octet-stream', authorization: `token ${emu.env.GITHUB_TOKEN}` },
      });
      expect(Object.keys(parseRecord(await res.text(), 'asset').regions).sort()).toEqual([...REGIONS].sort());
    },
    240_000,
  );
});

describe('10% faults on the artifact service', () => {
  // Seeds that put faults where the client does not retry by itself: a reset on ListArtifacts; a CreateArtifact
  // that committed with its answer lost (the retry meets the name taken); a reset while finalizing; a 500 download.
  test.each([
    ['artifacts-621', ['CreateArtifact drop-after-commit', 'ListArtifacts drop-after-commit']],
    ['artifacts-166', ['FinalizeArtifact reset', 'ListArtifacts reset']],
  ])(
    'seed %s: build uploads and publish downloads the layer',
    async (seed, expected) => {
      const name = `art-${seed.split('-')[1]}`;
      const before = emu.server.log.length;
      faults({ rate: 0.1, kinds: ALL_FAULTS, seed, services: ['artifacts'] });
      const build = await runAction('build', { name, path: 'layer', version: '4.0.0' }, emu.env, {
        cwd: ws,
        timeoutMs: 180_000,
      });
      const run =
        build.code === 0
          ? await runAction(
              'publish',
              { name, regions: REGIONS.join(' '), 'github-token': emu.env.GITHUB_TOKEN },
              { ...emu.env, GITHUB_EVENT_NAME: 'push' },
              { cwd: ws, timeoutMs: 180_000 },
            )
          : build;
      const hit = faulted(before, 'artifacts').map((e) => `${e.path.split('/').pop()} ${e.fault}`);
      faults({});
      expect([build.code, build.errors]).toEqual([0, []]);
      expect([run.code, run.errors]).toEqual([0, []]);
      expect(Object.keys(JSON.parse(run.outputs.arns)).sort()).toEqual([...REGIONS].sort());
      for (const fault of expected) expect(hit).toContain(fault);
    },
    240_000,
  );
});
