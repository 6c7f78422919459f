/**
 * Bucket lifecycle rules (PutBucketLifecycleConfiguration): parsed, checked as S3 checks them, stored, and answered
 * back. Rules are not run (AWS runs them asynchronously, about once a day); what they promise is visible as S3 shows
 * it: `x-amz-expiration` on objects and `x-amz-abort-date` / `x-amz-abort-rule-id` on new multipart uploads.
 */
import { tag } from '../protocol.js';
import { invalidArgument, invalidRequest, malformedXml } from './errors.js';
import { child, childText, children, type XmlNode } from './xml.js';

export interface LifecycleFilter {
  prefix?: string;
  tags: Record<string, string>;
  sizeGreaterThan?: number;
  sizeLessThan?: number;
}

export interface LifecycleRule {
  id: string;
  status: 'Enabled' | 'Disabled';
  /** Absent: the rule's filter was the legacy top-level Prefix. */
  filter?: LifecycleFilter;
  legacyPrefix?: string;
  expirationDays?: number;
  expirationDate?: string;
  expiredObjectDeleteMarker?: boolean;
  abortDays?: number;
  noncurrentDays?: number;
}

const DAY_MS = 86_400_000;

function positive(node: XmlNode | undefined, name: string, what: string): number | undefined {
  const text = childText(node, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value <= 0)
    throw invalidArgument(`'${name}' for ${what} action must be a positive integer`, name, text);
  return value;
}

function parseFilter(node: XmlNode): LifecycleFilter {
  const and = child(node, 'And');
  const source = and ?? node;
  const tags: Record<string, string> = {};
  for (const t of children(source, 'Tag')) tags[childText(t, 'Key') ?? ''] = childText(t, 'Value') ?? '';
  const size = (name: string) => (childText(source, name) === undefined ? undefined : Number(childText(source, name)));
  return {
    prefix: childText(source, 'Prefix'),
    tags,
    sizeGreaterThan: size('ObjectSizeGreaterThan'),
    sizeLessThan: size('ObjectSizeLessThan'),
  };
}

/** The rules of a `<LifecycleConfiguration>` document, or the S3 error for the first thing wrong with them. */
export function parseLifecycle(root: XmlNode | undefined): LifecycleRule[] {
  if (!root || root.name !== 'LifecycleConfiguration') throw malformedXml();
  const nodes = children(root, 'Rule');
  if (nodes.length === 0 || nodes.length > 1000) throw malformedXml();
  const ids = new Set<string>();
  return nodes.map((node, i) => {
    const id = childText(node, 'ID') ?? `rule-${i + 1}`;
    if (id.length > 255) throw invalidArgument('ID length should not exceed allowed limit of 255', 'ID', id);
    if (ids.has(id)) throw invalidArgument('Rule ID must be unique. Found same ID for more than one rule', 'ID', id);
    ids.add(id);
    const status = childText(node, 'Status');
    if (status !== 'Enabled' && status !== 'Disabled') throw malformedXml();
    const filterNode = child(node, 'Filter');
    const legacyPrefix = childText(node, 'Prefix');
    if (filterNode && legacyPrefix !== undefined) throw malformedXml();
    const expiration = child(node, 'Expiration');
    const abort = child(node, 'AbortIncompleteMultipartUpload');
    const noncurrent = child(node, 'NoncurrentVersionExpiration');
    const rule: LifecycleRule = {
      id,
      status,
      filter: filterNode ? parseFilter(filterNode) : undefined,
      legacyPrefix,
      expirationDays: positive(expiration, 'Days', 'Expiration'),
      expirationDate: childText(expiration, 'Date'),
      expiredObjectDeleteMarker: childText(expiration, 'ExpiredObjectDeleteMarker') === 'true' || undefined,
      abortDays: positive(abort, 'DaysAfterInitiation', 'AbortIncompleteMultipartUpload'),
      noncurrentDays: positive(noncurrent, 'NoncurrentDays', 'NoncurrentVersionExpiration'),
    };
    if (expiration && rule.expirationDays === undefined && !rule.expirationDate && !rule.expiredObjectDeleteMarker) {
      throw malformedXml();
    }
    if (rule.expirationDays === undefined && !rule.expirationDate && !rule.expiredObjectDeleteMarker) {
      if (rule.abortDays === undefined && rule.noncurrentDays === undefined && !child(node, 'Transition')) {
        throw invalidRequest('At least one action needs to be specified in a rule');
      }
    }
    if (child(node, 'Transition') || child(node, 'NoncurrentVersionTransition')) {
      throw invalidRequest('Transitions are not modelled by this emulator; leave them out.');
    }
    const tagged = Object.keys(rule.filter?.tags ?? {}).length > 0;
    if (tagged && rule.abortDays !== undefined) {
      throw invalidRequest('AbortIncompleteMultipartUpload cannot be specified with Tags.');
    }
    return rule;
  });
}

