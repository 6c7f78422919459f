/**
 * The two ArtifactStores. The GitHub one goes through the real @actions/artifact client against the emulator's
 * artifact service; the client's @actions/github reads GITHUB_API_URL at import, so the store is imported after the
 * emulator's env is in process.env (jest gives each test file its own module registry and process.env).
 */
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { mintRuntimeToken } from '../emulators/github/index.js';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import { LocalArtifactStore } from '../src/artifact/local.js';
import type { ArtifactStore } from '../src/artifact/store.js';
import { ConfigurationError } from '../src/errors.js';
import { build, makeTree, tempDir } from '../__fixtures__/layer-support.js';

type GitHubModule = typeof import('../src/artifact/github.js');

let layer: Awaited<ReturnType<typeof build>>;

beforeAll(async () => {
  const src = await makeTree(path.join(await tempDir(), 'src'), { 'python/a.py': 'print("a")\n'.repeat(500) });
  layer = await build(src);
});

async function roundTrip(store: ArtifactStore, name: string) {
  const files = [layer.zipPath, layer.manifestPath];
  const uploaded = await store.upload(name, files, path.dirname(layer.zipPath), { retentionDays: 3 });
  const found = await store.find(name);
  const folder = await store.download(found!, await tempDir('llr-download-'));
  return { uploaded, found, folder };
}

async function expectSameFiles(folder: string): Promise<void> {
  expect((await readFile(path.join(folder, path.basename(layer.zipPath)))).equals(await readFile(layer.zipPath))).toBe(
    true,
  );
  expect(await readFile(path.join(folder, 'manifest.json'), 'utf8')).toBe(await readFile(layer.manifestPath, 'utf8'));
}

describe('local folder store', () => {
  test('round trip, other runs, tampering, delete', async () => {
    const root = await tempDir('llr-artifacts-');
    const store = new LocalArtifactStore(root, '11');
    const { uploaded, found, folder } = await roundTrip(store, 'lambda-layer-x');
    expect(found).toEqual(uploaded);
    expect(uploaded.digest).toMatch(/^[0-9a-f]{64}$/);
    await expectSameFiles(folder);

    const otherRun = new LocalArtifactStore(root, '12');
    expect(await otherRun.find('lambda-layer-x')).toBeUndefined();
    const fromRun11 = await otherRun.find('lambda-layer-x', { runId: 11 });
    expect(fromRun11).toEqual(uploaded);
    await expectSameFiles(await otherRun.download(fromRun11!, await tempDir(), { runId: 11 }));

    await writeFile(path.join(root, '11', 'lambda-layer-x', 'manifest.json'), '{}');
    await expect(store.download(uploaded, await tempDir())).rejects.toThrow(ConfigurationError);

    expect(await store.delete('lambda-layer-x')).toBe(uploaded.id);
    expect(await store.find('lambda-layer-x')).toBeUndefined();
    expect(await store.delete('lambda-layer-x')).toBeUndefined();
  });
});

describe('GitHub store through the real client', () => {
  let emu: RunningEmulator;
  let github: GitHubModule;

  beforeAll(async () => {
    emu = await startEmulator();
    Object.assign(process.env, emu.env, {
      GITHUB_WORKSPACE: await tempDir(),
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    github = await import('../src/artifact/github.js');
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await emu?.stop();
  });

  const store = () => new github.GitHubArtifactStore();
  const repository = { owner: 'octo-org', repo: 'octo-layer' };

  test('upload, find in this run, download: the zip and manifest come back byte for byte', async () => {
    process.env.ACTIONS_RUNTIME_TOKEN = mintRuntimeToken({ runId: 1000, jobId: 1 });
    const { uploaded, found, folder } = await roundTrip(store(), 'lambda-layer-gh');
    expect(uploaded.id).toBeGreaterThan(0);
    expect(uploaded.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(found).toMatchObject({ id: uploaded.id, name: 'lambda-layer-gh', digest: uploaded.digest });
    await expectSameFiles(folder);

    const state = (await (await fetch(`${emu.url}/__emulator/github/artifacts`)).json()) as {
      id: number;
      expiresAt?: string;
    }[];
    const expires = Date.parse(state.find((a) => a.id === uploaded.id)!.expiresAt!);
    expect(Math.round((expires - Date.now()) / 86_400_000)).toBe(3);
  });

  test('another run finds it with a token (findBy) and downloads it', async () => {
    process.env.ACTIONS_RUNTIME_TOKEN = mintRuntimeToken({ runId: 1001, jobId: 1 });
    await store().upload('lambda-layer-other', [layer.zipPath, layer.manifestPath], path.dirname(layer.zipPath));
    process.env.ACTIONS_RUNTIME_TOKEN = mintRuntimeToken({ runId: 1002, jobId: 1 });
    expect(await store().find('lambda-layer-other')).toBeUndefined();
    const options = { runId: 1001, token: emu.env.GITHUB_TOKEN, repository };
    const found = await store().find('lambda-layer-other', options);
    expect(found?.digest).toMatch(/^[0-9a-f]{64}$/);
    await expectSameFiles(await store().download(found!, await tempDir(), options));
  });

  test('a digest that does not match stops the download with a clear error', async () => {
    process.env.ACTIONS_RUNTIME_TOKEN = mintRuntimeToken({ runId: 1000, jobId: 1 });
    const found = await store().find('lambda-layer-gh');
    const forged = { ...found!, digest: 'f'.repeat(64) };
    await expect(store().download(forged, await tempDir())).rejects.toThrow(
      /downloaded with a different SHA-256 than the service recorded/,
    );
  });

  test('another run without a token is refused before any request', async () => {
    await expect(store().find('x', { runId: 5 })).rejects.toThrow(/needs a token/);
  });

  test('delete', async () => {
    process.env.ACTIONS_RUNTIME_TOKEN = mintRuntimeToken({ runId: 1000, jobId: 1 });
    const stored = await store().find('lambda-layer-gh');
    expect(stored).toBeDefined();
    expect(await store().delete('lambda-layer-gh')).toBe(stored!.id);
    expect(await store().find('lambda-layer-gh')).toBeUndefined();
    // None of that name: undefined, not an error (the client's ArtifactNotFoundError).
    expect(await store().delete('lambda-layer-gh')).toBeUndefined();
  });

  test.each([
    ['sha256:' + 'A'.repeat(64), 'a'.repeat(64)],
    ['b'.repeat(64), 'b'.repeat(64)],
    ['sha256:short', undefined],
    [undefined, undefined],
  ])('normalizeDigest(%p)', (value, expected) => {
    expect(github.normalizeDigest(value)).toBe(expected);
  });
});
