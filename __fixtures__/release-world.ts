/**
 * The setup the release suites share: an emulator, an Octokit against it, the repository it serves as owner/repo, and
 * a workspace holding `layer.zip`; with helpers to make a release and its event file, read a release back, and run
 * `publish` from the workspace. Each suite starts its world in its own beforeAll and stops it in its afterAll.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runAction, type ActionRun } from './action.js';
import { makeZip } from './emulator-support.js';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../emulators/index.js';
import type { Octokit } from '../src/release/github.js';

export interface ReleaseWorldOptions {
  /** The mkdtemp prefix of the workspace, e.g. 'llr-race-'. */
  workspace: string;
  /** The files of the workspace's `layer.zip`. */
  layer: Record<string, string>;
  /** More files to write into the workspace (paths relative to it; folders are made). */
  files?: Record<string, string>;
  /** What this suite needs of the emulator: immutable releases, latency, and so on. */
  emulator?: EmulatorOptions;
}

export interface ReleaseWorld {
  emu: RunningEmulator;
  octokit: Octokit;
  owner: string;
  repo: string;
  ws: string;
  /** Creates a release and writes a `release: published` event file for it. */
  releaseEvent(tag: string, body: string): Promise<{ id: number; eventPath: string }>;
  /** Writes a `release: published` event file for the release as it is now. */
  eventFor(id: number): Promise<string>;
  release(id: number): Promise<Awaited<ReturnType<Octokit['rest']['repos']['getRelease']>>['data']>;
  bodyOf(id: number): Promise<string>;
  assets(id: number): Promise<Awaited<ReturnType<Octokit['rest']['repos']['listReleaseAssets']>>['data']>;
  assetText(id: number): Promise<string>;
  /** Runs publish from the workspace: `zip: layer.zip` and the emulator's token unless `inputs` say otherwise. */
  publish(
    inputs: Record<string, string>,
    env: Record<string, string>,
    options?: Parameters<typeof runAction>[3],
  ): Promise<ActionRun>;
  stop(): Promise<void>;
}

export async function startReleaseWorld(options: ReleaseWorldOptions): Promise<ReleaseWorld> {
  const emu = await startEmulator(options.emulator);
  const [owner, repo] = emu.env.GITHUB_REPOSITORY.split('/');
  const github = await import('@actions/github');
  const octokit: Octokit = github.getOctokit(emu.env.GITHUB_TOKEN, { baseUrl: emu.url });
  const ws = await mkdtemp(path.join(tmpdir(), options.workspace));
  await writeFile(path.join(ws, 'layer.zip'), makeZip(options.layer));
  for (const [file, text] of Object.entries(options.files ?? {})) {
    await mkdir(path.dirname(path.join(ws, file)), { recursive: true });
    await writeFile(path.join(ws, file), text);
  }

  async function writeEvent(release: unknown, event: string | number): Promise<string> {
    const eventPath = path.join(ws, `event-${event}.json`);
    await writeFile(eventPath, JSON.stringify({ action: 'published', release }));
    return eventPath;
  }

  const world: ReleaseWorld = {
    emu,
    octokit,
    owner,
    repo,
    ws,
    async releaseEvent(tag, body) {
      const { data: release } = await octokit.rest.repos.createRelease({ owner, repo, tag_name: tag, body });
      return { id: release.id, eventPath: await writeEvent(release, tag) };
    },
    async eventFor(id) {
      return writeEvent(await world.release(id), id);
    },
    async release(id) {
      return (await octokit.rest.repos.getRelease({ owner, repo, release_id: id })).data;
    },
    async bodyOf(id) {
      return (await world.release(id)).body ?? '';
    },
    async assets(id) {
      return (await octokit.rest.repos.listReleaseAssets({ owner, repo, release_id: id })).data;
    },
    async assetText(id) {
      const res = await fetch(`${emu.url}/repos/${owner}/${repo}/releases/assets/${id}`, {
        headers: { accept: 'application/octet-stream', authorization: `token ${emu.env.GITHUB_TOKEN}` },
      });
      return res.text();
    },
    publish(inputs, env, runOptions = {}) {
      return runAction(
        'publish',
        { zip: 'layer.zip', 'github-token': emu.env.GITHUB_TOKEN, ...inputs },
        { ...emu.env, ...env },
        { cwd: ws, ...runOptions },
      );
    },
    stop: () => emu.stop(),
  };
  return world;
}
