/**
 * Writes a layer's result to a GitHub release: its section of the body and the `<name>.arns.json` asset. The ARNs
 * are validated before the first request, so a wrong record never reaches the release.
 */
import type { getOctokit } from '@actions/github';
import { ConfigurationError } from '../errors.js';
import { assetName, serializeRecord, type ResultRecord, validateArns } from '../record/index.js';
import { patchBody, planBody } from './body.js';
import { status } from './failure.js';
import { BODY_LIMIT, renderSection, renderShortSection, recordComment } from './section.js';
import type { ReleasePayload } from '../settings/release.js';

export type Octokit = ReturnType<typeof getOctokit>;
export { BODY_LIMIT };

export interface ReleaseLogger {
  info(message: string): void;
  warning(message: string): void;
}

/** A release by id, by tag, or as the `release` event payload carries it. */
export type ReleaseRef = { id: number } | { tag: string } | ReleasePayload;

export interface UpdateReleaseOptions {
  octokit: Octokit;
  owner: string;
  repo: string;
  release: ReleaseRef;
  record: ResultRecord;
  logger?: ReleaseLogger;
  /** Waits between body write attempts when a concurrent writer dropped our section; injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  /** Attempts to get the section into the body when other jobs write the same release at the same time. */
  bodyAttempts?: number;
}

export interface UpdateReleaseResult {
  releaseId: number;
  tag: string;
  htmlUrl: string;
  bodyChanged: boolean;
  /** The `<name>.arns.json` asset; absent when the release took none (immutable), then `assetSkipped` says why. */
  asset?: { id: number; url: string; replaced: number };
  assetSkipped?: string;
}

interface Release {
  id: number;
  tag_name: string;
  body?: string | null;
  upload_url: string;
  html_url: string;
  draft?: boolean;
  immutable?: boolean;
}

const silent: ReleaseLogger = { info: () => undefined, warning: () => undefined };

/**
 * The release a ref names, read now (an event's payload may be stale: the release deleted, a draft published
 * since). A tag is looked up among published releases, then among drafts (which /releases/tags does not show).
 */
export async function findRelease(octokit: Octokit, owner: string, repo: string, ref: ReleaseRef): Promise<Release> {
  if ('id' in ref) {
    try {
      return (await octokit.rest.repos.getRelease({ owner, repo, release_id: ref.id })).data as Release;
    } catch (err) {
      if (status(err) !== 404) throw err;
      const which = 'tag_name' in ref ? `release ${ref.tag_name} (id ${ref.id})` : `release id ${ref.id}`;
      throw new ConfigurationError(
        `Input 'release': ${which} no longer exists in ${owner}/${repo}; set 'release' to the tag of a release, or to false.`,
      );
    }
  }
  try {
    return (await octokit.rest.repos.getReleaseByTag({ owner, repo, tag: ref.tag })).data as Release;
  } catch (err) {
    if (status(err) !== 404) throw err;
  }
  for await (const page of octokit.paginate.iterator(octokit.rest.repos.listReleases, { owner, repo, per_page: 100 })) {
    const found = page.data.find((r) => r.tag_name === ref.tag);
    if (found) return found as Release;
  }
  throw new ConfigurationError(
    `Input 'release': no release with tag '${ref.tag}' in ${owner}/${repo}; create the release first (a draft will do), or set 'release' to false.`,
  );
}

/** GitHub's 422 for a change to the assets of an immutable release ("Cannot upload assets to an immutable release"). */
function isImmutableRefusal(err: unknown): boolean {
  return (
    status(err) === 422 && /immutable release/i.test(JSON.stringify((err as { response?: unknown }).response ?? {}))
  );
}

