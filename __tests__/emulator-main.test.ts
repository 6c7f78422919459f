import { LambdaClient, ListLayersCommand } from '@aws-sdk/client-lambda';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { describe, expect, test } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVICES } from '../emulators/http.js';
import { HELP, OPTIONS, UsageError, parseEmulatorArgs } from '../emulators/options.js';
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
  // The parser runs in process (parseEmulatorArgs); one bad option and --help go through the real entry point.
  test.each([
    [['--fault-rate', '2'], '--fault-rate is a probability between 0 and 1'],
    [['--port', '99999'], '--port must be an integer from 0 to 65535'],
    [['--port', '1.5'], '--port must be an integer'],
    [['--latency-ms', 'abc'], "--latency-ms must be a non-negative number, got 'abc'"],
    [['--latency-ms', ''], '--latency-ms must be a non-negative number'],
    [['--retry-after=-1'], '--retry-after must be a non-negative number'],
    [['--faults', '404'], "Unknown fault '404'"],
    [['--faults', ','], '--faults names no fault kind'],
    [['--fault-services', 'lambda,nope'], "Unknown service 'nope' in --fault-services"],
    [['--latency-services', 'iam'], "Unknown service 'iam' in --latency-services"],
    [['--not-enabled', 'Foo_Bar'], "--not-enabled: 'Foo_Bar' is not a region name"],
    [['--denied', 'us-east'], "--denied: 'us-east' is not a region name"],
    [['--rate-limit', 'fast'], "--rate-limit must be a non-negative number, got 'fast'"],
    [['--function-update-ms', 'soon'], "--function-update-ms must be a non-negative number, got 'soon'"],
    [['--nope'], "Unknown option '--nope'"],
    [['eu-west-1'], "Unexpected argument 'eu-west-1'"],
  ])('refuses %j', (args, message) => {
    expect(() => parseEmulatorArgs(args)).toThrow(UsageError);
    expect(() => parseEmulatorArgs(args)).toThrow(message);
  });

  test('a bad option: its message and the usage on stderr, nothing on stdout, exit 2', async () => {
    const { code, stdout, stderr } = await runMain(['--port', '99999']);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toContain('--port must be an integer from 0 to 65535');
    expect(stderr).toContain('Usage: npm run emulate --');
  });

  test('--help describes every option and service, exit 0', async () => {
    expect(parseEmulatorArgs(['--help'])).toEqual({ help: true });
    const options = Object.keys(OPTIONS).map((name) => `--${name}`);
    expect(options.length).toBeGreaterThan(10);
    for (const option of options) expect(HELP).toMatch(new RegExp(`^  ${option} `, 'm'));
    for (const service of SERVICES) expect(HELP).toContain(service);
    expect(await runMain(['--help'])).toEqual({ code: 0, stdout: HELP, stderr: '' });
  });

  test('the env line has every variable the READMEs list; SIGTERM exits 0', async () => {
    const emulator = await start(TSX, ['emulators/main.ts'], false);
    emulator.child.kill('SIGTERM');
    expect(await emulator.exited).toEqual({ code: 0, signal: null });
    const listed = new Map<string, string | undefined>();
    for (const [file, heading] of README_SECTIONS) {
      const text = await readFile(path.join(ROOT, file), 'utf8');
      const section = text.slice(text.indexOf(heading), text.indexOf('\n## ', text.indexOf(heading) + 1));
      // A sentence that says a variable is left unset names one the env line must not have.
      for (const sentence of section.split(/\.\s/).filter((s) => !/left unset/.test(s))) {
        for (const m of sentence.matchAll(/`([A-Z][A-Z0-9_]{3,})(?:=([^`]*))?`/g)) listed.set(m[1], m[2]);
      }
    }
    expect(listed.size).toBeGreaterThan(15);
    for (const [name, value] of listed) {
      expect([name, emulator.env[name] !== undefined]).toEqual([name, true]);
      if (value !== undefined) expect([name, emulator.env[name]]).toEqual([name, value]);
    }
    expect(emulator.env.GITHUB_SERVER_URL).toBeUndefined();
  }, 30_000);

  test('the flags reach the running emulator', async () => {
    const flags = ['--latency-ms', '300', '--latency-services', 'ec2', '--faults', '429', '--fault-services', 'ssm'];
    const more = [
      '--seed',
      'x',
      '--retry-after',
      '4',
      '--not-enabled',
      'ap-east-1',
      '--denied',
      'eu-south-2,me-south-1',
      '--immutable-releases',
      '--rate-limit',
      '15',
      '--function-update-ms',
      '40',
    ];
    const emulator = await start(TSX, ['emulators/main.ts', ...flags, ...more], false);
    try {
      const url = emulator.env.AWS_ENDPOINT_URL;
      const config = await (await fetch(`${url}/__emulator/config`)).json();
      expect(config).toEqual({
        latencyMs: 300,
        latencyServices: ['ec2'],
        faults: { rate: 0.25, kinds: ['429'], seed: 'x', services: ['ssm'], retryAfterSeconds: 4 },
      });
      expect(await (await fetch(`${url}/__emulator/aws/config`)).json()).toMatchObject({
        notEnabled: ['ap-east-1'],
        denied: ['eu-south-2', 'me-south-1'],
        rateLimit: 15,
        functionUpdateMs: 40,
      });
      expect(await (await fetch(`${url}/__emulator/github/config`)).json()).toEqual({ immutableReleases: true });
      const restore = useEnv(emulator.env);
      try {
        expect(await listLayers('us-east-1')).toBe('ok');
        const ec2Started = performance.now();
        await new EC2Client({ region: 'us-east-1', maxAttempts: 1 }).send(new DescribeRegionsCommand({}));
        const ec2Ms = performance.now() - ec2Started;
        // A lower bound only (timing goals belong in bench/): EC2 answers after the latency.
        expect(ec2Ms).toBeGreaterThanOrEqual(290);
      } finally {
        restore();
      }
    } finally {
      emulator.child.kill('SIGTERM');
      await emulator.exited;
    }
  }, 30_000);
});

/** README sections that list the env line's variables: [file, heading]. */
const README_SECTIONS = [
  ['README.md', '## Local services'],
  ['emulators/aws/README.md', '## Variables'],
  ['emulators/github/README.md', '## Environment'],
] as const;

/** Runs emulators/main.ts to its exit (bounded: 20 s). */
function runMain(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(TSX, ['emulators/main.ts', ...args], { cwd: ROOT, env: BASE_ENV, timeout: 20_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
