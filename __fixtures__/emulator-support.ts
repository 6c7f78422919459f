/** Helpers for the emulator's contract tests: zips, the AWS CLI, moto, free ports. */
import { afterAll, beforeAll, describe } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startAwsRunner, type CliRun } from './aws-cli-batch.js';
import { craftZip } from './zip-craft.js';

export const DUMMY_ENV = {
  AWS_ACCESS_KEY_ID: 'AKIAEMULATORTEST0000',
  AWS_SECRET_ACCESS_KEY: 'dummy-secret',
  AWS_EC2_METADATA_DISABLED: 'true',
} as const;

/** A zip with the given entries, stored (no compression): enough for Lambda, and byte-exact for hashing. */
export function makeZip(files: Record<string, Buffer | string>, declaredSize?: number): Buffer {
  // The sizes are what Lambda reads for the unzipped size; a test may overstate them.
  const declared = declaredSize === undefined ? {} : { declaredSize };
  return craftZip(Object.entries(files).map(([name, data]) => ({ name, data, stored: true, ...declared })));
}

/** The account of the dummy keys, on the emulator (its default account) and on moto (its default) alike. */
export const ACCOUNT = '123456789012';

/** A Python function's code (46 bytes unzipped): what every function suite creates its functions with. */
export const FUNCTION_CODE = makeZip({ 'index.py': 'def handler(event, context):\n    return event\n' });

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(tmpdir(), prefix));
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Why the AWS CLI cannot be used here, or undefined when it can. */
export function awsCliMissing(): string | undefined {
  const probe = spawnSync('aws', ['--version'], { encoding: 'utf8' });
  return probe.status === 0 ? undefined : 'the AWS CLI (`aws`) is not installed';
}

export interface CliResult {
  /** The parsed JSON output of a successful call ({} when it printed nothing). */
  json?: Record<string, unknown>;
  /** The error code of a failed call, as in "An error occurred (Code) when calling ...". */
  error?: string;
  stderr: string;
}

export type Cli = (...args: string[]) => Promise<CliResult>;

/** A CLI whose processes the suite ends in its afterAll. */
export type ClosableCli = Cli & { close(): Promise<void> };

export interface AwsCliBinary {
  /** `v1` or `v2`, from `aws --version`. */
  major: string;
  path: string;
}

/**
 * The AWS CLIs on this machine, one per major version: `aws` on PATH (pip's v1 here) and Debian's /usr/bin/aws
 * (v2 from the awscli package), so that both parsers are checked where both are installed.
 */
export function awsClis(): AwsCliBinary[] {
  const found = new Map<string, string>();
  for (const candidate of ['aws', '/usr/bin/aws']) {
    const probe = spawnSync(candidate, ['--version'], { encoding: 'utf8' });
    const major = /aws-cli\/(\d+)\./.exec(`${probe.stdout}${probe.stderr}`)?.[1];
    if (probe.status === 0 && major && !found.has(`v${major}`)) found.set(`v${major}`, candidate);
  }
  return [...found].map(([major, path]) => ({ major, path }));
}

/**
 * Runs `aws --endpoint-url URL ...` with empty config files and dummy keys, nothing from this machine. The calls go
 * through at most `processes` long-lived CLI processes (aws-cli-batch.ts) rather than one process per call (0: one
 * process per call, as a user runs it); close() ends them.
 */
export async function awsCli(endpoint: string, dir: string, binary = 'aws', processes = 2): Promise<ClosableCli> {
  const config = path.join(dir, 'config');
  const credentials = path.join(dir, 'credentials');
  await writeFile(config, '');
  await writeFile(credentials, '');
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    AWS_CONFIG_FILE: config,
    AWS_SHARED_CREDENTIALS_FILE: credentials,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_PAGER: '',
    AWS_MAX_ATTEMPTS: '1',
    ...DUMMY_ENV,
  };
  const runner = await startAwsRunner(binary, env, processes);
  const cli = async (...args: string[]) =>
    cliResult(await runner.run(['--endpoint-url', endpoint, '--output', 'json', ...args]));
  return Object.assign(cli, { close: () => runner.close() });
}

/** A run as a CliResult: the JSON it printed, or the error code of "An error occurred (Code) when calling ...". */
export function cliResult({ rc, stdout, stderr }: CliRun): CliResult {
  if (rc === 0) {
    try {
      return { json: stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {}, stderr };
    } catch {
      // A command that prints text (aws s3 cp).
      return { error: `not JSON: ${stdout.slice(0, 200)}`, stderr };
    }
  }
  const code = /An error occurred \(([^)]+)\)/.exec(stderr)?.[1] ?? `exit ${String(rc)}: ${stderr.trim()}`;
  return { error: code, stderr };
}

