import * as core from '@actions/core';
import { runUndos } from '../cancel.js';
import { ConfigurationError, isStepOutcome } from '../errors.js';
import { runBuild } from './build.js';
import { runPublish } from './publish.js';
import { runReport } from './report.js';
import { runResolve } from './resolve.js';
import { runRollout } from './rollout.js';

export const COMMANDS = ['build', 'publish', 'report', 'resolve', 'rollout'] as const;
export type Command = (typeof COMMANDS)[number];

const RUNNERS: Record<Command, () => Promise<void>> = {
  build: runBuild,
  publish: runPublish,
  report: runReport,
  resolve: runResolve,
  rollout: runRollout,
};

export function parseCommand(value: string): Command {
  const command = value.trim().toLowerCase();
  if ((COMMANDS as readonly string[]).includes(command)) return command as Command;
  throw new ConfigurationError(`Invalid command '${value}'. Expected one of: ${COMMANDS.join(', ')}.`);
}

/**
 * The one place that turns an error into the failed step's message: a user's mistake (ConfigurationError), a
 * service that failed (ServiceError) and the fail-on verdict (FailOnVerdict) are each their message alone; anything
 * else is a bug and keeps its stack.
 */
export function failureText(err: unknown): string {
  if (isStepOutcome(err)) return err.message;
  const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
  return `${detail}\nThis is a bug in lambda-layer-release; please report it with the log above.`;
}

/**
 * The runner cancels a step with SIGINT, then SIGTERM 7.5 s later, then kills it 2.5 s after: the undos (src/cancel.ts)
 * get most of the window the signal leaves, then the step exits as a signal would end it (128 + the signal's number).
 * A second signal ends it at once.
 */
const CANCEL = {
  SIGINT: { withinMs: 5_000, code: 130 },
  SIGTERM: { withinMs: 2_000, code: 143 },
} as const;

let listening = false;

/** Installed once per process, by the first run(). */
function exitOnCancel(): void {
  if (listening) return;
  listening = true;
  let cancelling = false;
  const exit = (code: number) => process.exit(code);
  for (const signal of Object.keys(CANCEL) as (keyof typeof CANCEL)[]) {
    process.on(signal, () => {
      const { withinMs, code } = CANCEL[signal];
      if (cancelling) return exit(code);
      cancelling = true;
      void runUndos(withinMs).then(({ done, unfinished }) => {
        for (const what of done) core.info(`Cancelled (${signal}): ${what}: done.`);
        for (const what of unfinished) core.warning(`Cancelled (${signal}): ${what}: not done in time.`);
        exit(code);
      });
    });
  }
}

export async function run(): Promise<void> {
  exitOnCancel();
  try {
    const command = parseCommand(core.getInput('command', { required: true }));
    await RUNNERS[command]();
  } catch (err) {
    core.setFailed(failureText(err));
  }
}
