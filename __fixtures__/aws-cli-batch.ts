/**
 * Many AWS CLI calls through a few long-lived `aws` processes instead of one process per call: starting the CLI is
 * about a second of Python imports, a call in a running CLI a few tens of milliseconds. The `aws` program itself is
 * started (the same binary, shim or interpreter as a per-call run) with aws-cli-batch/ on PYTHONPATH, whose
 * sitecustomize.py hands each call to the CLI's own entry point. Where that cannot work (a CLI that is not a Python
 * script, such as AWS's bundled installer), every call gets its own process, as before.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** What `aws ARGS` did: its exit status (null when killed) and what it printed. */
export interface CliRun {
  rc: number | null;
  stdout: string;
  stderr: string;
}

export interface CliRunner {
  run(args: string[]): Promise<CliRun>;
  /** Ends the processes the runner started (a per-call runner has none left). */
  close(): Promise<void>;
  /** `batch` when calls share processes, `per-call` when each has its own. */
  mode: 'batch' | 'per-call';
}

const HOOK_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'aws-cli-batch');
/** Bounds, as the per-call runs had: a call, and a CLI's start-up. */
const CALL_TIMEOUT_MS = 60_000;
const READY_TIMEOUT_MS = 30_000;

/** One process per call (the fallback, and the reference the batch is checked against). */
export function runAwsOnce(binary: string, args: string[], env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(binary, args, { env, maxBuffer: 64 * 1024 * 1024, timeout: CALL_TIMEOUT_MS }, (err, stdout, stderr) => {
      const rc = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ rc, stdout, stderr });
    });
  });
}

interface Pending {
  resolve(run: CliRun): void;
  timer: NodeJS.Timeout;
}

/** One `aws` process that runs the calls it is given one after the other. */
class BatchProcess {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private stderr = '';
  readonly exited: Promise<void>;

  private constructor(private readonly child: ChildProcess) {
    this.exited = new Promise((resolve) => child.once('close', () => resolve()));
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-4000)));
    child.once('close', () => {
      for (const [, p] of this.pending) {
        clearTimeout(p.timer);
        p.resolve({ rc: null, stdout: '', stderr: `the aws process ended: ${this.stderr}` });
      }
      this.pending.clear();
    });
  }

  /** Starts `binary` in batch mode; undefined when it does not answer as a batch (not a Python CLI). */
  static async start(binary: string, env: Record<string, string>): Promise<BatchProcess | undefined> {
    const child = spawn(binary, [], {
      env: { ...env, PYTHONPATH: HOOK_DIR, PYTHONDONTWRITEBYTECODE: '1', LLR_AWS_CLI_BATCH: '1' },
      stdio: ['pipe', 'ignore', 'pipe', 'pipe'],
    });
    child.on('error', () => undefined);
    const batch = new BatchProcess(child);
    const answers = createInterface({ input: child.stdio[3] as NodeJS.ReadableStream });
    const ready = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), READY_TIMEOUT_MS);
      child.once('close', () => resolve(false));
      answers.once('line', (line) => {
        clearTimeout(timer);
        resolve(line.includes('"ready"'));
      });
    });
    if (!ready) {
      child.kill('SIGKILL');
      await batch.exited;
      return undefined;
    }
    answers.on('line', (line) => batch.answer(line));
    return batch;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  run(args: string[]): Promise<CliRun> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        // A hung call: end the process (its other calls fail with it), as execFile's timeout would.
        this.pending.delete(id);
        this.child.kill('SIGKILL');
        resolve({ rc: null, stdout: '', stderr: `timed out after ${CALL_TIMEOUT_MS} ms` });
      }, CALL_TIMEOUT_MS);
      this.pending.set(id, { resolve, timer });
      this.child.stdin?.write(`${JSON.stringify({ id, args })}\n`);
    });
  }

  private answer(line: string): void {
    const { id, rc, stdout, stderr } = JSON.parse(line) as CliRun & { id: number };
    const p = this.pending.get(id);
    if (!p) return;
    clearTimeout(p.timer);
    this.pending.delete(id);
    p.resolve({ rc, stdout, stderr });
  }

  async close(): Promise<void> {
    this.child.stdin?.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await this.exited;
    clearTimeout(timer);
  }
}

/**
 * Runs `binary ARGS` calls through at most `processes` batch processes at once (calls beyond that wait for a free
 * one), or one process per call when `processes` is 0 or the binary cannot batch.
 */
export async function startAwsRunner(
  binary: string,
  env: Record<string, string>,
  processes: number,
): Promise<CliRunner> {
  const perCall: CliRunner = { mode: 'per-call', run: (args) => runAwsOnce(binary, args, env), close: async () => {} };
  if (processes <= 0) return perCall;
  const first = await BatchProcess.start(binary, env);
  if (!first) {
    process.stdout.write(`[aws-cli] ${binary} cannot run calls in one process; each call starts its own\n`);
    return perCall;
  }
  const all: BatchProcess[] = [first];
  const idle: BatchProcess[] = [first];
  const waiting: ((p: BatchProcess | undefined) => void)[] = [];
  let starting = 0;
  const acquire = async (): Promise<BatchProcess | undefined> => {
    const free = idle.pop();
    if (free) return free;
    if (all.length + starting < processes) {
      starting++;
      const started = await BatchProcess.start(binary, env);
      starting--;
      if (started) all.push(started);
      return started;
    }
    return new Promise((resolve) => waiting.push(resolve));
  };
  const release = (p: BatchProcess) => {
    if (!p.alive && all.includes(p)) all.splice(all.indexOf(p), 1);
    const next = waiting.shift();
    if (next) next(p.alive ? p : undefined);
    else if (p.alive) idle.push(p);
  };
  return {
    mode: 'batch',
    async run(args) {
      const p = await acquire();
      if (!p?.alive) {
        // A process that died (a hung call was killed) is not reused; this call gets a process of its own.
        if (p && all.includes(p)) all.splice(all.indexOf(p), 1);
        return runAwsOnce(binary, args, env);
      }
      try {
        return await p.run(args);
      } finally {
        release(p);
      }
    },
    async close() {
      await Promise.all(all.map((p) => p.close()));
    },
  };
}
