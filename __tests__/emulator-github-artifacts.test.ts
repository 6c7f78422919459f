/**
 * Contract tests: the real @actions/artifact 6 client against the emulator's artifact service (Twirp + blob + the
 * REST routes of cross-run downloads). @actions/github reads GITHUB_API_URL when it is imported, so the client is
 * imported dynamically after the emulator's env is in process.env (jest gives every test file its own module
 * registry and its own copy of process.env). The runtime token is read per call: switching
 * ACTIONS_RUNTIME_TOKEN makes this process act as another workflow run.
 */
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mintRuntimeToken } from '../emulators/github/index.js';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';

type ArtifactModule = typeof import('@actions/artifact');

let emu: RunningEmulator;
let dir: string;
let artifact: ArtifactModule;
let client: InstanceType<ArtifactModule['DefaultArtifactClient']>;
const OWNER = 'octo-org';
const REPO = 'octo-layer';

async function control<T>(route: string, init?: RequestInit): Promise<T> {
  const response = await fetch(`${emu.url}/__emulator/github/${route}`, init);
  return (await response.json()) as T;
}

function asRun(runId: number): void {
  process.env.ACTIONS_RUNTIME_TOKEN = mintRuntimeToken({ runId, jobId: 3 });
}

const findBy = (workflowRunId: number) => ({
  token: emu.env.GITHUB_TOKEN,
  workflowRunId,
  repositoryOwner: OWNER,
  repositoryName: REPO,
});

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

