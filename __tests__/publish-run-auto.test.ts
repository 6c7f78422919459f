/**
 * `run-id: auto` through the bundles and the emulator's artifact service and workflow runs: this run's artifact
 * first; else the newest run of this commit that succeeded on a push or release event (never a failed, unfinished
 * or pull_request run, however new); the manifest's commit must be this commit; the log names the run taken.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runAction, type ActionRun } from '../__fixtures__/action.js';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import { mintRuntimeToken } from '../emulators/github/index.js';

let emu: RunningEmulator;
let ws: string;
const NAME = 'auto';
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

function asRun(runId: number, env: Record<string, string> = {}): Record<string, string> {
  return {
    ...emu.env,
    ACTIONS_RUNTIME_TOKEN: mintRuntimeToken({ runId, jobId: 1 }),
    GITHUB_RUN_ID: String(runId),
    ...env,
  };
}

async function seedRun(fields: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${emu.url}/__emulator/github/runs`, { method: 'POST', body: JSON.stringify(fields) });
  expect(res.status).toBe(201);
}

/** Builds a layer whose content says `marker` as run `runId`, then gives the run its event, outcome and age. */
async function buildAs(runId: number, marker: string, run: Record<string, unknown>, env: Record<string, string> = {}) {
  const dir = path.join(ws, `src-${runId}`);
  await mkdir(path.join(dir, 'python'), { recursive: true });
  await writeFile(path.join(dir, 'python', 'which.py'), `BUILT_BY = "${marker}"\n`);
  const build = await runAction('build', { name: NAME, path: dir }, asRun(runId, env), { cwd: ws });
  expect([build.code, build.errors]).toEqual([0, []]);
  await seedRun({ id: runId, ...run });
  return build.outputs.sha256;
}

function publish(runId: number): Promise<ActionRun> {
  return runAction(
    'publish',
    { name: NAME, regions: 'us-east-1', 'run-id': 'auto', 'github-token': emu.env.GITHUB_TOKEN, 'dry-run': 'true' },
    asRun(runId),
    { cwd: ws },
  );
}

beforeAll(async () => {
  emu = await startEmulator();
  ws = await mkdtemp(path.join(tmpdir(), 'llr-run-auto-'));
}, 60_000);

afterAll(async () => {
  await emu?.stop();
});

describe('run-id: auto', () => {
  let pushBuild: string;
  let prBuild: string;

  beforeAll(async () => {
    const done = { status: 'completed' };
    pushBuild = await buildAs(2001, 'push', {
      ...done,
      conclusion: 'success',
      event: 'push',
      created_at: minutesAgo(30),
    });
    await buildAs(2002, 'release', { ...done, conclusion: 'success', event: 'release', created_at: minutesAgo(40) });
    // Newer than 2001, each with an artifact of the same name and other content, and each unfit.
    await buildAs(2003, 'failed push', { ...done, conclusion: 'failure', event: 'push', created_at: minutesAgo(20) });
    prBuild = await buildAs(2004, 'pull request', {
      ...done,
      conclusion: 'success',
      event: 'pull_request',
      created_at: minutesAgo(10),
    });
    await buildAs(2005, 'running', { status: 'in_progress', event: 'push', created_at: minutesAgo(5) });
    await buildAs(2006, 'dispatch', {
      ...done,
      conclusion: 'success',
      event: 'workflow_dispatch',
      created_at: minutesAgo(1),
    });
  }, 120_000);

  test('without an artifact of its own: the newest successful push or release run of the commit, named in the log', async () => {
    const run = await publish(3000);
    expect([run.code, run.errors]).toEqual([0, []]);
    expect(run.stdout).toMatch(
      /from artifact 'lambda-layer-auto' of run 2001 \(push, success, created [^)]+\); verified\./,
    );
    expect(run.stdout).toContain(`sha256 ${pushBuild}`);
    expect(run.stdout).not.toContain(prBuild);
  });

  test("this run's own artifact wins over a newer failed pull_request run's of the same name", async () => {
    const own = await buildAs(4000, 'this run', { status: 'in_progress', event: 'release', created_at: minutesAgo(2) });
    await buildAs(4001, 'newer failed pr', {
      status: 'completed',
      conclusion: 'failure',
      event: 'pull_request',
      created_at: new Date(Date.now() + 60_000).toISOString(),
    });
    const run = await publish(4000);
    expect([run.code, run.errors]).toEqual([0, []]);
    expect(run.stdout).toContain(`sha256 ${own}`);
    expect(run.stdout).toContain("from artifact 'lambda-layer-auto' of this run (run 4000); verified.");
  });
});

describe('run-id: auto refuses', () => {
  test('a manifest built from another commit than the run says: nothing sent to AWS', async () => {
    const commit = 'a'.repeat(40);
    await buildAs(
      5001,
      'other commit',
      {
        status: 'completed',
        conclusion: 'success',
        event: 'push',
        created_at: new Date(Date.now() + 120_000).toISOString(),
      },
      { GITHUB_SHA: commit },
    );
    const before = emu.server.requests({ service: 'lambda' }).length;
    const run = await publish(5000);
    expect(run.code).toBe(1);
    expect(run.errors).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Input 'run-id': the artifact 'lambda-layer-auto' of run 5001 .* was built from commit ${commit}, not this run's ${emu.env.GITHUB_SHA}`,
        ),
      ),
    ]);
    expect(emu.server.requests({ service: 'lambda' }).length).toBe(before);
  });

  test('no fit run at all: one line saying what was passed over', async () => {
    const run = await runAction(
      'publish',
      { name: 'nowhere', regions: 'us-east-1', 'run-id': 'auto', 'github-token': emu.env.GITHUB_TOKEN },
      asRun(6000),
      { cwd: ws },
    );
    expect(run.code).toBe(1);
    expect(run.errors).toEqual([
      expect.stringMatching(
        /^Input 'run-id': 'auto' found no artifact 'lambda-layer-nowhere' in this run nor in the \d+ newest successful push or release runs of commit [0-9a-f]{40} \(\d+ other run\(s\) of it were passed over: failed, unfinished, or of another event\)/,
      ),
    ]);
  });
});
