/**
 * The zip to publish and the facts about it. From an artifact (this run, another run, or the newest run that built
 * this commit) the zip is trusted only once its sha256 matches the manifest's; from disk, a manifest.json beside it is
 * used the same way, and without one the name comes from the input and the version from the build's rules.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ArtifactStore, FindOptions, StoredArtifact } from '../../artifact/store.js';
import { ConfigurationError, errorMessage, httpFailure, isStepOutcome } from '../../errors.js';
import { MANIFEST_FILE, parseManifest, type Manifest } from '../../layer/manifest.js';
import { inspectZip, type ZipContents } from '../../layer/ready-zip.js';
import { checkCommit, findNewestBuild, type WorkflowRun } from './run-id-auto.js';
import { defaultVersion } from '../../layer/version.js';
import type { PublishSettings, RunChoice } from '../../settings/publish.js';

export interface SourceDeps {
  store?: ArtifactStore;
  /** The workflow runs of GITHUB_SHA, in any order (for `run-id: auto`). */
  runsForCommit?(): Promise<WorkflowRun[]>;
  currentRunId?: number;
  token?: string;
  repository?: { owner: string; repo: string };
  /** Where artifacts are downloaded (under RUNNER_TEMP). */
  workDir: string;
  /** What a relative `zip` path is relative to (GITHUB_WORKSPACE). */
  workspace: string;
  context: { ref?: string; sha?: string };
}

/** The zip's bytes and what is known of it before overrides and limits (see verified-layer.ts). */
export interface LoadedZip {
  zip: Buffer;
  sha256: string;
  origin: string;
  manifest?: Manifest;
  /** For a zip without a manifest: the name and version from inputs and rules. */
  facts?: { name: string; version: string };
  /** What the inspection of the zip found in it (every zip is inspected, whatever its manifest says). */
  contents: Pick<ZipContents, 'files' | 'unzippedSize'>;
  /** Found while loading, for the log. */
  warnings?: string[];
}

function sha256Hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** `what` names the zip as the error should: `The zip from artifact '…'`, or `Input 'zip': out/layer.zip`. */
function verify(zip: Buffer, manifest: Manifest, what: string): string {
  const actual = sha256Hex(zip);
  if (actual !== manifest.sha256 || zip.length !== manifest.size) {
    throw new ConfigurationError(
      `${what} does not match its manifest (sha256 ${actual}, ${zip.length} bytes; the manifest says ${manifest.sha256}, ${manifest.size} bytes); nothing was published.`,
    );
  }
  return actual;
}

/**
 * A call to the artifact service or the GitHub API: its failure (the service down, a token without `actions: read`)
 * is the environment's, not a bug, and becomes one line saying what was asked.
 */
export async function service<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (isStepOutcome(err)) throw err;
    const status = (err as { status?: unknown }).status;
    const why = errorMessage(err).split('\n')[0].replace(/\.+$/, '');
    throw httpFailure(
      `${what} failed: ${why}${typeof status === 'number' ? ` (HTTP ${status})` : ''}; rerun the job, and for another run's artifact give 'github-token' the 'actions: read' permission.`,
      typeof status === 'number' ? status : undefined,
    );
  }
}

async function findArtifact(
  name: string,
  run: RunChoice,
  deps: SourceDeps,
): Promise<{ artifact: StoredArtifact; options: FindOptions; origin: string }> {
  const store = deps.store;
  if (!store) throw new Error('No artifact store was given to publish from an artifact');
  const other = (runId: number): FindOptions => ({
    runId,
    ...(deps.token ? { token: deps.token } : {}),
    ...(deps.repository ? { repository: deps.repository } : {}),
  });
  if (run.kind === 'current') {
    const artifact = await service(`Looking up artifact '${name}'`, () => store.find(name));
    if (artifact) return { artifact, options: {}, origin: `artifact '${name}' of this run` };
    throw new ConfigurationError(
      `Input 'artifact-name': this run has no artifact '${name}'; run the build step first (needs: build), or set 'run-id' to take it from another run.`,
    );
  }
  if (run.kind === 'id') {
    const artifact = await service(`Looking up artifact '${name}' of run ${run.id}`, () =>
      store.find(name, other(run.id)),
    );
    if (artifact) return { artifact, options: other(run.id), origin: `artifact '${name}' of run ${run.id}` };
    throw new ConfigurationError(
      `Input 'run-id': run ${run.id} has no artifact '${name}' (or the token lacks 'actions: read').`,
    );
  }
  return findNewestBuild(name, deps, other, service);
}

