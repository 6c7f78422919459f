/**
 * Where the zip comes from, through the bundles and the emulator's artifact service: another run (`run-id`), the
 * newest run that built this commit (`auto`), and an artifact whose zip does not match its manifest (refused before
 * any AWS request).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runAction } from '../__fixtures__/action.js';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import { mintRuntimeToken } from '../emulators/github/index.js';
import { makeZip, uploadArtifact } from '../__fixtures__/emulator-support.js';

let emu: RunningEmulator;
let ws: string;
const BUILD_RUN = 2001;

function asRun(runId: number): Record<string, string> {
  return { ...emu.env, ACTIONS_RUNTIME_TOKEN: mintRuntimeToken({ runId, jobId: 1 }), GITHUB_RUN_ID: String(runId) };
}

beforeAll(async () => {
  emu = await startEmulator();
  ws = await mkdtemp(path.join(tmpdir(), 'llr-source-'));
  await mkdir(path.join(ws, 'layer/nodejs/node_modules/otel'), { recursive: true });
  await writeFile(path.join(ws, 'layer/nodejs/node_modules/otel/index.js'), 'module.exports = 1;\n');
  const build = await runAction('build', { name: 'cross', path: 'layer' }, asRun(BUILD_RUN), { cwd: ws });
  expect([build.code, build.errors]).toEqual([0, []]);
}, 60_000);

afterAll(async () => {
  await emu?.stop();
});

const publishInputs = { name: 'cross', regions: 'us-east-1', 'github-token': 'ghs_emulatorDummyToken0000000000000000' };

describe('the artifact of another run', () => {
  test('this run has no such artifact: a clear error, nothing sent to AWS', async () => {
    const run = await runAction('publish', publishInputs, emu.env, { cwd: ws });
    expect(run.code).toBe(1);
    expect(run.errors).toEqual([
      expect.stringMatching(/^Input 'artifact-name': this run has no artifact 'lambda-layer-cross'/),
    ]);
    expect(emu.server.requests({ service: 'lambda' })).toEqual([]);
  });

  test('run-id names the run', async () => {
    const run = await runAction('publish', { ...publishInputs, 'run-id': String(BUILD_RUN) }, emu.env, { cwd: ws });
    expect([run.code, run.errors]).toEqual([0, []]);
    expect(run.stdout).toContain(`from artifact 'lambda-layer-cross' of run ${BUILD_RUN}; verified.`);
  });

  test('run-id auto finds the newest run that built this commit', async () => {
    // The build run has finished well; a newer run of another commit, and the current run, hold no such artifact.
    await fetch(`${emu.url}/__emulator/github/runs`, {
      method: 'POST',
      body: JSON.stringify({ id: BUILD_RUN, status: 'completed', conclusion: 'success', event: 'push' }),
    });
    await fetch(`${emu.url}/__emulator/github/runs`, {
      method: 'POST',
      body: JSON.stringify({
        id: 3001,
        head_sha: 'f'.repeat(40),
        created_at: new Date(Date.now() + 60_000).toISOString(),
      }),
    });
    const run = await runAction('publish', { ...publishInputs, 'run-id': 'auto' }, emu.env, { cwd: ws });
    expect([run.code, run.errors]).toEqual([0, []]);
    expect(run.stdout).toMatch(new RegExp(`of run ${BUILD_RUN} \\(push, success, created [^)]+\\); verified\\.`));
    expect(JSON.parse(run.outputs['unchanged-regions'])).toEqual(['us-east-1']);
  });
});

describe('an artifact whose zip does not match its manifest', () => {
  test('is refused before anything is published', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'llr-tampered-'));
    const zip = makeZip({ 'python/t.py': 'x = 1\n' });
    await writeFile(path.join(dir, 'tampered-1.0.0.zip'), zip);
    const manifest = {
      schema: 1,
      name: 'tampered',
      version: '1.0.0',
      sha256: 'a'.repeat(64),
      codeSha256: Buffer.from('a'.repeat(64), 'hex').toString('base64'),
      size: zip.length,
      unzippedSize: 6,
      files: 1,
      runtimes: [],
      architectures: [],
      description: '',
      licenseInfo: '',
      commit: '',
      ref: '',
      runId: '1000',
      zipFile: 'tampered-1.0.0.zip',
    };
    await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    await uploadArtifact(
      emu.env,
      'lambda-layer-tampered',
      [path.join(dir, 'tampered-1.0.0.zip'), path.join(dir, 'manifest.json')],
      dir,
    );
    const lambdaBefore = emu.server.requests({ service: 'lambda' }).length;
    const run = await runAction('publish', { name: 'tampered', regions: 'us-east-1' }, emu.env, { cwd: ws });
    expect(run.code).toBe(1);
    expect(run.errors).toEqual([
      expect.stringMatching(
        /^The zip from artifact 'lambda-layer-tampered' of this run does not match its manifest \(sha256 [0-9a-f]{64}, \d+ bytes; the manifest says a{64}, \d+ bytes\); nothing was published\.$/,
      ),
    ]);
    expect(emu.server.requests({ service: 'lambda' }).length).toBe(lambdaBefore);
  });
});
