/**
 * Candidates from a repository's releases: the `<name>.arns.json` asset of each published release. Reading needs
 * nothing more than read access to the repository (any token for a public one), not AWS credentials.
 */
import pLimit from 'p-limit';
import { assetName, parseRecord } from '../release/records.js';
import type { Octokit } from '../release/github.js';
import type { ResultRecord } from '../release/record.js';
import { isAvailable } from '../release/section.js';
import { arnProblems } from '../release/validate.js';
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

/** Adds a record's available rows; a record whose ARNs do not hold up is skipped whole, with a warning. */
function addRecord(
  result: Map<string, Candidate[]>,
  record: ResultRecord,
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
    result.set(region, [
      ...(result.get(region) ?? []),
      { semver: record.version, layerVersion: row.version, arn: row.arn },
    ]);
  }
}

export async function listGitHubCandidates(options: GitHubSourceOptions): Promise<GitHubCandidates> {
  const { octokit, owner, repo, name } = options;
  const wanted = assetName(name);
  const maxReleases = options.maxReleases ?? 1000;
  const assets: { id: number; tag: string }[] = [];
  let seen = 0;
  for await (const page of octokit.paginate.iterator(octokit.rest.repos.listReleases, { owner, repo, per_page: 100 })) {
    for (const release of page.data) {
      if (release.draft) continue;
      const asset = release.assets.find((a) => a.name === wanted && a.state === 'uploaded');
      if (asset) assets.push({ id: asset.id, tag: release.tag_name });
    }
    seen += page.data.length;
    if (seen >= maxReleases) break;
  }
  const limit = pLimit(options.concurrency ?? 4);
  const texts = await Promise.all(assets.map((a) => limit(() => downloadAsset(options, a.id))));
  const candidates = new Map<string, Candidate[]>();
  let records = 0;
  texts.forEach((text, i) => {
    const source = `${wanted} of release ${assets[i].tag}`;
    let record: ResultRecord;
    try {
      record = parseRecord(text, source);
    } catch (err) {
      options.logger?.warning(`Ignoring ${(err as Error).message}`);
      return;
    }
    if (record.name !== name) {
      options.logger?.warning(`Ignoring ${source}: it describes layer '${record.name}'.`);
      return;
    }
    records++;
    addRecord(candidates, record, source, options);
  });
  return { candidates, records };
}