async function fromArtifact(settings: PublishSettings, deps: SourceDeps): Promise<LoadedZip> {
  if (settings.source.kind !== 'artifact') throw new Error('not an artifact source');
  const name = settings.source.artifactName ?? `lambda-layer-${settings.name}`;
  const { artifact, options, origin } = await findArtifact(name, settings.source.run, deps);
  const target = path.join(deps.workDir, `artifact-${artifact.id}`);
  await mkdir(target, { recursive: true });
  const folder = await service(`Downloading the ${origin}`, () => deps.store!.download(artifact, target, options));
  let manifestText: string;
  try {
    manifestText = await readFile(path.join(folder, MANIFEST_FILE), 'utf8');
  } catch {
    throw new ConfigurationError(`The ${origin} has no ${MANIFEST_FILE}; was it uploaded by the build step?`);
  }
  const manifest = parseManifest(manifestText, `${MANIFEST_FILE} of ${origin}`);
  const warnings: string[] = [];
  if (settings.source.run.kind === 'auto') checkCommit(manifest, origin, deps, warnings);
  const zip = await readFile(path.join(folder, manifest.zipFile)).catch((err: unknown) => {
    throw new ConfigurationError(
      `The ${origin} lacks ${manifest.zipFile}, named by its manifest: ${errorMessage(err)}.`,
    );
  });
  const sha256 = verify(zip, manifest, `The zip from ${origin}`);
  const contents = await inspectZip({ source: zip, where: `The ${manifest.zipFile} in ${origin}` });
  return { zip, sha256, origin, manifest, contents, warnings };
}

async function manifestBeside(zipPath: string): Promise<Manifest | undefined> {
  const file = path.join(path.dirname(zipPath), MANIFEST_FILE);
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const manifest = parseManifest(text, file);
  return manifest.zipFile === path.basename(zipPath) ? manifest : undefined;
}

async function fromDisk(settings: PublishSettings, deps: SourceDeps): Promise<LoadedZip> {
  if (settings.source.kind !== 'zip') throw new Error('not a zip source');
  const zipPath = path.resolve(deps.workspace, settings.source.path);
  const zip = await readFile(zipPath).catch((err: unknown) => {
    throw new ConfigurationError(`Input 'zip': cannot read ${zipPath}: ${errorMessage(err)}.`);
  });
  const origin = shownPath(deps.workspace, zipPath);
  const manifest = await manifestBeside(zipPath);
  const version = settings.source.version;
  if (manifest && version && version !== manifest.version) {
    // The manifest is the build's word on this zip; an input that silently lost to it would publish a surprise.
    throw new ConfigurationError(
      `Input 'version' is ${version}, but the ${MANIFEST_FILE} beside ${origin} says ${manifest.version}; leave 'version' out (the build set it), or build again with that version.`,
    );
  }
  const name = settings.name;
  if (!manifest && !name) {
    throw new ConfigurationError(
      `Input 'name' is required with 'zip' when no ${MANIFEST_FILE} from the build sits beside it.`,
    );
  }
  // A true manifest vouches for the bytes, not for what they hold: the zip is inspected either way.
  const sha256 = manifest ? verify(zip, manifest, `Input 'zip': ${origin}`) : sha256Hex(zip);
  const contents = await inspectZip({ source: zip, where: `Input 'zip': ${origin}` });
  if (manifest) return { zip, sha256, origin, manifest, contents };
  return {
    zip,
    sha256,
    origin,
    contents,
    facts: { name: name!, version: version ?? defaultVersion(deps.context, name!) },
  };
}

/** A path as a user recognises it: relative to the workspace when inside it, else absolute (never `../../..`). */
function shownPath(workspace: string, file: string): string {
  const relative = path.relative(workspace, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

export async function loadZip(settings: PublishSettings, deps: SourceDeps): Promise<LoadedZip> {
  return settings.source.kind === 'zip' ? fromDisk(settings, deps) : fromArtifact(settings, deps);
}
