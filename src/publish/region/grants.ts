/**
 * A `share-with` grant in a layer version's policy. Each grant is one policy statement with a stable id, so that a
 * rerun sees what an earlier run added and adds only what is missing (AWS answers 409 for a duplicate id; that is
 * success). The grants themselves are parsed from the input by src/settings/share-with.ts.
 */
import type { Grant } from '../../settings/share-with.js';

export const STATEMENT_PREFIX = 'lambda-layer-release';

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