beforeAll(async () => {
  emu = await startEmulator();
  dir = await mkdtemp(path.join(tmpdir(), 'emu-gh-artifacts-'));
  Object.assign(process.env, emu.env, {
    GITHUB_WORKSPACE: dir,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  // @actions/core writes workflow commands to stdout; keep the test output readable.
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  await mkdir(path.join(dir, 'layer/nodejs/node_modules/dep'), { recursive: true });
  await writeFile(path.join(dir, 'layer/nodejs/node_modules/dep/index.js'), 'module.exports = 42;\n');
  await writeFile(path.join(dir, 'layer/nodejs/package.json'), '{"name":"layer"}\n');
  await writeFile(path.join(dir, 'layer/manifest.json'), JSON.stringify({ name: 'demo', version: '1.0.0' }));
  await writeFile(path.join(dir, 'layer.zip'), Buffer.from('PK\u0005\u0006' + '\0'.repeat(18), 'latin1'));
  artifact = await import('@actions/artifact');
  client = new artifact.DefaultArtifactClient();
});

afterAll(async () => {
  jest.restoreAllMocks();
  await emu?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const layerFiles = () =>
  ['layer/nodejs/node_modules/dep/index.js', 'layer/nodejs/package.json', 'layer/manifest.json'].map((f) =>
    path.join(dir, f),
  );

describe('the same run', () => {
  let uploaded: { id?: number; size?: number; digest?: string };

  beforeAll(async () => {
    asRun(1000);
    uploaded = await client.uploadArtifact('lambda-layer-demo', layerFiles(), path.join(dir, 'layer'));
  });

  test('a zipped upload of several files is finalized with the sha256 the emulator computed', async () => {
    expect(uploaded.id).toBeGreaterThan(0);
    const stored = await control<Record<string, unknown>[]>('artifacts');
    const record = stored.find((a) => a.id === uploaded.id);
    expect(record).toMatchObject({
      name: 'lambda-layer-demo',
      runId: '1000',
      finalized: true,
      size: uploaded.size,
      mimeType: 'application/zip',
      sha256: uploaded.digest,
      digest: `sha256:${uploaded.digest}`,
    });
    const blob = Buffer.from(
      await (await fetch(`${emu.url}/__emulator/github/artifacts/${uploaded.id}/blob`)).arrayBuffer(),
    );
    expect(sha256(blob)).toBe(uploaded.digest);
    expect(blob.subarray(0, 2).toString()).toBe('PK');
  });

  test('list shows the artifact with its digest', async () => {
    const { artifacts } = await client.listArtifacts();
    expect(artifacts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: uploaded.id, name: 'lambda-layer-demo', digest: `sha256:${uploaded.digest}` }),
      ]),
    );
  });

  test('download unzips the files and confirms the expected hash', async () => {
    const target = path.join(dir, 'same-run');
    const result = await client.downloadArtifact(uploaded.id as number, {
      path: target,
      expectedHash: `sha256:${uploaded.digest}`,
    });
    expect(result).toEqual({ downloadPath: target, digestMismatch: false });
    expect(await readFile(path.join(target, 'nodejs/node_modules/dep/index.js'), 'utf8')).toBe(
      'module.exports = 42;\n',
    );
    expect((await readdir(target)).sort()).toEqual(['manifest.json', 'nodejs']);
  });

  test('a wrong expected hash is reported as digestMismatch, not thrown', async () => {
    const result = await client.downloadArtifact(uploaded.id as number, {
      path: path.join(dir, 'mismatch'),
      expectedHash: `sha256:${'0'.repeat(64)}`,
    });
    expect(result.digestMismatch).toBe(true);
  });

  test('a second upload under the same name in the run is refused with 409', async () => {
    await expect(client.uploadArtifact('lambda-layer-demo', layerFiles(), path.join(dir, 'layer'))).rejects.toThrow(
      /\(409\) Conflict: an artifact with this name already exists on the workflow run/,
    );
  });

  test('skipArchive uploads one file under its own name and downloads it raw', async () => {
    const file = path.join(dir, 'layer/manifest.json');
    const single = await client.uploadArtifact('ignored-name', [file], dir, { skipArchive: true });
    expect(single.digest).toBe(sha256(await readFile(file)));
    const { artifacts } = await client.listArtifacts();
    expect(artifacts.find((a) => a.id === single.id)?.name).toBe('manifest.json');
    const target = path.join(dir, 'raw');
    await client.downloadArtifact(single.id as number, { path: target, expectedHash: `sha256:${single.digest}` });
    expect(await readFile(path.join(target, 'manifest.json'), 'utf8')).toBe(await readFile(file, 'utf8'));
  });

  test.each([
    ['an empty file (an empty, self-closed block list)', 0, 0],
    ['a file of two 8 MiB blocks, staged concurrently', 9 * 1024 * 1024, 2],
  ])('skipArchive round trip of %s', async (_, size, blocks) => {
    const name = `blocks-${size}.bin`;
    const data = Buffer.alloc(size, 7);
    if (size) data.writeUInt32BE(size, size - 4);
    await writeFile(path.join(dir, name), data);
    emu.server.log.length = 0;
    const single = await client.uploadArtifact(name, [path.join(dir, name)], dir, { skipArchive: true });
    const puts = emu.server.log.filter((e) => e.method === 'PUT').length;
    expect(puts).toBe(blocks + 1);
    const target = path.join(dir, `blocks-${size}`);
    const result = await client.downloadArtifact(single.id as number, {
      path: target,
      expectedHash: `sha256:${sha256(data)}`,
    });
    expect(result.digestMismatch).toBe(false);
    expect((await readFile(path.join(target, name))).equals(data)).toBe(true);
  });

  test('a skipArchive .zip is unzipped on download unless skipDecompress is set (client behaviour)', async () => {
    const file = path.join(dir, 'layer.zip');
    const single = await client.uploadArtifact('x', [file], dir, { skipArchive: true });
    const kept = path.join(dir, 'kept');
    await client.downloadArtifact(single.id as number, { path: kept, skipDecompress: true });
    expect(await readdir(kept)).toEqual(['layer.zip']);
    const unzipped = path.join(dir, 'unzipped');
    await client.downloadArtifact(single.id as number, { path: unzipped });
    expect(await readdir(unzipped)).toEqual([]);
  });
});

