/**
 * `share-with`: who may use the layer version. Each grant is one policy statement with a stable id, so that a rerun
 * sees what an earlier run added and adds only what is missing (AWS answers 409 for a duplicate id; that is success).
 */
import { ConfigurationError } from '../../errors.js';
import { splitList } from '../../settings/inputs.js';

export type Grant = { kind: 'public' } | { kind: 'account'; id: string } | { kind: 'organization'; id: string };

export const STATEMENT_PREFIX = 'lambda-layer-release';
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

export function statementId(grant: Grant): string {
  if (grant.kind === 'public') return `${STATEMENT_PREFIX}-public`;
  return `${STATEMENT_PREFIX}-${grant.kind === 'account' ? 'account' : 'org'}-${grant.id}`;
}

/** AddLayerVersionPermission's parameters for a grant (minus the layer and version). */
export function permissionFor(grant: Grant): {
  StatementId: string;
  Action: string;
  Principal: string;
  OrganizationId?: string;
} {
  const base = { StatementId: statementId(grant), Action: 'lambda:GetLayerVersion' };
  if (grant.kind === 'account') return { ...base, Principal: grant.id };
  if (grant.kind === 'organization') return { ...base, Principal: '*', OrganizationId: grant.id };
  return { ...base, Principal: '*' };
}

interface PolicyStatement {
  Sid?: string;
  Effect?: string;
  Principal?: unknown;
  Action?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/** The statements of a layer version policy (the `Policy` JSON string AWS returns); none for an absent policy. */
export function parsePolicy(policy: string | undefined): PolicyStatement[] {
  if (!policy) return [];
  const parsed = JSON.parse(policy) as { Statement?: PolicyStatement | PolicyStatement[] };
  const statements = parsed.Statement ?? [];
  return Array.isArray(statements) ? statements : [statements];
}

function principalAccount(principal: unknown): string | undefined {
  const aws = typeof principal === 'object' && principal !== null ? (principal as { AWS?: unknown }).AWS : principal;
  const text = Array.isArray(aws) ? String(aws[0]) : String(aws ?? '');
  return /^(?:arn:aws[a-z-]*:iam::)?(\d{12})(?::root)?$/.exec(text)?.[1];
}

function isWildcard(principal: unknown): boolean {
  if (principal === '*') return true;
  return typeof principal === 'object' && principal !== null && (principal as { AWS?: unknown }).AWS === '*';
}

function organizationOf(statement: PolicyStatement): string | undefined {
  for (const operator of Object.values(statement.Condition ?? {})) {
    for (const [key, value] of Object.entries(operator)) {
      if (key.toLowerCase() === 'aws:principalorgid') return Array.isArray(value) ? String(value[0]) : String(value);
    }
  }
  return undefined;
}

/**
 * Whether the policy already grants this: a statement with our id, or an equivalent one someone added by hand
 * (then adding ours would only duplicate it).
 */
export function isGranted(grant: Grant, statements: PolicyStatement[]): boolean {
  return statements.some((s) => {
    if (s.Sid === statementId(grant)) return true;
    if (s.Effect !== undefined && s.Effect !== 'Allow') return false;
    const org = organizationOf(s);
    if (grant.kind === 'organization') return isWildcard(s.Principal) && org === grant.id;
    if (grant.kind === 'public') return isWildcard(s.Principal) && org === undefined && !s.Condition;
    return principalAccount(s.Principal) === grant.id;
  });
}

export function missingGrants(grants: Grant[], statements: PolicyStatement[]): Grant[] {
  return grants.filter((g) => !isGranted(g, statements));
}
