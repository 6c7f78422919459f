/**
 * The GitHub REST answers of the emulator against the schemas Octokit is typed with (@octokit/openapi-types):
 * every required member present, nothing GitHub does not send, types and enumerated values as declared.
 */
import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import { schemaProblems } from '../__fixtures__/emulator-openapi.js';
import { useEnv } from '../__fixtures__/emulator-support.js';

const REPO = 'octo-org/octo-layer';
let emu: RunningEmulator;
let restoreEnv: () => void;
let dir: string;
const answers = new Map<string, unknown>();

async function rest(method: string, route: string, body?: string, type = 'application/json'): Promise<unknown> {
  const response = await fetch(`${emu.url}${route}`, {
    method,
    body,
    headers: {
      authorization: `token ${emu.env.GITHUB_TOKEN}`,
      'content-type': type,
      accept: 'application/vnd.github+json',
    },
  });
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
  return response.json();
}

beforeAll(async () => {
  emu = await startEmulator({ github: { runId: 5150 } });
  restoreEnv = useEnv(emu.env);
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  dir = await mkdtemp(path.join(tmpdir(), 'llr-schemas-'));
  await writeFile(path.join(dir, 'layer.zip'), 'zip bytes');
  const { DefaultArtifactClient } = await import('@actions/artifact');
  const uploaded = await new DefaultArtifactClient().uploadArtifact('schema-check', [path.join(dir, 'layer.zip')], dir);

  const release = (await rest(
    'POST',
    `/repos/${REPO}/releases`,
    JSON.stringify({ tag_name: 'v9.9.9', body: 'x' }),
  )) as {
    id: number;
    upload_url: string;
  };
  const upload = release.upload_url.replace(/\{.*\}$/, '');
  const asset = (await rest('POST', `${new URL(upload).pathname}?name=layer.arns.json`, '{}')) as { id: number };
  answers.set('release', await rest('GET', `/repos/${REPO}/releases/${release.id}`));
  answers.set('release by tag', await rest('GET', `/repos/${REPO}/releases/tags/v9.9.9`));
  answers.set('release-asset', await rest('GET', `/repos/${REPO}/releases/assets/${asset.id}`));
  answers.set('artifact', await rest('GET', `/repos/${REPO}/actions/artifacts/${uploaded.id}`));
  answers.set('artifacts of the run', await rest('GET', `/repos/${REPO}/actions/runs/5150/artifacts`));
  answers.set('workflow-run', await rest('GET', `/repos/${REPO}/actions/runs/5150`));
  answers.set('runs', await rest('GET', `/repos/${REPO}/actions/runs`));
  answers.set('full-repository', await rest('GET', `/repos/${REPO}`));
}, 60_000);

afterAll(async () => {
  jest.restoreAllMocks();
  restoreEnv?.();
  await emu?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test.each([
  ['release', 'release'],
  ['release by tag', 'release'],
  ['release-asset', 'release-asset'],
  ['artifact', 'artifact'],
  ['workflow-run', 'workflow-run'],
  ['full-repository', 'full-repository'],
])('%s answers in the %s schema', (answer, schema) => {
  expect(schemaProblems(schema, answers.get(answer))).toEqual([]);
});

test.each([
  ['artifacts of the run', 'artifacts', 'artifact'],
  ['runs', 'workflow_runs', 'workflow-run'],
])('list %s: {total_count, %s: [%s]}', (answer, member, schema) => {
  const list = answers.get(answer) as Record<string, unknown[]>;
  expect(Object.keys(list).sort()).toEqual([member, 'total_count'].sort());
  expect(list.total_count).toBe(list[member].length);
  expect(list[member].flatMap((item, i) => schemaProblems(schema, item, `${member}[${i}]`))).toEqual([]);
});

test('REST answers carry the headers GitHub sends with each (request id, rate limit)', async () => {
  const response = await fetch(`${emu.url}/repos/${REPO}/releases`);
  for (const name of ['x-github-request-id', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) {
    expect([name, response.headers.get(name)]).toEqual([name, expect.stringMatching(/^[0-9A-F]+$/i)]);
  }
  expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
});

/** The Twirp messages as @actions/artifact's generated protobuf-ts code declares them (strict: no unknown fields). */
interface MessageType {
  fromJson(json: unknown, options?: { ignoreUnknownFields?: boolean }): unknown;
}
const GENERATED = 'node_modules/@actions/artifact/lib/generated/results/api/v1/artifact.js';

test('Twirp answers parse as the generated protobuf messages, with no field they do not declare', async () => {
  const messages = (await import(pathToFileURL(path.resolve(GENERATED)).href)) as Record<string, MessageType>;
  const ids = { workflow_run_backend_id: '5150', workflow_job_run_backend_id: '1' };
  const twirp = async (method: string, body: Record<string, unknown>) => {
    const response = await fetch(
      `${emu.env.ACTIONS_RESULTS_URL}twirp/github.actions.results.api.v1.ArtifactService/${method}`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${emu.env.ACTIONS_RUNTIME_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ...ids, ...body }),
      },
    );
    expect([method, response.status]).toEqual([method, 200]);
    return response.json();
  };
  const strict = (type: string, json: unknown) => messages[type].fromJson(json, { ignoreUnknownFields: false });
  expect(strict('ListArtifactsResponse', await twirp('ListArtifacts', {}))).toMatchObject({
    artifacts: [{ name: 'schema-check', workflowRunBackendId: '5150' }],
  });
  expect(strict('GetSignedArtifactURLResponse', await twirp('GetSignedArtifactURL', { name: 'schema-check' }))).toEqual(
    {
      signedUrl: expect.stringContaining(emu.url),
    },
  );
  expect(strict('CreateArtifactResponse', await twirp('CreateArtifact', { name: 'strict', version: 4 }))).toEqual({
    ok: true,
    signedUploadUrl: expect.any(String),
  });
  expect(strict('DeleteArtifactResponse', await twirp('DeleteArtifact', { name: 'schema-check' }))).toEqual({
    ok: true,
    artifactId: expect.any(String),
  });
});
