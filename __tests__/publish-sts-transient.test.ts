/**
 * STS failing transiently, through the publish bundle with `role-to-assume` and GitHub OIDC against the emulator:
 * a reset connection ("socket hang up") is tried again beyond the SDK's own attempts, and when it persists the step
 * says it is transient, not a trust policy to check; nothing is sent to Lambda. Shipped defaults throughout.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runAction, type ActionRun } from '../__fixtures__/action.js';
import { makeZip } from '../__fixtures__/emulator-support.js';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import { FaultPlan } from '../emulators/faults.js';

const ROLE = 'arn:aws:iam::123456789012:role/layer-publisher';
let emu: RunningEmulator;
let ws: string;

beforeAll(async () => {
  emu = await startEmulator();
  ws = await mkdtemp(path.join(tmpdir(), 'llr-sts-'));
  await writeFile(path.join(ws, 'layer.zip'), makeZip({ 'python/a.py': 'a = 1\n' }));
});

afterAll(async () => {
  await emu?.stop();
});

async function faults(settings: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${emu.url}/__emulator/config`, {
    method: 'POST',
    body: JSON.stringify({ faults: settings }),
  });
  expect(res.status).toBe(200);
}

function publish(): Promise<ActionRun> {
  return runAction(
    'publish',
    { name: 'sts', zip: 'layer.zip', version: '1.0.0', regions: 'us-east-1', 'role-to-assume': ROLE },
    { ...emu.env, GITHUB_EVENT_NAME: 'push' },
    { cwd: ws },
  );
}

const sts = () => emu.server.requests({ service: 'sts' });

describe('STS resets every connection', () => {
  afterAll(() => faults({ rate: 0, services: [] }));

  test('the step fails saying the failure is transient, after more attempts than the SDK makes alone', async () => {
    await faults({ rate: 1, kinds: ['reset'], services: ['sts'], seed: 'always' });
    const before = sts().length;
    const run = await publish();
    expect(run.code).toBe(1);
    expect(run.errors).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Could not get AWS credentials from role ${ROLE} through GitHub OIDC: .*; a transient failure of STS or of the network to it \\(3 attempts\\), not a problem of the role or its trust policy; rerun the job\\.$`,
        ),
      ),
    ]);
    expect(run.errors[0]).not.toContain("check the role's trust policy");
    expect(sts().length - before).toBeGreaterThan(3);
    expect(emu.server.requests({ service: 'lambda' })).toEqual([]);
  }, 60_000);
});

test('STS failing for every attempt the SDK makes, then answering: retried and published', async () => {
  await faults({ rate: 1, kinds: ['reset'], services: ['sts'], seed: 'key' });
  await publish();
  const key = sts().at(-1)!.key!;
  // A seed whose first three draws for this request are resets and whose fourth is not.
  const plan = new FaultPlan({ rate: 0.6, kinds: ['reset'], seed: '', retryAfterSeconds: 1 });
  let seed = 0;
  for (; seed < 10_000; seed++) {
    plan.reset({ seed: String(seed) });
    const draws = [0, 1, 2, 3].map(() => plan.decide('sts', key));
    if (draws.slice(0, 3).every((d) => d === 'reset') && draws[3] === undefined) break;
  }
  await faults({ rate: 0.6, kinds: ['reset'], services: ['sts'], seed: String(seed) });
  const before = sts().length;
  const run = await publish();
  expect([run.code, run.errors]).toEqual([0, []]);
  const statuses = sts()
    .slice(before)
    .map((e) => e.status);
  expect(statuses.slice(0, 3)).toEqual(['reset', 'reset', 'reset']);
  expect(statuses[3]).toBe(200);
  await faults({ rate: 0, services: [] });
}, 60_000);
