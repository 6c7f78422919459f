import * as core from '@actions/core';
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

export async function run(): Promise<void> {
  try {
    const command = parseCommand(core.getInput('command', { required: true }));
    await RUNNERS[command]();
  } catch (err) {
    core.setFailed(failureText(err));
  }
}
