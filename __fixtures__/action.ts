import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The bundle the tests run. CI checks that dist/ is current; a developer with a bundle built elsewhere
 * (for example `ncc build src/index.ts -o .tmp/dist`) points LLR_BUNDLE at it.
 */
export const BUNDLE = process.env.LLR_BUNDLE ? path.resolve(process.env.LLR_BUNDLE) : path.join(ROOT, 'dist/index.js');

export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** Lines the action logged as ::error:: / ::warning:: commands. */
  errors: string[];
  warnings: string[];
}

/** Parses the GITHUB_OUTPUT / GITHUB_ENV file format (`name<<delimiter` blocks and `name=value` lines). */
export function parseCommandFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const value: string[] = [];
      while (++i < lines.length && lines[i] !== delimiter) value.push(lines[i]);
      values[name] = value.join('\n');
    } else if (line.includes('=')) {
      const at = line.indexOf('=');
      values[line.slice(0, at)] = line.slice(at + 1);
    }
  }
  return values;
}

/**
 * Runs the bundled action as its own process, as a runner would: inputs as INPUT_* variables, GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY files, and nothing else from this process's environment but PATH and HOME.
 */
export async function runAction(
  command: string,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
  /**
   * `signal`: aborting it kills the process at once (SIGKILL), as a runner that gave up waiting does; with
   * `killSignal: 'SIGINT'`, it is sent what a runner sends a step first when the run is cancelled.
   */
  options: {
    cwd?: string;
    timeoutMs?: number;
    node?: string;
    signal?: AbortSignal;
    killSignal?: NodeJS.Signals;
    bundle?: string;
  } = {},
): Promise<ActionRun> {
  const dir = await mkdtemp(path.join(tmpdir(), 'llr-run-'));
  const outputFile = path.join(dir, 'output');
  const summaryFile = path.join(dir, 'summary');
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');
  const inputEnv: Record<string, string> = { INPUT_COMMAND: command };
  for (const [name, value] of Object.entries(inputs))
    inputEnv[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  const child = spawn(options.node ?? process.execPath, [options.bundle ?? BUNDLE], {
    cwd: options.cwd ?? dir,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dir,
      RUNNER_TEMP: dir,
      GITHUB_WORKSPACE: options.cwd ?? dir,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      AWS_EC2_METADATA_DISABLED: 'true',
      ...env,
      ...inputEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.signal ? { signal: options.signal, killSignal: options.killSignal ?? 'SIGKILL' } : {}),
  });
  // An aborted run is reported through its exit code (null), not as an error.
  child.on('error', () => undefined);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  const commands = (kind: string) =>
    stdout
      .split('\n')
      .filter((l) => l.startsWith(`::${kind}`))
      .map((l) => l.slice(l.indexOf('::', 2) + 2));
  return {
    code,
    stdout,
    stderr,
    outputs: parseCommandFile(await readFile(outputFile, 'utf8')),
    summary: await readFile(summaryFile, 'utf8'),
    errors: commands('error'),
    warnings: commands('warning'),
  };
}
