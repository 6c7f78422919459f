/**
 * The ncc-bundled @actions/artifact client, run as its own process with another run's runtime token, downloads an
 * artifact this process uploaded as run 1000: the way the publish job of one run takes the build job's artifact of
 * another (findBy: REST list, /zip 302, signed blob). The bundle is built once per content into .tmp/ (git-ignored).
 */
import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../__fixtures__/action.js';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';

const SCRIPT = `import { DefaultArtifactClient } from '@actions/artifact';
const [name, runId, owner, repo, dir] = process.argv.slice(2);
const client = new DefaultArtifactClient();
const findBy = { token: process.env.GITHUB_TOKEN, workflowRunId: Number(runId), repositoryOwner: owner, repositoryName: repo };
const { artifact } = await client.getArtifact(name, { findBy });
const result = await client.downloadArtifact(artifact.id, { path: dir, expectedHash: artifact.digest, findBy });
const own = await client.listArtifacts();
process.stderr.write(JSON.stringify({ artifact, result, own: own.artifacts.length }) + '\\n');
`;

let emu: RunningEmulator;
let dir: string;
let bundle: string;

/** Builds the script with ncc unless a bundle of the same script and lockfile exists. */
async function buildBundle(): Promise<string> {
  const lock = await readFile(path.join(ROOT, 'package-lock.json'));
  const hash = createHash('sha256').update(SCRIPT).update(lock).digest('hex').slice(0, 16);
  const folder = path.join(ROOT, '.tmp/emulator-github-bundle', hash);
  const output = path.join(folder, 'dist/index.mjs');
  try {
    await access(output);
    return output;
  } catch {
    // Built beside the final folder and renamed into place, so an interrupted build is never taken for a bundle.
    const partial = `${folder}.partial-${process.pid}`;
    await mkdir(partial, { recursive: true });
    await writeFile(path.join(partial, 'find-by.mjs'), SCRIPT);
    const ncc = path.join(ROOT, 'node_modules/.bin/ncc');
    await promisify(execFile)(
      ncc,
      ['build', path.join(partial, 'find-by.mjs'), '-o', path.join(partial, 'dist'), '-q'],
      {
        cwd: ROOT,
      },
    );
    await rm(folder, { recursive: true, force: true });
    await rename(partial, folder);
    return output;
  }
}

function runNode(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  bundle = await buildBundle();
  emu = await startEmulator();
  dir = await mkdtemp(path.join(tmpdir(), 'emu-gh-bundle-'));
  Object.assign(process.env, emu.env, { GITHUB_WORKSPACE: dir, AWS_EC2_METADATA_DISABLED: 'true' });
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
}, 180_000);

afterAll(async () => {
  jest.restoreAllMocks();
  await emu?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test("a second process with run 3000's token downloads run 1000's artifact through findBy", async () => {
  await writeFile(path.join(dir, 'layer.txt'), 'built by run 1000\n');
  const { DefaultArtifactClient } = await import('@actions/artifact');
  const uploaded = await new DefaultArtifactClient().uploadArtifact(
    'lambda-layer-demo',
    [path.join(dir, 'layer.txt')],
    dir,
  );

  const minted = await fetch(`${emu.url}/__emulator/github/runtime-token`, {
    method: 'POST',
    body: JSON.stringify({ runId: 3000, jobId: 2 }),
  });
  const { env: runEnv } = (await minted.json()) as { env: Record<string, string> };
  const target = path.join(dir, 'downloaded');
  const child = await runNode([bundle, 'lambda-layer-demo', '1000', 'octo-org', 'octo-layer', target], {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    GITHUB_WORKSPACE: dir,
    ...emu.env,
    ...runEnv,
  });
  expect(child.code).toBe(0);
  const report = JSON.parse(child.stderr.trim().split('\n').pop() as string) as {
    artifact: { id: number; digest: string };
    result: { digestMismatch: boolean };
    own: number;
  };
  expect(report.artifact).toMatchObject({ id: uploaded.id, digest: `sha256:${uploaded.digest}` });
  expect(report.result.digestMismatch).toBe(false);
  expect(report.own).toBe(0);
  expect(await readFile(path.join(target, 'layer.txt'), 'utf8')).toBe('built by run 1000\n');
  const runs = emu.server.log
    .filter((e) => e.path.includes('/actions/'))
    .map((e) => `${e.method} ${e.path} ${e.status}`);
  expect(runs).toEqual([
    'GET /repos/octo-org/octo-layer/actions/runs/1000/artifacts 200',
    `GET /repos/octo-org/octo-layer/actions/artifacts/${uploaded.id}/zip 302`,
  ]);
});