describe('another run', () => {
  let source: { id?: number; digest?: string };

  beforeAll(async () => {
    asRun(1000);
    source = await client.uploadArtifact('cross-run', layerFiles(), path.join(dir, 'layer'));
    asRun(2001);
  });

  test('cannot see run 1000 through the runtime token', async () => {
    expect((await client.listArtifacts()).artifacts).toEqual([]);
    await expect(client.downloadArtifact(source.id as number, { path: path.join(dir, 'nope') })).rejects.toThrow(
      artifact.ArtifactNotFoundError,
    );
  });

  test('finds and downloads it with findBy: REST list by name, then /zip 302 to the signed blob', async () => {
    emu.server.log.length = 0;
    const { artifact: found } = await client.getArtifact('cross-run', { findBy: findBy(1000) });
    expect(found).toMatchObject({ id: source.id, name: 'cross-run', digest: `sha256:${source.digest}` });
    const target = path.join(dir, 'cross');
    const result = await client.downloadArtifact(found.id, {
      path: target,
      expectedHash: found.digest,
      findBy: findBy(1000),
    });
    expect(result.digestMismatch).toBe(false);
    expect(await readFile(path.join(target, 'manifest.json'), 'utf8')).toContain('"demo"');
    expect(emu.server.log.map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([
      `GET /repos/${OWNER}/${REPO}/actions/runs/1000/artifacts 200`,
      `GET /repos/${OWNER}/${REPO}/actions/artifacts/${source.id}/zip 302`,
      expect.stringMatching(/^GET \/results-blob\/artifacts\/1000\/3\/\d+\/cross-run\.zip 200$/),
    ]);
    const auth = await control<{ path: string; scheme: string; token: string }[]>('auth');
    expect(auth).toContainEqual({
      method: 'GET',
      path: `/repos/${OWNER}/${REPO}/actions/artifacts/${source.id}/zip`,
      scheme: 'token',
      token: emu.env.GITHUB_TOKEN,
    });
  });

  test('its own upload creates workflow run 2001, visible over REST', async () => {
    await client.uploadArtifact('run-2001', layerFiles(), path.join(dir, 'layer'));
    const run = (await (await fetch(`${emu.url}/repos/${OWNER}/${REPO}/actions/runs/2001`)).json()) as Record<
      string,
      unknown
    >;
    expect(run).toMatchObject({ id: 2001, status: 'in_progress', conclusion: null, head_sha: emu.env.GITHUB_SHA });
  });

  test('deletes through findBy (REST DELETE) and the artifact is gone', async () => {
    const { id } = await client.deleteArtifact('cross-run', { findBy: findBy(1000) });
    expect(id).toBe(source.id);
    const response = await fetch(`${emu.url}/repos/${OWNER}/${REPO}/actions/artifacts/${id}`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ message: 'Not Found', status: '404' });
  });
});

test('delete in the same run removes the artifact from the list', async () => {
  asRun(1000);
  const { id } = await client.deleteArtifact('lambda-layer-demo');
  expect((await client.listArtifacts()).artifacts.map((a) => a.id)).not.toContain(id);
  await expect(client.deleteArtifact('lambda-layer-demo')).rejects.toThrow(artifact.ArtifactNotFoundError);
});

describe('GITHUB_SERVER_URL', () => {
  afterAll(() => {
    delete process.env.GITHUB_SERVER_URL;
  });

  test('a *.localhost server URL passes the client GHES check (the host is never contacted)', async () => {
    process.env.GITHUB_SERVER_URL = `http://github.localhost:${new URL(emu.url).port}`;
    await expect(client.listArtifacts()).resolves.toHaveProperty('artifacts');
  });

  test('a 127.0.0.1 server URL makes the client refuse with GHESNotSupportedError', async () => {
    process.env.GITHUB_SERVER_URL = emu.url;
    await expect(client.listArtifacts()).rejects.toThrow(artifact.GHESNotSupportedError);
  });
});
