/**
 * Candidates from a repository's releases: the result record of each published release, from the layer's section
 * in its notes (always written, first; immutable releases take no asset) or else its `<name>.arns.json` asset.
 * Reading needs nothing more than read access to the repository (any token for a public one), not AWS credentials.
 */
import pLimit from 'p-limit';
import { errorMessage, httpFailure } from '../errors.js';
import { sectionText } from '../release/body.js';
import { assetName, parseRecord, type ResultRecord, isAvailable, arnProblems } from '../record/index.js';
import { recordJsonIn } from '../release/section.js';
import type { Octokit } from '../release/github.js';
import type { Candidate } from './range.js';

export interface GitHubSourceOptions {
  octokit: Octokit;
  owner: string;
  repo: string;
  name: string;
  logger?: { warning(message: string): void };
  /** Assets downloaded at once. */
  concurrency?: number;
  /** Upper bound on releases read, so a huge history cannot run away. */
  maxReleases?: number;
}

export interface GitHubCandidates {
  candidates: Map<string, Candidate[]>;
  /** Releases whose asset was read. */
  records: number;
}

interface ReleaseAsset {
  /** The `<name>.arns.json` asset, when the release has one. */
  id?: number;
  /** The record JSON of the layer's section in the notes, when they hold one. */
  sectionJson?: string;
  tag: string;
  /** The release is marked "pre-release" on GitHub. */
  prerelease: boolean;
}

function httpStatus(err: unknown): number | undefined {
  const status = (err as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' ? status : undefined;
}

/** An Octokit failure as one line that says what to check; anything that is not an HTTP answer stays a bug. */
function readFailure(options: GitHubSourceOptions, what: string, err: unknown): Error {
  const status = httpStatus(err);
  if (status === undefined) return err instanceof Error ? err : new Error(String(err));
  const text = errorMessage(err).split(' - ')[0].replace(/\s+/g, ' ').trim();
  const hint =
    status === 404 || status === 401 || status === 403
      ? "; check 'repository' and that 'github-token' can read it"
      : '';
  return httpFailure(
    `Could not read ${what} of ${options.owner}/${options.repo}: ${text} (HTTP ${status})${hint}.`,
    status,
  );
}

async function downloadAsset(options: GitHubSourceOptions, assetId: number): Promise<string> {
  const response = await options.octokit.request('GET /repos/{owner}/{repo}/releases/assets/{asset_id}', {
    owner: options.owner,
    repo: options.repo,
    asset_id: assetId,
    headers: { accept: 'application/octet-stream' },
  });
  const data: unknown = response.data;
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8');
  return JSON.stringify(data);
}

/** Where each release that is not a draft keeps the layer's record (section, asset), newest release first. */
async function listAssets(options: GitHubSourceOptions): Promise<ReleaseAsset[]> {
  const { octokit, owner, repo } = options;
  const wanted = assetName(options.name);
  const maxReleases = options.maxReleases ?? 1000;
  const assets: ReleaseAsset[] = [];
  let seen = 0;
  try {
    for await (const page of octokit.paginate.iterator(octokit.rest.repos.listReleases, {
      owner,
      repo,
      per_page: 100,
    })) {
      for (const release of page.data) {
        if (release.draft) continue;
        const asset = release.assets.find((a) => a.name === wanted && a.state === 'uploaded');
        const section = sectionText(release.body, options.name);
        const sectionJson = section === undefined ? undefined : recordJsonIn(section, options.name);
        if (!asset && !sectionJson) continue;
        assets.push({
          ...(asset ? { id: asset.id } : {}),
          ...(sectionJson ? { sectionJson } : {}),
          tag: release.tag_name,
          prerelease: release.prerelease,
        });
      }
      seen += page.data.length;
      if (seen >= maxReleases) {
        options.logger?.warning(`Read only the newest ${seen} releases of ${owner}/${repo}; older ones are ignored.`);
        break;
      }
    }
  } catch (err) {
    throw readFailure(options, 'the releases', err);
  }
  return assets;
}

/** Adds a record's available rows; a record whose ARNs do not hold up is skipped whole, with a warning. */
function addRecord(
  result: Map<string, Candidate[]>,
  record: ResultRecord,
  asset: ReleaseAsset,
  source: string,
  options: GitHubSourceOptions,
) {
  const problems = arnProblems(record);
  if (problems.length > 0) {
    options.logger?.warning(`Ignoring ${source}: ${problems.join('; ')}`);
    return;
  }
  for (const [region, row] of Object.entries(record.regions)) {
    if (!isAvailable(row) || row.version === undefined || !row.arn) continue;
    const candidate: Candidate = { semver: record.version, layerVersion: row.version, arn: row.arn };
    if (asset.prerelease) candidate.prerelease = true;
    result.set(region, [...(result.get(region) ?? []), candidate]);
  }
}

/** A record from a release's section, or undefined (with a warning) when it does not parse: the asset then. */
function sectionRecord(options: GitHubSourceOptions, release: ReleaseAsset): ResultRecord | undefined {
  if (!release.sectionJson) return undefined;
  const source = `the '${options.name}' section of release ${release.tag}`;
  try {
    return parseRecord(release.sectionJson, source);
  } catch (err) {
    const fallback = release.id === undefined ? '' : `; reading ${assetName(options.name)} instead`;
    options.logger?.warning(
      `Ignoring the record in ${source}: it ${errorMessage(err).replace(`${source} `, '')}${fallback}`,
    );
    return undefined;
  }
}

async function assetRecord(options: GitHubSourceOptions, release: ReleaseAsset): Promise<ResultRecord | undefined> {
  if (release.id === undefined) return undefined;
  const source = `${assetName(options.name)} of release ${release.tag}`;
  let text: string;
  try {
    text = await downloadAsset(options, release.id);
  } catch (err) {
    // Deleted since the list was read (a rerun replacing it): that release has nothing to offer now.
    if (httpStatus(err) !== 404) throw readFailure(options, source, err);
    options.logger?.warning(`Ignoring ${source}: it was deleted while being read.`);
    return undefined;
  }
  try {
    return parseRecord(text, source);
  } catch (err) {
    options.logger?.warning(`Ignoring ${source}: it ${errorMessage(err).replace(`${source} `, '')}`);
    return undefined;
  }
}

export async function listGitHubCandidates(options: GitHubSourceOptions): Promise<GitHubCandidates> {
  const { name } = options;
  const releases = await listAssets(options);
  const limit = pLimit(options.concurrency ?? 4);
  const records = await Promise.all(
    releases.map((release) =>
      limit(async () => {
        const fromSection = sectionRecord(options, release);
        if (fromSection) return { record: fromSection, source: `the '${name}' section of release ${release.tag}` };
        const fromAsset = await assetRecord(options, release);
        return fromAsset && { record: fromAsset, source: `${assetName(name)} of release ${release.tag}` };
      }),
    ),
  );
  const candidates = new Map<string, Candidate[]>();
  let read = 0;
  records.forEach((found, i) => {
    if (!found) return;
    if (found.record.name !== name) {
      options.logger?.warning(`Ignoring ${found.source}: it describes layer '${found.record.name}'.`);
      return;
    }
    read++;
    addRecord(candidates, found.record, releases[i], found.source, options);
  });
  return { candidates, records: read };
}
