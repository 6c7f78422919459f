/**
 * `share-with`: who may use the layer version, as grants. Spellings that can only mean one thing are taken; a grant
 * given twice is kept once. What a grant becomes in a layer version's policy is src/publish/region/grants.ts.
 */
import { ConfigurationError } from '../errors.js';
import { splitList } from './inputs.js';

export type Grant = { kind: 'public' } | { kind: 'account'; id: string } | { kind: 'organization'; id: string };

const ACCOUNT = /^\d{12}$/;
/** As the AWS console prints an account id: 1234-5678-9012. */
const DASHED_ACCOUNT = /^\d{4}-\d{4}-\d{4}$/;
/** The principal AddLayerVersionPermission also takes for an account (FACTS.md). */
const ACCOUNT_ROOT_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):root$/;
const ORGANIZATION = /^o-[a-z0-9]{10,32}$/;

/**
 * One `share-with` entry as a grant. Spellings that can only mean one thing are taken: `*` (AWS's own word for
 * everyone), an account id with the console's dashes or as its root ARN. An organization id stays as AWS writes it
 * (lowercase): one in capitals was retyped, and is refused rather than guessed.
 */
function parseGrant(token: string, partition: string | undefined): Grant | undefined {
  const lower = token.toLowerCase();
  if (lower === 'public' || lower === '*') return { kind: 'public' };
  if (ACCOUNT.test(token)) return { kind: 'account', id: token };
  if (DASHED_ACCOUNT.test(token)) return { kind: 'account', id: token.replace(/-/g, '') };
  const root = ACCOUNT_ROOT_ARN.exec(token);
  if (root) {
    // An account exists in one partition: granting arn:aws-cn:...'s id in aws regions would name another account.
    if (partition && root[1] !== partition) {
      throw new ConfigurationError(
        `Input 'share-with' has '${token}', an account of partition ${root[1]}, but the regions are in ${partition}; share with an account of ${partition} (arn:${partition}:iam::<account>:root or its id), or publish to ${root[1]} regions in a step of their own.`,
      );
    }
    return { kind: 'account', id: root[2] };
  }
  if (ORGANIZATION.test(token)) return { kind: 'organization', id: token };
  return undefined;
}

/** The `share-with` list; `partition` is the regions' (an account ARN of another partition is refused). */
export function parseGrants(value: string, partition?: string): Grant[] {
  const grants: Grant[] = [];
  const seen = new Set<string>();
  for (const token of splitList(value)) {
    const grant = parseGrant(token, partition);
    if (!grant) {
      throw new ConfigurationError(
        `Input 'share-with' has '${token}': use 'public', a 12-digit account id (123456789012), or an organization id (o- and 10 to 32 lowercase letters or digits), separated by commas, spaces or newlines.`,
      );
    }
    const label = grantLabel(grant);
    if (!seen.has(label)) grants.push(grant);
    seen.add(label);
  }
  return grants;
}

/** How a grant appears in the summary and the result record: `public`, the account id, or the organization id. */
export function grantLabel(grant: Grant): string {
  return grant.kind === 'public' ? 'public' : grant.id;
}