/** Deletes every asset called `name` (an old upload, or a broken one left in state "starter"), then uploads anew. */
async function replaceAsset(
  octokit: Octokit,
  owner: string,
  repo: string,
  release: Release,
  name: string,
  content: string,
): Promise<{ id: number; url: string; replaced: number }> {
  const assets = await octokit.paginate(octokit.rest.repos.listReleaseAssets, {
    owner,
    repo,
    release_id: release.id,
    per_page: 100,
  });
  const old = assets.filter((a) => a.name === name);
  for (const asset of old) await deleteAsset(octokit, owner, repo, asset.id);
  // upload_url is an RFC 6570 template ("…/assets{?name,label}") on the uploads host of github.com or of a GHES
  // instance; octokit.rest.repos.uploadReleaseAsset would send to uploads.github.com whatever the server.
  const data = Buffer.from(content, 'utf8');
  const upload = () =>
    octokit.request({
      method: 'POST',
      url: release.upload_url,
      name,
      data,
      headers: { 'content-type': 'application/json', 'content-length': data.length },
    });
  let uploaded: { data: unknown };
  try {
    uploaded = await upload();
  } catch (err) {
    // The upload may have gone through with its answer lost (the retry then meets 422 already_exists): re-check.
    const found = (await octokit.paginate(octokit.rest.repos.listReleaseAssets, {
      owner,
      repo,
      release_id: release.id,
      per_page: 100,
    })) as { id: number; name: string; state?: string; size?: number; browser_download_url: string }[];
    const same = found.find((a) => a.name === name);
    if (same?.state === 'uploaded' && same.size === data.length) {
      return { id: same.id, url: same.browser_download_url, replaced: old.length };
    }
    if (!same) throw err;
    // A broken upload ("starter") holds the name: it goes, and the upload is sent once more.
    await deleteAsset(octokit, owner, repo, same.id);
    uploaded = await upload();
  }
  const asset = uploaded.data as { id: number; browser_download_url: string };
  return { id: asset.id, url: asset.browser_download_url, replaced: old.length };
}

/** Deletes an asset; one already gone (a retried delete whose first answer was lost) is a 404, and fine. */
async function deleteAsset(octokit: Octokit, owner: string, repo: string, id: number): Promise<void> {
  try {
    await octokit.rest.repos.deleteReleaseAsset({ owner, repo, asset_id: id });
  } catch (err) {
    if (status(err) !== 404) throw err;
  }
}

/** Where GitHub serves the asset once the release is published (drafts get their tag's address when published). */
function assetDownloadUrl(release: Release, name: string): string {
  const at = release.html_url.indexOf('/releases/');
  const base = at >= 0 ? release.html_url.slice(0, at) : release.html_url;
  return `${base}/releases/download/${encodeURIComponent(release.tag_name)}/${encodeURIComponent(name)}`;
}

class NotesTooLong extends ConfigurationError {}

/**
 * The section for a body: the record's comment line and the full table when the patched body stays within GitHub's
 * limit, else the short section that points at the asset (with a warning), else NotesTooLong.
 */
function fittingSection(options: UpdateReleaseOptions, current: string, release: Release, asset?: AssetRef): string {
  const { record } = options;
  const comment = recordComment(record);
  const full = `${comment}\n${renderSection(record)}`;
  if (patchBody(current, record.name, full).length <= BODY_LIMIT) return full;
  const short = renderShortSection(record, asset);
  for (const candidate of [`${comment}\n${short}`, short]) {
    if (patchBody(current, record.name, candidate).length > BODY_LIMIT) continue;
    (options.logger ?? silent).warning(
      `The ARN table of '${record.name}' would make the notes of release ${release.tag_name} longer than GitHub's ` +
        `125,000 characters; the section ${asset ? `points at ${asset.name}` : 'leaves the table out'} instead.`,
    );
    return candidate;
  }
  const where = asset ? `meanwhile the ARNs are in its ${asset.name} asset` : 'the ARNs are in the job summary';
  throw new NotesTooLong(
    `The notes of release ${release.tag_name} are ${current.length} characters long; with the '${record.name}' ` +
      `section they would pass GitHub's limit of 125,000 characters. Shorten them and rerun; ${where}.`,
  );
}

interface AssetRef {
  name: string;
  url: string;
}

/**
 * Reads the body just before writing it, and reads it back after: two layers' jobs that update the same release at
 * once can overwrite each other's section, and GitHub offers no conditional update. A lost section is written again.
 */
