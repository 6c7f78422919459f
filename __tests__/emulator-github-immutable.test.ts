/**
 * The emulator's immutable releases, through the real Octokit: a release published while the repository has them on
 * refuses asset uploads, deletes and renames with GitHub's 422 answers and keeps its tag, while its notes stay
 * editable; drafts stay mutable until published; releases published before the setting was turned on stay mutable.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { octokitFailure } from '../__fixtures__/emulator-support.js';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';

type Octokit = ReturnType<(typeof import('@actions/github'))['getOctokit']>;

let emu: RunningEmulator;
let octokit: Octokit;
const owner = 'octo-org';
const repo = 'octo-layer';

async function setImmutable(on: boolean): Promise<void> {
  const res = await fetch(`${emu.url}/__emulator/github/config`, {
    method: 'POST',
    body: JSON.stringify({ immutableReleases: on }),
  });
  expect(res.status).toBe(200);
}

function upload(release: { upload_url: string }, name: string) {
  return octokit.request({
    method: 'POST',
    url: release.upload_url,
    name,
    data: Buffer.from('{}'),
    headers: { 'content-type': 'application/json', 'content-length': 2 },
  });
}

beforeAll(async () => {
  emu = await startEmulator({ github: { immutableReleases: true } });
  const github = await import('@actions/github');
  octokit = github.getOctokit(emu.env.GITHUB_TOKEN, { baseUrl: emu.url });
});

afterAll(async () => {
  await emu?.stop();
});

describe('a release published with immutable releases on', () => {
  test('says immutable: true; uploads, deletes and renames of assets are 422; notes and title can be edited', async () => {
    const draft = (await octokit.rest.repos.createRelease({ owner, repo, tag_name: 'v1.0.0', draft: true })).data;
    expect(draft.immutable).toBe(false);
    const asset = (await upload(draft, 'a.json')).data as { id: number };
    const published = (await octokit.rest.repos.updateRelease({ owner, repo, release_id: draft.id, draft: false }))
      .data;
    expect(published).toMatchObject({ draft: false, immutable: true });

    const up = await octokitFailure(upload(published, 'b.json'));
    expect(up).toEqual({
      status: 422,
      data: {
        message: 'Cannot upload assets to an immutable release.',
        documentation_url: 'https://docs.github.com/rest',
        status: '422',
      },
    });
    const del = await octokitFailure(octokit.rest.repos.deleteReleaseAsset({ owner, repo, asset_id: asset.id }));
    expect(del.status).toBe(422);
    expect(del.data).toMatchObject({
      message: 'Validation Failed',
      errors: [{ resource: 'ReleaseAsset', code: 'custom', message: 'Cannot delete asset from an immutable release' }],
    });
    const rename = await octokitFailure(
      octokit.rest.repos.updateReleaseAsset({ owner, repo, asset_id: asset.id, name: 'c' }),
    );
    expect(rename.status).toBe(422);
    const retag = await octokitFailure(
      octokit.rest.repos.updateRelease({ owner, repo, release_id: draft.id, tag_name: 'v9.9.9' }),
    );
    expect(retag.status).toBe(422);

    const edited = await octokit.rest.repos.updateRelease({
      owner,
      repo,
      release_id: draft.id,
      name: 'Version 1',
      body: 'new notes',
    });
    expect(edited.data).toMatchObject({ name: 'Version 1', body: 'new notes', immutable: true });
    const assets = await octokit.rest.repos.listReleaseAssets({ owner, repo, release_id: draft.id });
    expect(assets.data.map((a) => a.name)).toEqual(['a.json']);
  });

  test('created published at once it is immutable; once deleted, its tag cannot be used again', async () => {
    const release = (await octokit.rest.repos.createRelease({ owner, repo, tag_name: 'v2.0.0' })).data;
    expect(release.immutable).toBe(true);
    await octokit.rest.repos.deleteRelease({ owner, repo, release_id: release.id });
    const again = await octokitFailure(octokit.rest.repos.createRelease({ owner, repo, tag_name: 'v2.0.0' }));
    expect(again.status).toBe(422);
    expect(again.data.errors).toEqual([
      { resource: 'Release', code: 'custom', field: 'tag_name', message: 'tag_name was used by an immutable release' },
    ]);
  });

  test('a draft takes and drops assets freely', async () => {
    const draft = (await octokit.rest.repos.createRelease({ owner, repo, tag_name: 'v3.0.0', draft: true })).data;
    const asset = (await upload(draft, 'x.json')).data as { id: number };
    await octokit.rest.repos.deleteReleaseAsset({ owner, repo, asset_id: asset.id });
    await upload(draft, 'x.json');
    const assets = await octokit.rest.repos.listReleaseAssets({ owner, repo, release_id: draft.id });
    expect(assets.data).toHaveLength(1);
  });
});

test('a release published before the setting was turned on stays mutable; one published after is not', async () => {
  await setImmutable(false);
  const before = (await octokit.rest.repos.createRelease({ owner, repo, tag_name: 'v4.0.0' })).data;
  expect(before.immutable).toBe(false);
  await setImmutable(true);
  const asset = (await upload(before, 'late.json')).data as { id: number };
  await octokit.rest.repos.deleteReleaseAsset({ owner, repo, asset_id: asset.id });
  const after = (await octokit.rest.repos.createRelease({ owner, repo, tag_name: 'v4.0.1' })).data;
  expect(after.immutable).toBe(true);
  expect((await fetch(`${emu.url}/__emulator/github/config`).then((r) => r.json())) as unknown).toEqual({
    immutableReleases: true,
  });
});
