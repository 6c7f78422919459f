import { LambdaClient, ListLayersCommand } from '@aws-sdk/client-lambda';
import { describe, expect, test } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { useEnv } from '../__fixtures__/emulator-support.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const BASE_ENV = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };

interface Started {
  child: ChildProcess;
  lines: string[];
  env: Record<string, string>;
  /** Milliseconds from spawn to the env line. */
  readyMs: number;
  /** Resolves when every process holding stdout has gone (the emulator included). */
  closed: Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the emulator's entry point and waits (at most 20 s) for its one line of JSON. */
function start(command: string, args: string[], detached: boolean): Promise<Started> {
  const started = performance.now();
  const child = spawn(command, args, { cwd: ROOT, env: BASE_ENV, detached, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const closed = new Promise<void>((resolve) => child.stdout?.once('close', () => resolve()));
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no env line within 20 s; stderr: ${stderr}`)), 20_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((l) => l.startsWith('{'));
      if (!line || !stdout.slice(stdout.indexOf(line)).includes('\n')) return;
      clearTimeout(timer);
      const { env } = JSON.parse(line) as { env: Record<string, string> };
      resolve({ child, lines: stdout.split('\n'), env, readyMs: performance.now() - started, closed, exited });
    });
    child.once('exit', () => reject(new Error(`exited before the env line; stderr: ${stderr}`)));
  });
}

async function listLayers(region: string): Promise<string> {
  return new LambdaClient({ region, maxAttempts: 1 }).send(new ListLayersCommand({})).then(
    () => 'ok',
    (err: Error) => err.name,
  );
}

describe('npm run emulate', () => {
  test('prints one line of env within 5 s, serves with it, and stops on SIGTERM', async () => {
    const emulator = await start(
      'npm',
      ['run', 'emulate', '--', '--not-enabled', 'ap-east-1', '--denied', 'eu-south-2'],
      true,
    );
    process.stdout.write(`npm run emulate: env line after ${Math.round(emulator.readyMs)} ms\n`);
    try {
      expect(emulator.readyMs).toBeLessThan(5000);
      // npm prints its "> script" banner; the emulator itself prints exactly the one JSON line.
      expect(emulator.lines.filter((l) => l.trim() && !l.startsWith('>'))).toHaveLength(1);
      const url = emulator.env.AWS_ENDPOINT_URL_LAMBDA;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(emulator.env).toMatchObject({
        AWS_ENDPOINT_URL_STS: url,
        AWS_ENDPOINT_URL_EC2: url,
        AWS_ENDPOINT_URL_SSM: url,
        AWS_ENDPOINT_URL_S3: url,
        AWS_ACCESS_KEY_ID: expect.any(String),
        AWS_SECRET_ACCESS_KEY: expect.any(String),
        AWS_REGION: 'us-east-1',
        AWS_EC2_METADATA_DISABLED: 'true',
      });
      const restore = useEnv(emulator.env);
      try {
        expect([await listLayers('us-east-1'), await listLayers('ap-east-1'), await listLayers('eu-south-2')]).toEqual([
          'ok',
          'UnrecognizedClientException',
          'AccessDeniedException',
        ]);
      } finally {
        restore();
      }
    } finally {
      // npm hands SIGTERM to the `sh -c` it started, which does not pass it on: signal the whole group.
      process.kill(-(emulator.child.pid as number), 'SIGTERM');
      await emulator.closed;
    }
    await expect(fetch(emulator.env.AWS_ENDPOINT_URL_LAMBDA)).rejects.toThrow();
  }, 30_000);
});

describe('emulators/main.ts', () => {
  test('exits 0 on SIGTERM', async () => {
    const emulator = await start(TSX, ['emulators/main.ts'], false);
    emulator.child.kill('SIGTERM');
    expect(await emulator.exited).toEqual({ code: 0, signal: null });
  }, 30_000);

  test('refuses a bad option with the usage, exit 2', async () => {
    const child = spawn(TSX, ['emulators/main.ts', '--fault-rate', '2'], { cwd: ROOT, env: BASE_ENV });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('--fault-rate is a probability between 0 and 1');
    expect(stderr).toContain('Usage: npm run emulate --');
  }, 30_000);
});
