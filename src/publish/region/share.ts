/**
 * Sharing one layer version: read its policy, add only the statements that are missing (one by one: concurrent
 * policy edits on one version conflict), then read the policy back and check every grant is there.
 */
import {
  AddLayerVersionPermissionCommand,
  GetLayerVersionPolicyCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { classifyAwsError } from '../../aws/errors.js';
import { grantLabel, type Grant } from '../../settings/share-with.js';
import { isGranted, missingGrants, parsePolicy, permissionFor } from './grants.js';
import { step } from '../../aws/step.js';

export type Statements = ReturnType<typeof parsePolicy>;

export async function readPolicy(lambda: LambdaClient, name: string, version: number): Promise<Statements> {
  return step('GetLayerVersionPolicy', async () => {
    try {
      const answer = await lambda.send(new GetLayerVersionPolicyCommand({ LayerName: name, VersionNumber: version }));
      return parsePolicy(answer.Policy);
    } catch (err) {
      // A version nobody shared has no policy at all.
      if (classifyAwsError(err) === 'not-found') return [];
      throw err;
    }
  });
}

async function addGrant(lambda: LambdaClient, name: string, version: number, grant: Grant): Promise<void> {
  await step('AddLayerVersionPermission', async () => {
    try {
      await lambda.send(
        new AddLayerVersionPermissionCommand({ LayerName: name, VersionNumber: version, ...permissionFor(grant) }),
      );
    } catch (err) {
      // The statement id exists: added by an earlier run, or by our own attempt whose answer was lost.
      if (classifyAwsError(err) !== 'conflict') throw err;
    }
  });
}

export interface ShareResult {
  /** Labels of every grant the version has now. */
  sharing: string[];
  /** Labels of the grants this run added (in a dry run: would add). */
  added: string[];
}

/**
 * `current`: the version's statements when already known (a version published a moment ago has none; a reused one
 * was read alongside its digest); undefined to read them here.
 */
export async function shareVersion(
  lambda: LambdaClient,
  target: { name: string; version: number },
  grants: Grant[],
  options: { current?: Statements; dryRun: boolean },
): Promise<ShareResult> {
  const { name, version } = target;
  if (grants.length === 0) return { sharing: [], added: [] };
  const current = options.current ?? (await readPolicy(lambda, name, version));
  const missing = missingGrants(grants, current);
  const result = { sharing: grants.map(grantLabel), added: missing.map(grantLabel) };
  if (missing.length === 0 || options.dryRun) return result;
  for (const grant of missing) await addGrant(lambda, name, version, grant);
  const after = await readPolicy(lambda, name, version);
  const absent = grants.filter((g) => !isGranted(g, after));
  if (absent.length > 0) {
    throw new Error(`the policy read back lacks ${absent.map(grantLabel).join(', ')} after AddLayerVersionPermission`);
  }
  return result;
}
