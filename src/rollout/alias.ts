/**
 * `alias`: once $LATEST has the new layer and settled, publish a function version and move the alias to it, for the
 * functions that have the alias. Idempotent: an alias whose version already has the layer is left alone, so a rerun
 * after a run cancelled between the update and the alias move completes it. Both writes are guarded: PublishVersion
 * by the RevisionId of the $LATEST just read (a change made meanwhile is read again, and never published unseen),
 * UpdateAlias by the alias's RevisionId.
 */
import {
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  type AliasConfiguration,
} from '@aws-sdk/client-lambda';
import { classifyAwsError } from '../aws/errors.js';
import { StepError, step } from '../aws/step.js';
import { FunctionFailure, readFunction, type FunctionDeps } from './functions.js';

export interface AliasOutcome {
  name: string;
  /** absent: the function has no such alias (nothing done); kept: it already had the layer; moved: to `version`. */
  result: 'absent' | 'kept' | 'moved';
  version?: string;
}

const MAX_ALIAS_ROUNDS = 5;

const isPrecondition = (err: unknown) =>
  err instanceof StepError && (err.cause as { name?: string }).name === 'PreconditionFailedException';

async function getAlias(deps: FunctionDeps, fn: string, name: string): Promise<AliasConfiguration | undefined> {
  try {
    return await step('GetAlias', () => deps.client.send(new GetAliasCommand({ FunctionName: fn, Name: name })));
  } catch (err) {
    if (err instanceof StepError && classifyAwsError(err.cause) === 'not-found') return undefined;
    throw err;
  }
}

export async function ensureAlias(
  deps: FunctionDeps,
  functionArn: string,
  name: string,
  layerArn: string,
): Promise<AliasOutcome> {
  let alias = await getAlias(deps, functionArn, name);
  if (!alias) return { name, result: 'absent' };
  const current = await step('GetFunctionConfiguration', () =>
    deps.client.send(new GetFunctionConfigurationCommand({ FunctionName: functionArn, Qualifier: name })),
  );
  if ((current.Layers ?? []).some((l) => l.Arn === layerArn)) {
    return { name, result: 'kept', ...(alias.FunctionVersion ? { version: alias.FunctionVersion } : {}) };
  }
  for (let round = 1; round <= MAX_ALIAS_ROUNDS; round++) {
    const latest = await readFunction(deps.client, functionArn, false);
    if (!latest.layers.includes(layerArn)) {
      throw new FunctionFailure(`$LATEST no longer has ${layerArn} (changed by someone else)`);
    }
    let version: string | undefined;
    try {
      const published = await step('PublishVersion', () =>
        deps.client.send(
          new PublishVersionCommand({
            FunctionName: functionArn,
            ...(latest.revisionId ? { RevisionId: latest.revisionId } : {}),
          }),
        ),
      );
      version = published.Version;
    } catch (err) {
      if (isPrecondition(err)) continue;
      throw err;
    }
    const aliasRevision = alias.RevisionId;
    try {
      await step('UpdateAlias', () =>
        deps.client.send(
          new UpdateAliasCommand({
            FunctionName: functionArn,
            Name: name,
            FunctionVersion: version,
            ...(aliasRevision ? { RevisionId: aliasRevision } : {}),
          }),
        ),
      );
      return { name, result: 'moved', ...(version ? { version } : {}) };
    } catch (err) {
      if (!isPrecondition(err)) throw err;
      deps.logger.info(`alias ${name} of ${functionArn} changed since it was read (412); reading it again.`);
      alias = await getAlias(deps, functionArn, name);
      if (!alias) return { name, result: 'absent' };
    }
  }
  throw new FunctionFailure(`the function or the alias changed by someone else ${MAX_ALIAS_ROUNDS} times`);
}
