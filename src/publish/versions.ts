/**
 * Reading a region's versions: the newest one (is it already this release?), after a publish whose answer was lost
 * the versions that appeared since (did the publish happen after all?), and all of them (keep-versions, and the
 * align-versions fillers to delete).
 */
import { GetLayerVersionCommand, type LambdaClient, type LayerVersionsListItem } from '@aws-sdk/client-lambda';
import { layerVersionPage, layerVersionPages } from '../aws/layer-versions.js';
import { parseMarker, sameMarker, type Marker } from '../record/index.js';
import { step } from '../aws/step.js';

export interface VersionInfo {
  version: number;
  arn: string;
  description: string;
  marker?: Marker;
}

/** Versions looked at per page; the newest is on the first page (AWS lists newest first). */
const PAGE_SIZE = 10;
/** Bounds the look-back after a lost answer: versions created during one publish call, with room to spare. */
const MAX_PAGES = 5;

function toInfo(item: LayerVersionsListItem): VersionInfo | undefined {
  if (item.Version === undefined || !item.LayerVersionArn) return undefined;
  const description = item.Description ?? '';
  return { version: item.Version, arn: item.LayerVersionArn, description, marker: parseMarker(description) };
}

/** A page's versions, highest number first: the order of a page is not relied on. */
function infos(items: LayerVersionsListItem[]): VersionInfo[] {
  return items
    .map(toInfo)
    .filter((v): v is VersionInfo => v !== undefined)
    .sort((a, b) => b.version - a.version);
}

/** Versions newer than `after` (all when undefined), newest first. */
export async function versionsAfter(lambda: LambdaClient, name: string, after?: number): Promise<VersionInfo[]> {
  const found: VersionInfo[] = [];
  for await (const page of layerVersionPages(lambda, name, PAGE_SIZE, MAX_PAGES)) {
    const items = infos(page);
    const newer = items.filter((v) => after === undefined || v.version > after);
    found.push(...newer);
    // Newest first: once a page reaches `after`, older pages hold nothing newer.
    if (newer.length < items.length) break;
  }
  return found.sort((a, b) => b.version - a.version);
}

export interface VersionPage {
  /** Highest number first. */
  items: VersionInfo[];
  next?: string;
}

/** One page of ListLayerVersions (AWS lists newest first), sorted anyway: the order of a page is not relied on. */
export async function versionPage(lambda: LambdaClient, name: string, marker?: string): Promise<VersionPage> {
  const { items, next } = await layerVersionPage(lambda, name, PAGE_SIZE, marker);
  return { items: infos(items), ...(next ? { next } : {}) };
}

/** The newest version, with the page it came on. */
export type NewestVersion = VersionInfo & { page: VersionPage };

/** The newest version, or undefined for a layer that has none in this region yet; with the page it came on. */
export async function newestVersion(lambda: LambdaClient, name: string): Promise<NewestVersion | undefined> {
  const page = await versionPage(lambda, name);
  return page.items[0] && { ...page.items[0], page };
}

export interface StoredVersion {
  version: number;
  arn: string;
  codeSha256?: string;
  description: string;
}

export async function getVersion(lambda: LambdaClient, name: string, version: number): Promise<StoredVersion> {
  const answer = await step('GetLayerVersion', () =>
    lambda.send(new GetLayerVersionCommand({ LayerName: name, VersionNumber: version })),
  );
  return {
    version: answer.Version ?? version,
    arn: answer.LayerVersionArn ?? '',
    codeSha256: answer.Content?.CodeSha256,
    description: answer.Description ?? '',
  };
}

/**
 * A version newer than `after` holding exactly this release (same marker, same CodeSha256): what a publish whose
 * answer was lost would have created. The newest such version wins.
 */
export async function findRelease(
  lambda: LambdaClient,
  name: string,
  after: number | undefined,
  release: { marker: Marker; codeSha256: string },
): Promise<StoredVersion | undefined> {
  const candidates = (await versionsAfter(lambda, name, after)).filter((v) => sameMarker(v.marker, release.marker));
  for (const candidate of candidates) {
    const stored = await getVersion(lambda, name, candidate.version);
    if (stored.codeSha256 === release.codeSha256) return stored;
  }
  return undefined;
}

export interface ListedVersion {
  version: number;
  marked: boolean;
  description?: string;
  /** CreatedDate in ms since the epoch, as AWS reports it. */
  created?: number;
  marker?: Marker;
}

/** Lambda's CreatedDate (`2018-11-14T23:03:52.894+0000`) in ms, or undefined when it does not parse. */
function createdMs(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isFinite(ms) ? ms : undefined;
}

/** Every version of the layer in the region, newest first (all pages). */
export async function listAllVersions(lambda: LambdaClient, name: string): Promise<ListedVersion[]> {
  const found = new Map<number, ListedVersion>();
  for await (const page of layerVersionPages(lambda, name)) {
    for (const item of page) {
      if (item.Version === undefined) continue;
      const description = item.Description ?? '';
      const marker = parseMarker(description);
      const created = createdMs(item.CreatedDate);
      found.set(item.Version, {
        version: item.Version,
        marked: marker !== undefined,
        description,
        ...(marker ? { marker } : {}),
        ...(created !== undefined ? { created } : {}),
      });
    }
  }
  return [...found.values()].sort((a, b) => b.version - a.version);
}