function filterXml(filter: LifecycleFilter): string {
  const tags = Object.entries(filter.tags).map(([k, v]) => `<Tag>${tag('Key', k)}${tag('Value', v)}</Tag>`);
  const parts = [
    tag('Prefix', filter.prefix),
    ...tags,
    tag('ObjectSizeGreaterThan', filter.sizeGreaterThan),
    tag('ObjectSizeLessThan', filter.sizeLessThan),
  ].filter(Boolean);
  return parts.length > 1 ? `<Filter><And>${parts.join('')}</And></Filter>` : `<Filter>${parts.join('')}</Filter>`;
}

/** The rules as GetBucketLifecycleConfiguration answers them (members in the model's order). */
export function lifecycleXml(rules: LifecycleRule[]): string {
  return rules
    .map((r) => {
      const expiration =
        r.expirationDays !== undefined || r.expirationDate || r.expiredObjectDeleteMarker
          ? `<Expiration>${tag('Date', r.expirationDate)}${tag('Days', r.expirationDays)}${tag('ExpiredObjectDeleteMarker', r.expiredObjectDeleteMarker)}</Expiration>`
          : '';
      const abort =
        r.abortDays === undefined
          ? ''
          : `<AbortIncompleteMultipartUpload>${tag('DaysAfterInitiation', r.abortDays)}</AbortIncompleteMultipartUpload>`;
      const noncurrent =
        r.noncurrentDays === undefined
          ? ''
          : `<NoncurrentVersionExpiration>${tag('NoncurrentDays', r.noncurrentDays)}</NoncurrentVersionExpiration>`;
      return (
        `<Rule>${expiration}${tag('ID', r.id)}${tag('Prefix', r.legacyPrefix)}${r.filter ? filterXml(r.filter) : ''}` +
        `${tag('Status', r.status)}${noncurrent}${abort}</Rule>`
      );
    })
    .join('');
}

function matches(rule: LifecycleRule, key: string, size: number, tags: Record<string, string>): boolean {
  if (rule.status !== 'Enabled') return false;
  const filter = rule.filter ?? { prefix: rule.legacyPrefix, tags: {} };
  if (filter.prefix && !key.startsWith(filter.prefix)) return false;
  if (Object.entries(filter.tags).some(([k, v]) => tags[k] !== v)) return false;
  if (filter.sizeGreaterThan !== undefined && !(size > filter.sizeGreaterThan)) return false;
  if (filter.sizeLessThan !== undefined && !(size < filter.sizeLessThan)) return false;
  return true;
}

/** Midnight UTC after `from` plus `days`, as S3 rounds lifecycle dates. */
function roundedUp(from: Date, days: number): Date {
  const at = from.getTime() + days * DAY_MS;
  return new Date(Math.ceil(at / DAY_MS) * DAY_MS);
}

/** `x-amz-expiration` for an object, when an enabled rule expires it. */
export function expirationHeader(
  rules: LifecycleRule[] | undefined,
  key: string,
  object: { lastModified: Date; size: number; tags: Record<string, string> },
): Record<string, string> {
  for (const rule of rules ?? []) {
    if (!matches(rule, key, object.size, object.tags)) continue;
    const date = rule.expirationDate
      ? new Date(rule.expirationDate)
      : rule.expirationDays !== undefined
        ? roundedUp(object.lastModified, rule.expirationDays)
        : undefined;
    if (date)
      return { 'x-amz-expiration': `expiry-date="${date.toUTCString()}", rule-id="${encodeURIComponent(rule.id)}"` };
  }
  return {};
}

/** `x-amz-abort-date` / `x-amz-abort-rule-id` for a new multipart upload, when a rule aborts it. */
export function abortHeaders(rules: LifecycleRule[] | undefined, key: string, initiated: Date): Record<string, string> {
  for (const rule of rules ?? []) {
    if (rule.abortDays === undefined || !matches(rule, key, 0, {})) continue;
    return { 'x-amz-abort-date': roundedUp(initiated, rule.abortDays).toUTCString(), 'x-amz-abort-rule-id': rule.id };
  }
  return {};
}
