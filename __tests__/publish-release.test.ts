/**
 * The release side of publish, through the bundle as a runner runs it, against the emulator: on a `release` event
 * (or with a tag) the release gets the layer's section and `<name>.arns.json`, a rerun replaces both, and every
 * publish leaves its record as a matrix leg artifact that `report` merges.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { runAction, type ActionRun } from '../__fixtures__/action.js';
import { startReleaseWorld, type ReleaseWorld } from '../__fixtures__/release-world.js';
import type { RunningEmulator } from '../emulators/index.js';
import { beginMarker, endMarker } from '../src/release/body.js';
import type { Octokit } from '../src/release/github.js';
import { parseRecord } from '../src/record/json.js';

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-south-1'];
let world: ReleaseWorld;
let emu: RunningEmulator, octokit: Octokit, owner: string, repo: string;

beforeAll(async () => {
  world = await startReleaseWorld({
    workspace: 'llr-publish-release-',
    layer: { 'python/otel.py': 'VERSION = "1.2.0"\n' },
  });
  ({ emu, octokit, owner, repo } = world);
}, 60_000);

afterAll(async () => {
  await world?.stop();
});

const releaseEvent = (tag: string, body: string) => world.releaseEvent(tag, body);
const assets = (id: number) => world.assets(id);
const assetText = (id: number) => world.assetText(id);
const bodyOf = (id: number) => world.bodyOf(id);

function publish(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRun> {
  return world.publish(
    { name: 'otel', version: '1.2.0', regions: REGIONS.join(' '), 'share-with': 'public', ...inputs },
    { GITHUB_EVENT_NAME: 'push', ...env },
  );
}

describe('publish on a release event', () => {
  let release: { id: number; eventPath: string };
  let first: ActionRun;

  beforeAll(async () => {
    release = await releaseEvent('v1.2.0', 'Notes written by hand.');
  });

  test('the release gets the section and the asset; outputs agree with them', async () => {
    first = await publish({}, { GITHUB_EVENT_NAME: 'release', GITHUB_EVENT_PATH: release.eventPath });
    expect([first.code, first.errors]).toEqual([0, []]);
    const arns = JSON.parse(first.outputs.arns) as Record<string, string>;
    expect(Object.keys(arns).sort()).toEqual([...REGIONS].sort());
    const body = await bodyOf(release.id);
    expect(body.startsWith('Notes written by hand.\n\n')).toBe(true);
    expect(body).toContain(beginMarker('otel'));
    expect(body).toContain(endMarker('otel'));
    for (const region of REGIONS) expect(body).toContain(`| ${region} | 1 | \`${arns[region]}\` |`);
    const list = await assets(release.id);
    expect(list.map((a) => a.name)).toEqual(['otel.arns.json']);
    const record = parseRecord(await assetText(list[0].id), 'asset');
    expect(record).toMatchObject({ name: 'otel', version: '1.2.0' });
    expect(Object.fromEntries(Object.entries(record.regions).map(([r, row]) => [r, row.arn]))).toEqual(arns);
    expect(first.summary).toContain('Release [v1.2.0]');
  });

  test('a rerun replaces the section and the asset: one of each, text around kept', async () => {
    const edited = `${await bodyOf(release.id)}\nFooter added by hand.\n`;
    await octokit.rest.repos.updateRelease({ owner, repo, release_id: release.id, body: edited });
    const before = (await assets(release.id))[0].id;
    const from = emu.server.log.length;
    const rerun = await publish({}, { GITHUB_EVENT_NAME: 'release', GITHUB_EVENT_PATH: release.eventPath });
    expect([rerun.code, rerun.errors]).toEqual([0, []]);
    // The leg record's artifact was deleted while the regions were published (the client's one look-up, then the
    // delete): the rerun uploads once, with no upload refused first and no look-up of its own.
    const twirp = emu.server.log.slice(from).filter((e) => e.path.includes('/twirp/'));
    expect(twirp.map((e) => `${e.path.split('/').pop()} ${e.status}`)).toEqual([
      'ListArtifacts 200',
      'DeleteArtifact 200',
      'CreateArtifact 200',
      'FinalizeArtifact 200',
    ]);
    expect(rerun.stdout).toMatch(/Artifact lambda-layer-result-otel\.\S+ \(id \d+\), from an earlier run of this step/);
    expect(JSON.parse(rerun.outputs['unchanged-regions'])).toHaveLength(3);
    const body = await bodyOf(release.id);
    expect(body.split(beginMarker('otel'))).toHaveLength(2);
    expect(body).toMatch(/^Notes written by hand\./);
    expect(body.trimEnd().endsWith('Footer added by hand.')).toBe(true);
    const list = await assets(release.id);
    expect(list).toHaveLength(1);
    expect(list[0].id).not.toBe(before);
  });

  test('every publish leaves its record as a leg artifact; report merges it into the same table', async () => {
    const artifacts = (await (await fetch(`${emu.url}/__emulator/github/artifacts`)).json()) as { name: string }[];
    expect(artifacts.filter((a) => a.name.startsWith('lambda-layer-result-otel.'))).toHaveLength(1);
    const report = await runAction(
      'report',
      { name: 'otel', release: 'false', 'github-token': emu.env.GITHUB_TOKEN },
      { ...emu.env, GITHUB_EVENT_NAME: 'push' },
    );
    expect([report.code, report.errors]).toEqual([0, []]);
    expect(JSON.parse(report.outputs.arns)).toEqual(JSON.parse(first.outputs.arns));
  });

  test('the leg record goes up as soon as the regions are final, while the follow-ups (SSM pointers) run', async () => {
    const from = emu.server.log.length;
    emu.server.latencyMs = 200;
    emu.server.latencyServices = ['ssm'];
    let run: ActionRun;
    try {
      run = await publish({ name: 'otel-ssm', 'ssm-prefix': '/layers' });
    } finally {
      emu.server.latencyMs = 0;
      emu.server.latencyServices = undefined;
    }
    expect([run.code, run.errors]).toEqual([0, []]);
    const log = emu.server.log.slice(from);
    const created = log.findIndex((e) => e.path.endsWith('/CreateArtifact'));
    const ssm = log.flatMap((e, i) => (e.service === 'ssm' ? [i] : []));
    expect(created).toBeGreaterThan(-1);
    expect(ssm.length).toBeGreaterThan(REGIONS.length);
    // The upload began before the pointers were done: some SSM requests come after it.
    expect(created).toBeLessThan(ssm[ssm.length - 1]);
    expect(created).toBeGreaterThan(log.findIndex((e) => e.operation === 'PublishLayerVersion'));
  });

  test('dry run: the release is left alone', async () => {
    const before = await bodyOf(release.id);
    const dry = await publish(
      { 'dry-run': 'true', 'skip-unchanged': 'false' },
      { GITHUB_EVENT_NAME: 'release', GITHUB_EVENT_PATH: release.eventPath },
    );
    expect([dry.code, dry.errors]).toEqual([0, []]);
    expect(dry.stdout).toContain('Dry run: release v1.2.0 not updated.');
    expect(await bodyOf(release.id)).toBe(before);
  });
});

describe('release: <tag> and failures to write it', () => {
  test('a tag updates that release whatever the event', async () => {
    const { id } = await releaseEvent('v1.2.0-tagged', '');
    const run = await publish({ release: 'v1.2.0-tagged' });
    expect([run.code, run.errors]).toEqual([0, []]);
    expect(await bodyOf(id)).toContain('### Lambda layer `otel` 1.2.0');
  });

  test('refs/tags/<tag>, as ${{ github.ref }} gives it, names the same release', async () => {
    const { id } = await releaseEvent('v1.2.0-ref', '');
    const run = await publish({ release: 'refs/tags/v1.2.0-ref' });
    expect([run.code, run.errors]).toEqual([0, []]);
    expect(await bodyOf(id)).toContain('### Lambda layer `otel` 1.2.0');
  });

  test.each([
    ['a tag without a release', { release: 'v9.9.9' }, {}, /^Input 'release': no release with tag 'v9\.9\.9' in /],
    ['refs/tags/ of a tag without a release', { release: 'refs/tags/v9.9.9' }, {}, /no release with tag 'v9\.9\.9'/],
  ])('%s: found before any AWS call; nothing published', async (_label, inputs, env, message) => {
    const before = emu.server.log.length;
    const run = await publish(inputs, env);
    expect(run.code).toBe(1);
    expect(run.errors).toEqual([expect.stringMatching(message)]);
    expect(run.outputs.arns).toBe('{}');
    const aws = emu.server.log.slice(before).filter((e) => !['github', 'artifacts'].includes(e.service));
    expect(aws).toEqual([]);
  });

  test('a release event whose release was deleted since: found before any AWS call', async () => {
    const { id, eventPath } = await releaseEvent('v1.2.0-gone', '');
    await octokit.rest.repos.deleteRelease({ owner, repo, release_id: id });
    const before = emu.server.log.length;
    const run = await publish({}, { GITHUB_EVENT_NAME: 'release', GITHUB_EVENT_PATH: eventPath });
    expect(run.code).toBe(1);
    expect(run.errors).toEqual([expect.stringMatching(/^Input 'release': release v1\.2\.0-gone .* no longer exists/)]);
    expect(emu.server.log.slice(before).filter((e) => e.service === 'lambda' || e.service === 'sts')).toEqual([]);
  });

  test('a read-only token: the step fails and says which permission is missing', async () => {
    const { eventPath } = await releaseEvent('v1.2.0-ro', 'ro');
    const token = 'ghs_readOnlyToken000000000000000000000';
    await fetch(`${emu.url}/__emulator/github/tokens`, {
      method: 'POST',
      body: JSON.stringify({ token, mode: 'read-only' }),
    });
    const run = await publish(
      { 'github-token': token },
      { GITHUB_EVENT_NAME: 'release', GITHUB_EVENT_PATH: eventPath },
    );
    expect(run.code).toBe(1);
    expect(run.outputs.arns).toBeDefined();
    expect(run.errors.at(-1)).toMatch(/HTTP 403\): 'github-token' needs 'contents: write'/);
  });

  test.each([
    ['release: true off a release event', { release: 'true' }, /^Input 'release' is true but the event is 'push'/],
    ['a release tag that is not a tag name', { release: 'v1..2' }, /^Input 'release' must be auto, true, false/],
    ['a branch ref for the release', { release: 'refs/heads/main' }, /^Input 'release' is the ref 'refs\/heads\/main'/],
    ['no token for the release', { release: 'v1.2.0', 'github-token': '' }, /^Input 'github-token' is empty/],
  ])('%s: refused before any request', async (_label, inputs, message) => {
    const before = emu.server.log.length;
    const run = await publish(inputs);
    expect(run.code).toBe(1);
    expect(run.errors).toEqual([expect.stringMatching(message)]);
    expect(emu.server.log.slice(before)).toEqual([]);
  });
});