/** Why moto cannot be used here, or undefined when it can. */
export function motoMissing(): string | undefined {
  const probe = spawnSync('python3', ['-c', 'import moto.server'], { encoding: 'utf8' });
  return probe.status === 0
    ? undefined
    : `python3 cannot import moto's server (${probe.stderr.trim().split('\n').pop()})`;
}

export interface Moto {
  url: string;
  stop(): Promise<void>;
}

/**
 * A describe block that runs against moto when python3 can import it, and is skipped with the reason in its title
 * when not. `moto()` is the server, started before the block's tests and stopped after them.
 */
export function describeOnMoto(title: string, body: (moto: () => Moto) => void): void {
  const missing = motoMissing();
  if (missing) {
    describe.skip(`${title} (skipped: ${missing})`, () => body(() => ({ url: '', stop: async () => {} })));
    return;
  }
  describe(title, () => {
    let server: Moto | undefined;
    beforeAll(async () => {
      server = await startMoto();
    }, 60_000);
    afterAll(async () => {
      await server?.stop();
    });
    body(() => {
      if (!server) throw new Error('moto is not running (its beforeAll failed)');
      return server;
    });
  });
}

/** Starts `python3 -m moto.server` on a free loopback port and waits (bounded) until it answers. */
export async function startMoto(): Promise<Moto> {
  const port = await freePort();
  const child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/moto-api/`)).ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill();
      throw new Error(`moto did not start on ${url}: ${stderr}`);
    }
    await sleep(100);
  }
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * A request that carries a SigV4-shaped Authorization header (the emulator reads the scope, it does not check the
 * signature), for looking at the raw JSON an SDK would hide.
 */
export async function rawAws(
  url: string,
  service: string,
  region: string,
  method: string,
  pathAndQuery: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; text: string; json: Record<string, unknown> | undefined }> {
  const authorization =
    `AWS4-HMAC-SHA256 Credential=${DUMMY_ENV.AWS_ACCESS_KEY_ID}/20260101/${region}/${service}/aws4_request, ` +
    'SignedHeaders=host, Signature=0000';
  const response = await fetch(`${url}${pathAndQuery}`, { method, headers: { authorization, ...headers }, body });
  const text = await response.text();
  const json = text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  return { status: response.status, headers: response.headers, text, json };
}

/** moto checks that a function's execution role exists in its IAM (AWS checks that Lambda can assume it). */
export async function createMotoRole(url: string, roleName: string): Promise<void> {
  const body = new URLSearchParams({
    Action: 'CreateRole',
    Version: '2010-05-08',
    RoleName: roleName,
    AssumeRolePolicyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    }),
  }).toString();
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  const created = await rawAws(url, 'iam', 'us-east-1', 'POST', '/', body, headers);
  if (created.status !== 200) throw new Error(`moto CreateRole: ${created.status} ${created.text}`);
}

/** Calls a route under /__emulator/ and returns its JSON answer. */
export async function control(url: string, method: string, route: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${url}/__emulator/${route}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? undefined : response.json();
}

/** Sets `vars` in process.env and returns a function that puts the previous values back. */
export function useEnv(vars: Record<string, string>): () => void {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

/**
 * Uploads files as an artifact of the run in `env` (its runtime token) through the real @actions/artifact client,
 * as a build job would; the client's log lines are kept out of the test output.
 */
export async function uploadArtifact(
  env: Record<string, string>,
  name: string,
  files: string[],
  root: string,
): Promise<void> {
  const { GitHubArtifactStore } = await import('../src/artifact/github.js');
  const saved = { ...process.env };
  const write = process.stdout.write;
  Object.assign(process.env, env);
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    await new GitHubArtifactStore().upload(name, files, root);
  } finally {
    process.stdout.write = write;
    process.env = saved;
  }
}

/** The RequestError an Octokit call rejects with, as its status and GitHub's error body; fails when it succeeds. */
export async function octokitFailure(
  call: Promise<unknown>,
): Promise<{ status: number; data: Record<string, unknown> }> {
  try {
    await call;
  } catch (error) {
    const e = error as { status: number; response?: { data: Record<string, unknown> } };
    return { status: e.status, data: e.response?.data ?? {} };
  }
  throw new Error('expected the call to fail');
}
