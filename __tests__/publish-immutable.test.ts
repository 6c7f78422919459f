/**
 * Immutable releases through the bundle, as a runner runs it, against the emulator with `immutableReleases` on:
 * the quick-start workflow (`on: release: published`) exits 0 with the section written and a warning about the
 * asset, `resolve` (source github) resolves from the section's record, and the draft-then-publish flow gets the
 * asset too. Two runs at once leave one section.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { runAction, type ActionRun } from '../__fixtures__/action.js';
import { startReleaseWorld, type ReleaseWorld } from '../__fixtures__/release-world.js';
import type { RunningEmulator } from '../emulators/index.js';
import { mintRuntimeToken } from '../emulators/github/index.js';
import { beginMarker } from '../src/release/body.js';
import type { Octokit } from '../src/release/github.js';

const REGIONS = ['us-east-1', 'eu-west-1'];
let world: ReleaseWorld;
let emu: RunningEmulator, octokit: Octokit, owner: string, repo: string;

beforeAll(async () => {
  world = await startReleaseWorld({
    workspace: 'llr-immutable-',
    layer: { 'python/otel.py': 'VERSION = "2.0.0"\n' },
    emulator: { github: { immutableReleases: true } },
  });
  ({ emu, octokit, owner, repo } = world);
}, 60_000);

afterAll(async () => {
  await world?.stop();
});

const eventFor = (id: number) => world.eventFor(id);
const release = (id: number) => world.release(id);

function publish(inputs: Record<string, string>, env: Record<string, string>): Promise<ActionRun> {
  return world.publish(
    { name: 'otel', version: '2.0.0', regions: REGIONS.join(' '), ...inputs },
    { GITHUB_EVENT_NAME: 'push', ...env },
  );
}

function resolve(): Promise<ActionRun> {
  return runAction(
    'resolve',
    { name: 'otel', version: '2.x', source: 'github', 'github-token': emu.env.GITHUB_TOKEN },
    { ...emu.env },
  );
}

describe('a published immutable release (on: release: published)', () => {
  let id: number;
  let first: ActionRun;

  beforeAll(async () => {
    id = (await octokit.rest.repos.createRelease({ owner, repo, tag_name: 'v2.0.0', body: 'Notes.' })).data.id;
    expect((await release(id)).immutable).toBe(true);
  });

  test('exits 0: the section with its record is written, the asset step is a warning saying how to get it', async () => {
    first = await publish({}, { GITHUB_EVENT_NAME: 'release', GITHUB_EVENT_PATH: await eventFor(id) });
    expect([first.code, first.errors]).toEqual([0, []]);
    const warning = first.warnings.find((w) => w.includes('immutable'));
    expect(warning).toMatch(/Release v2\.0\.0 is immutable and has no otel\.arns\.json/);
    expect(warning).toMatch(/publish to a draft release \('release: v2\.0\.0' on a draft\), then publish the release/);
    const after = await release(id);
    expect(after.assets).toEqual([]);
    expect(after.body).toMatch(/^Notes\.\n\n/);
    expect(after.body).toContain(beginMarker('otel'));
    expect(after.body).toContain('<!-- lambda-layer-release:otel:record {"schema":1,');
    for (const arn of Object.values(JSON.parse(first.outputs.arns) as Record<string, string>)) {
      expect(after.body).toContain(`\`${arn}\``);
    }
    expect(first.summary).toContain('no asset');
  });

  test('resolve (source github) resolves from the section', async () => {
    const resolved = await resolve();
    expect([resolved.code, resolved.errors]).toEqual([0, []]);
    expect(JSON.parse(resolved.outputs.arns)).toEqual(JSON.parse(first.outputs.arns));
    expect(resolved.outputs['resolved-version']).toBe('2.0.0');
  });

  test('two workflow runs at once: both exit 0, the notes hold one section', async () => {
    const eventPath = await eventFor(id);
    const env = (runId: number) => ({
      GITHUB_EVENT_NAME: 'release',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_RUN_ID: String(runId),
      ACTIONS_RUNTIME_TOKEN: mintRuntimeToken({ runId, jobId: 1 }),
    });
    const runs = await Promise.all([publish({}, env(7001)), publish({}, env(7002))]);
    for (const run of runs) expect([run.code, run.errors]).toEqual([0, []]);
    expect((await release(id)).body!.split(beginMarker('otel'))).toHaveLength(2);
  });
});

describe('draft first, then publish', () => {
  test('the draft gets section and asset; published, it is immutable and a rerun keeps the asset', async () => {
    const draft = (await octokit.rest.repos.createRelease({ owner, repo, tag_name: 'v2.1.0', draft: true })).data;
    const onDraft = await publish({ release: 'refs/tags/v2.1.0' }, {});
    expect([onDraft.code, onDraft.errors]).toEqual([0, []]);
    expect(onDraft.warnings.filter((w) => w.includes('immutable'))).toEqual([]);
    expect(onDraft.stdout).toContain('Release v2.1.0 found (a draft)');
    const assets = (await release(draft.id)).assets.map((a) => [a.name, a.id]);
    expect(assets.map(([name]) => name)).toEqual(['otel.arns.json']);

    const published = (await octokit.rest.repos.updateRelease({ owner, repo, release_id: draft.id, draft: false }))
      .data;
    expect(published.immutable).toBe(true);

    const rerun = await publish({}, { GITHUB_EVENT_NAME: 'release', GITHUB_EVENT_PATH: await eventFor(draft.id) });
    expect([rerun.code, rerun.errors]).toEqual([0, []]);
    expect(rerun.warnings.join('\n')).toMatch(/is immutable and keeps the otel\.arns\.json of an earlier run/);
    expect((await release(draft.id)).assets.map((a) => [a.name, a.id])).toEqual(assets);
  });
});

describe('report after a matrix, on an immutable release', () => {
  test('merges the legs and writes the section; the asset step is a warning; exit 0', async () => {
    const { data } = await octokit.rest.repos.createRelease({ owner, repo, tag_name: 'v2.2.0', body: 'Matrix.' });
    const leg = await publish({ regions: 'us-east-1', release: 'false' }, {});
    expect([leg.code, leg.errors]).toEqual([0, []]);
    const report = await runAction(
      'report',
      { name: 'otel', release: 'refs/tags/v2.2.0', 'github-token': emu.env.GITHUB_TOKEN },
      { ...emu.env, GITHUB_EVENT_NAME: 'push' },
    );
    expect([report.code, report.errors]).toEqual([0, []]);
    expect(report.warnings.join('\n')).toMatch(/Release v2\.2\.0 is immutable and has no otel\.arns\.json/);
    const after = await release(data.id);
    expect(after.assets).toEqual([]);
    expect(after.body).toContain('| us-east-1 |');
    expect(after.body).toContain('<!-- lambda-layer-release:otel:record ');
  });
});
