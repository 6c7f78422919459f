/**
 * Contract tests: the real Octokit of @actions/github (getOctokit, baseUrl from GITHUB_API_URL, captured when the
 * module is imported, hence the dynamic import after the env is set) against the emulator's releases, assets and
 * workflow runs; and @actions/core getIDToken against its OIDC endpoint.
 */
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { octokitFailure } from '../__fixtures__/emulator-support.js';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import { decodeJwt } from '../emulators/github/index.js';

type Octokit = ReturnType<(typeof import('@actions/github'))['getOctokit']>;

let emu: RunningEmulator;
let github: typeof import('@actions/github');
let octokit: Octokit;
const owner = 'octo-org';
const repo = 'octo-layer';

async function control(route: string, body?: unknown): Promise<Response> {
  return fetch(`${emu.url}/__emulator/github/${route}`, {
    method: body === undefined ? 'GET' : 'POST',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

beforeAll(async () => {
  emu = await startEmulator({ github: { runId: 4242 } });
  Object.assign(process.env, emu.env, {
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  github = await import('@actions/github');
  octokit = github.getOctokit(emu.env.GITHUB_TOKEN);
});

afterAll(async () => {
  jest.restoreAllMocks();
  await emu?.stop();
});

test('env names the runner variables, with the configured run id', () => {
  expect(emu.env).toMatchObject({
    ACTIONS_RESULTS_URL: `${emu.url}/`,
    GITHUB_API_URL: emu.url,
    GITHUB_REPOSITORY: `${owner}/${repo}`,
    GITHUB_RUN_ID: '4242',
    GITHUB_REF: 'refs/tags/v1.0.0',
  });
  expect(emu.env.GITHUB_SHA).toMatch(/^[0-9a-f]{40}$/);
  expect(decodeJwt(emu.env.ACTIONS_RUNTIME_TOKEN)?.scp).toContain('Actions.Results:4242:1');
  expect(emu.env.ACTIONS_ID_TOKEN_REQUEST_URL).toContain('?api-version=');
  expect(emu.env).not.toHaveProperty('GITHUB_SERVER_URL');
});

describe('releases', () => {
  test('create, get by id and by tag, update', async () => {
    const created = await octokit.rest.repos.createRelease({
      owner,
      repo,
      tag_name: 'v1.0.0',
      name: 'v1.0.0',
      body: 'notes',
    });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({ tag_name: 'v1.0.0', draft: false, body: 'notes', assets: [] });
    expect(created.data.upload_url).toBe(
      `${emu.url}/uploads/repos/${owner}/${repo}/releases/${created.data.id}/assets{?name,label}`,
    );
    const byId = await octokit.rest.repos.getRelease({ owner, repo, release_id: created.data.id });
    const byTag = await octokit.rest.repos.getReleaseByTag({ owner, repo, tag: 'v1.0.0' });
    expect(byTag.data).toEqual(byId.data);
    const updated = await octokit.rest.repos.updateRelease({
      owner,
      repo,
      release_id: created.data.id,
      body: 'new notes',
    });
    expect(updated.data).toMatchObject({ id: created.data.id, body: 'new notes', name: 'v1.0.0' });
  });

  test('a duplicate tag is 422 already_exists; a missing release is 404 with documentation_url', async () => {
    const duplicate = await octokitFailure(octokit.rest.repos.createRelease({ owner, repo, tag_name: 'v1.0.0' }));
    expect(duplicate).toEqual({
      status: 422,
      data: expect.objectContaining({
        message: 'Validation Failed',
        errors: [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }],
      }),
    });
    const missing = await octokitFailure(octokit.rest.repos.getReleaseByTag({ owner, repo, tag: 'v9.9.9' }));
    expect(missing.status).toBe(404);
    expect(missing.data).toMatchObject({ message: 'Not Found', status: '404' });
    expect(String(missing.data.documentation_url)).toMatch(/^https:\/\/docs\.github\.com\/rest\//);
  });

  test('release notes over 125,000 characters are 422, as GitHub refuses them', async () => {
    const { data: release } = await octokit.rest.repos.getReleaseByTag({ owner, repo, tag: 'v1.0.0' });
    const tooLong = await octokitFailure(
      octokit.rest.repos.updateRelease({ owner, repo, release_id: release.id, body: 'x'.repeat(125_001) }),
    );
    expect(tooLong).toEqual({
      status: 422,
      data: expect.objectContaining({
        errors: [
          {
            resource: 'Release',
            code: 'custom',
            field: 'body',
            message: 'body is too long (maximum is 125000 characters)',
          },
        ],
      }),
    });
    const fits = await octokit.rest.repos.updateRelease({
      owner,
      repo,
      release_id: release.id,
      body: 'x'.repeat(125_000),
    });
    expect(fits.data.body).toHaveLength(125_000);
  });

  test('list pages with Link headers, newest first, and octokit.paginate follows them', async () => {
    for (const tag of ['v1.1.0', 'v1.2.0', 'v1.3.0'])
      await octokit.rest.repos.createRelease({ owner, repo, tag_name: tag });
    const first = await octokit.rest.repos.listReleases({ owner, repo, per_page: 2 });
    expect(first.data.map((r) => r.tag_name)).toEqual(['v1.3.0', 'v1.2.0']);
    expect(first.headers.link).toMatch(/page=2>; rel="next"/);
    const all = await octokit.paginate(octokit.rest.repos.listReleases, { owner, repo, per_page: 2 });
    expect(all.map((r) => r.tag_name)).toEqual(['v1.3.0', 'v1.2.0', 'v1.1.0', 'v1.0.0']);
  });

  test('delete removes the release', async () => {
    const { data } = await octokit.rest.repos.getReleaseByTag({ owner, repo, tag: 'v1.3.0' });
    expect((await octokit.rest.repos.deleteRelease({ owner, repo, release_id: data.id })).status).toBe(204);
    expect((await octokitFailure(octokit.rest.repos.getRelease({ owner, repo, release_id: data.id }))).status).toBe(
      404,
    );
  });
});

describe('release assets', () => {
  let release: { id: number; upload_url: string };
  const upload = (name: string, content: string) =>
    octokit.request({
      method: 'POST',
      url: release.upload_url,
      name,
      data: content,
      headers: { 'content-type': 'application/json' },
    });

  beforeAll(async () => {
    ({ data: release } = await octokit.rest.repos.getReleaseByTag({ owner, repo, tag: 'v1.0.0' }));
  });

  test('upload through upload_url, list, and a duplicate name is 422 already_exists', async () => {
    const uploaded = await upload('demo.arns.json', '{"schema":1}');
    expect(uploaded.status).toBe(201);
    expect(uploaded.data).toMatchObject({
      name: 'demo.arns.json',
      size: 12,
      state: 'uploaded',
      content_type: 'application/json',
    });
    const { data: assets } = await octokit.rest.repos.listReleaseAssets({ owner, repo, release_id: release.id });
    expect(assets.map((a) => a.name)).toEqual(['demo.arns.json']);
    const duplicate = await octokitFailure(upload('demo.arns.json', '{}'));
    expect(duplicate.status).toBe(422);
    expect(duplicate.data.errors).toEqual([{ resource: 'ReleaseAsset', code: 'already_exists', field: 'name' }]);
  });

  test('replace (delete + upload), then download the bytes through the 302 as GitHub serves them', async () => {
    const { data: assets } = await octokit.rest.repos.listReleaseAssets({ owner, repo, release_id: release.id });
    const old = assets.find((a) => a.name === 'demo.arns.json');
    await octokit.rest.repos.deleteReleaseAsset({ owner, repo, asset_id: old?.id as number });
    const replaced = await upload('demo.arns.json', '{"schema":1,"regions":{}}');
    emu.server.log.length = 0;
    const download = await octokit.rest.repos.getReleaseAsset({
      owner,
      repo,
      asset_id: replaced.data.id,
      headers: { accept: 'application/octet-stream' },
    });
    expect(Buffer.from(download.data as unknown as ArrayBuffer).toString()).toBe('{"schema":1,"regions":{}}');
    expect(emu.server.log.map((e) => e.status)).toEqual([302, 200]);
    const viaBrowser = await fetch(replaced.data.browser_download_url);
    expect(await viaBrowser.text()).toBe('{"schema":1,"regions":{}}');
    const { data: meta } = await octokit.rest.repos.getReleaseAsset({ owner, repo, asset_id: replaced.data.id });
    expect(meta).toMatchObject({ download_count: 2, digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
  });

  test('names with special characters are renamed as GitHub does', async () => {
    expect((await upload('my layer.json', '{}')).data.name).toBe('my.layer.json');
  });
});

describe('workflow runs', () => {
  const sha = 'a'.repeat(40);

  beforeAll(async () => {
    const seeds = [
      {
        id: 501,
        head_sha: sha,
        status: 'completed',
        conclusion: 'success',
        event: 'push',
        created_at: '2026-01-01T10:00:00Z',
      },
      {
        id: 502,
        head_sha: sha,
        status: 'completed',
        conclusion: 'failure',
        event: 'release',
        created_at: '2026-01-02T10:00:00Z',
      },
      { id: 503, head_sha: 'b'.repeat(40), status: 'in_progress', event: 'push', created_at: '2026-01-03T10:00:00Z' },
    ];
    for (const seed of seeds) expect((await control('runs', seed)).status).toBe(201);
  });

  type RunFilter = { head_sha?: string; status?: 'success' | 'in_progress'; event?: string };
  test.each<[RunFilter, number[]]>([
    [{ head_sha: sha }, [502, 501]],
    [{ head_sha: sha, status: 'success' }, [501]],
    [{ head_sha: sha, event: 'release' }, [502]],
    [{ status: 'in_progress' }, [4242, 503]],
  ])('list filtered by %j, newest first', async (filter, ids) => {
    const { data } = await octokit.rest.actions.listWorkflowRunsForRepo({ owner, repo, ...filter });
    expect(data.workflow_runs.map((r) => r.id)).toEqual(ids);
    expect(data.total_count).toBe(ids.length);
  });

  test('get one run; an unknown one is 404', async () => {
    const { data } = await octokit.rest.actions.getWorkflowRun({ owner, repo, run_id: 502 });
    expect(data).toMatchObject({
      id: 502,
      head_sha: sha,
      status: 'completed',
      conclusion: 'failure',
      event: 'release',
    });
    expect((await octokitFailure(octokit.rest.actions.getWorkflowRun({ owner, repo, run_id: 999 }))).status).toBe(404);
  });

  test('seeding an existing run updates it; completing it without a conclusion means success', async () => {
    const seeded = await control('runs', { id: 503, status: 'completed' });
    expect(await seeded.json()).toMatchObject({
      id: 503,
      status: 'completed',
      conclusion: 'success',
      head_sha: 'b'.repeat(40),
    });
    const { data } = await octokit.rest.actions.listWorkflowRunsForRepo({ owner, repo, status: 'success' });
    expect(data.workflow_runs.map((r) => r.id)).toEqual([503, 501]);
  });

  test('an unknown repository is 404', async () => {
    const gone = await octokitFailure(octokit.rest.actions.listWorkflowRunsForRepo({ owner, repo: 'other' }));
    expect(gone.status).toBe(404);
  });
});

describe('tokens', () => {
  test('every token is recorded; a read-only one gets 403 on writes, an invalid one 401', async () => {
    await control('tokens', { token: 'ro-token', mode: 'read-only' });
    await control('tokens', { token: 'bad-token', mode: 'invalid' });
    const readOnly = github.getOctokit('ro-token');
    await expect(readOnly.rest.repos.listReleases({ owner, repo })).resolves.toHaveProperty('status', 200);
    const denied = await octokitFailure(readOnly.rest.repos.createRelease({ owner, repo, tag_name: 'v2.0.0' }));
    expect(denied).toMatchObject({ status: 403, data: { message: 'Resource not accessible by integration' } });
    const invalid = await octokitFailure(github.getOctokit('bad-token').rest.repos.listReleases({ owner, repo }));
    expect(invalid).toMatchObject({ status: 401, data: { message: 'Bad credentials' } });
    const anonymous = await fetch(`${emu.url}/repos/${owner}/${repo}/releases`, { method: 'POST', body: '{}' });
    expect(anonymous.status).toBe(401);
    const log = (await (await control('auth')).json()) as { token: string; scheme: string }[];
    expect(log).toEqual(
      expect.arrayContaining([
        { method: 'POST', path: `/repos/${owner}/${repo}/releases`, scheme: 'token', token: 'ro-token' },
      ]),
    );
  });
});

describe('OIDC', () => {
  test('getIDToken returns a JWT for the requested audience with GitHub claims', async () => {
    const core = await import('@actions/core');
    const token = await core.getIDToken('sts.amazonaws.com');
    expect(token.split('.')).toHaveLength(3);
    expect(decodeJwt(token)).toMatchObject({
      iss: 'https://token.actions.githubusercontent.com',
      aud: 'sts.amazonaws.com',
      sub: `repo:${owner}/${repo}:ref:refs/tags/v1.0.0`,
      repository: `${owner}/${repo}`,
      run_id: '4242',
    });
    const claims = decodeJwt(await core.getIDToken());
    expect(claims?.aud).toBe(`https://github.com/${owner}`);
  });

  test('a wrong request token is refused', async () => {
    const core = await import('@actions/core');
    const saved = process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
    process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = 'not-the-token';
    try {
      await expect(core.getIDToken('sts.amazonaws.com')).rejects.toThrow(/Failed to get ID Token/);
    } finally {
      process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = saved;
    }
  });
});
