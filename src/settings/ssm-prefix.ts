/** `ssm-prefix`: where publish writes its SSM pointers (src/publish/follow-ups/ssm-pointers.ts), checked as a path. */
import { ConfigurationError } from '../errors.js';

/** Parameter names may not exceed 1011 characters counting the parameter ARN; this leaves room for the longest. */
const NAME_LIMIT = 1011 - 'arn:aws-iso-b:ssm:us-isob-east-1:123456789012:parameter'.length;
const MAX_DEPTH = 15;
const SEGMENT = /^[A-Za-z0-9_.-]+$/;

/**
 * Checks the `ssm-prefix` input (before any AWS call) and returns it without a trailing slash; `/` alone puts the
 * pointers at `/<name>/...`. Without `layerName` (publish reads it from the manifest later) the length is checked
 * for the longest layer name.
 */
export function validateSsmPrefix(input: string, layerName?: string): string {
  const prefix = input.trim().replace(/\/+$/, '');
  const fail = (why: string): never => {
    throw new ConfigurationError(`Input 'ssm-prefix' ${why}; for example '/lambda-layers'. Got '${input.trim()}'.`);
  };
  if (!input.trim().startsWith('/')) fail('must start with /');
  const segments = prefix === '' ? [] : prefix.slice(1).split('/');
  if (segments.some((s) => !SEGMENT.test(s))) fail('may hold only letters, digits, _ . - and single / between levels');
  if (/^(aws|ssm)/i.test(segments[0] ?? layerName ?? '')) fail("may not begin with 'aws' or 'ssm' (reserved by AWS)");
  if (segments.length + 2 > MAX_DEPTH) fail(`is too deep: parameters may have at most ${MAX_DEPTH} levels`);
  const longest = `${prefix}/${layerName ?? 'x'.repeat(140)}/latest`;
  if (longest.length > NAME_LIMIT) fail(`is too long: names may have ${NAME_LIMIT} characters`);
  return prefix;
}
