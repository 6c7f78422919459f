/**
 * Reading functions. Selection per region (emulators/aws/README.md, "Finding the opted-in functions"): every page of
 * ListFunctions, whose items carry their Layers, picks the functions that use the layer; then one GetFunction each
 * gives the tags, the current RevisionId and LastUpdateStatus in one call. GetFunction returns Tags only to callers
 * allowed lambda:ListTags, and leaves the member out when there are none, so a function without it is asked with
 * ListTags: a missing permission then fails loudly instead of reading as "not opted in".
 */
import {
  GetFunctionCommand,
  ListTagsCommand,
  paginateListFunctions,
  type FunctionConfiguration,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { parseLayerVersionArn } from '../aws/arn.js';
import { step } from '../aws/step.js';
import type { FunctionView } from './plan.js';

/** The clients and clock a function's rollout runs with; tests pass a virtual clock, never fewer waits. */
export interface FunctionDeps {
  client: LambdaClient;
  sleep(ms: number): Promise<void>;
  now(): number;
  logger: { info(message: string): void; warning(message: string): void };
}

/** A refusal of this function that no retry changes (the reason is for the user). */
export class FunctionFailure extends Error {}

/** The names of the functions whose $LATEST uses a version of layer `layerName` (any account's, any version). */
export async function listFunctionsUsing(client: LambdaClient, layerName: string): Promise<string[]> {
  const names: string[] = [];
  const pages = paginateListFunctions({ client, pageSize: 50 }, { MaxItems: 50 });
  await step('ListFunctions', async () => {
    for await (const page of pages) {
      for (const fn of page.Functions ?? []) {
        const uses = (fn.Layers ?? []).some((l) => parseLayerVersionArn(l.Arn ?? '')?.layerName === layerName);
        if (uses && fn.FunctionName) names.push(fn.FunctionName);
      }
    }
  });
  return names;
}

export function viewOf(config: FunctionConfiguration, tags?: Record<string, string>): FunctionView {
  return {
    name: config.FunctionName ?? '',
    arn: config.FunctionArn ?? '',
    layers: (config.Layers ?? []).map((l) => l.Arn ?? ''),
    ...(config.RevisionId ? { revisionId: config.RevisionId } : {}),
    ...(tags ? { tags } : {}),
    ...(config.State ? { state: config.State } : {}),
    ...(config.LastUpdateStatus ? { lastUpdateStatus: config.LastUpdateStatus } : {}),
    ...(config.LastUpdateStatusReason ? { lastUpdateStatusReason: config.LastUpdateStatusReason } : {}),
    ...(config.LastUpdateStatusReasonCode ? { lastUpdateStatusReasonCode: config.LastUpdateStatusReasonCode } : {}),
  };
}

/** GetFunction of $LATEST; `withTags` also makes sure the tags are known (ListTags when GetFunction has none). */
export async function readFunction(client: LambdaClient, name: string, withTags: boolean): Promise<FunctionView> {
  const answer = await step('GetFunction', () => client.send(new GetFunctionCommand({ FunctionName: name })));
  const config = answer.Configuration ?? {};
  if (!withTags) return viewOf(config);
  let tags = answer.Tags;
  if (tags === undefined && config.FunctionArn) {
    const arn = config.FunctionArn;
    tags = (await step('ListTags', () => client.send(new ListTagsCommand({ Resource: arn })))).Tags ?? {};
  }
  return viewOf(config, tags ?? {});
}

/** Still changing: a create (Pending) or an update (InProgress) that has not settled. */
export function isBusy(view: Pick<FunctionView, 'state' | 'lastUpdateStatus'>): boolean {
  return view.state === 'Pending' || view.lastUpdateStatus === 'InProgress';
}