async function writeSection(options: UpdateReleaseOptions, release: Release, asset?: AssetRef): Promise<boolean> {
  const { octokit, owner, repo, record } = options;
  const logger = options.logger ?? silent;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const attempts = Math.max(1, options.bodyAttempts ?? 3);
  const releaseId = release.id;
  let changed = false;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const current = (await octokit.rest.repos.getRelease({ owner, repo, release_id: releaseId })).data.body ?? '';
    const section = fittingSection(options, current, release, asset);
    const planned = planBody(current, record.name, section);
    if (attempt === 1) {
      for (const problem of planned.problems) {
        logger.warning(`Release ${release.tag_name}, the '${record.name}' section: ${problem}.`);
      }
    }
    if (planned.body === current) return changed;
    await octokit.rest.repos.updateRelease({ owner, repo, release_id: releaseId, body: planned.body });
    changed = true;
    const after = (await octokit.rest.repos.getRelease({ owner, repo, release_id: releaseId })).data.body ?? '';
    if (patchBody(after, record.name, section) === after) return true;
    logger.warning(
      `Another job changed release ${releaseId} at the same time; writing the '${record.name}' section again.`,
    );
    await sleep(250 * attempt + Math.floor(Math.random() * 250));
  }
  throw new Error(`The '${record.name}' section of release ${releaseId} kept being overwritten by concurrent updates.`);
}

/** What to tell the user when an immutable release keeps its assets as they are. */
function immutableWarning(release: Release, name: string, hadAsset: boolean): string {
  const what = hadAsset
    ? `keeps the ${name} of an earlier run (GitHub refuses to replace assets of a published immutable release)`
    : `has no ${name} (GitHub refuses new assets on a published immutable release)`;
  return (
    `Release ${release.tag_name} is immutable and ${what}; the section in its notes carries this run's result ` +
    `record, which 'resolve' (source github) reads. To attach the asset as well, publish to a draft release ` +
    `('release: ${release.tag_name}' on a draft), then publish the release.`
  );
}

/**
 * Validates the record, writes the body's section (with the record in it), then uploads `<name>.arns.json`
 * (replacing an older one). The section goes first because it is what every release accepts: a published
 * immutable release takes notes but no assets, and then the asset step is a warning, not a failure.
 */
export async function updateRelease(options: UpdateReleaseOptions): Promise<UpdateReleaseResult> {
  const { octokit, owner, repo, record } = options;
  const logger = options.logger ?? silent;
  validateArns(record);
  const release = await findRelease(octokit, owner, repo, options.release);
  const name = assetName(record.name);
  const assetAllowed = release.immutable !== true;
  const ref = assetAllowed ? { name, url: assetDownloadUrl(release, name) } : undefined;
  let bodyChanged = false;
  let tooLong: NotesTooLong | undefined;
  try {
    bodyChanged = await writeSection(options, release, ref);
    logger.info(
      bodyChanged
        ? `Updated the '${record.name}' section of release ${release.tag_name}: ${release.html_url}`
        : `The '${record.name}' section of release ${release.tag_name} was already up to date.`,
    );
  } catch (err) {
    // Notes too long for the section: the asset is still worth attaching, then the step fails on this.
    if (!(err instanceof NotesTooLong)) throw err;
    tooLong = err;
  }
  const result: UpdateReleaseResult = {
    releaseId: release.id,
    tag: release.tag_name,
    htmlUrl: release.html_url,
    bodyChanged,
  };
  if (assetAllowed) {
    try {
      result.asset = await replaceAsset(octokit, owner, repo, release, name, serializeRecord(record));
      logger.info(
        `Uploaded ${name} to release ${release.tag_name}${result.asset.replaced ? ' (replacing the older one)' : ''}.`,
      );
    } catch (err) {
      // Published (and so made immutable) between our read and the upload.
      if (!isImmutableRefusal(err)) throw err;
      result.assetSkipped = immutableWarning(release, name, true);
    }
  } else {
    const had = (release as { assets?: { name: string }[] }).assets?.some((a) => a.name === name) ?? false;
    result.assetSkipped = immutableWarning(release, name, had);
  }
  if (result.assetSkipped) logger.warning(result.assetSkipped);
  if (tooLong) throw tooLong;
  return result;
}
