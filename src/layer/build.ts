/**
 * Builds a layer: a folder is walked, laid out for /opt, checked against Lambda's limits and zipped deterministically;
 * a ready zip is inspected and taken as is. Either way the zip and its manifest land in `outputDir`.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigurationError } from '../errors.js';
import { decideLayout, type LayoutDecision, type LayoutSetting, type TopEntry } from './layout.js';
import { checkContent, extensionWarnings, fitsInlineUpload } from './limits.js';
import { codeSha256Of, formatManifest, MANIFEST_FILE, type Manifest } from './manifest.js';
import { inspectZip } from './ready-zip.js';
import { largestFolders, type FolderSize } from './stats.js';
import { walkTree, type TreeEntry } from './walk.js';
import { writeZip, type ZipSource } from './zip.js';

export interface Logger {
  info(message: string): void;
  warning(message: string): void;
}

/** Runs a phase; the action wraps it in a collapsible log group. */
export type Phase = <T>(name: string, fn: () => Promise<T>) => Promise<T>;

/** Already validated settings (src/action/build.ts reads and checks the inputs). */
export interface LayerBuildSettings {
  name: string;
  path: string;
  runtimes: string[];
  architectures: string[];
  layout: LayoutSetting;
  exclude: string[];
  version: string;
  description: string;
  licenseInfo: string;
  /** Emptied, then receives the zip and manifest.json. */
  outputDir: string;
  /** Timestamp of every entry (SOURCE_DATE_EPOCH or the default). */
  epochSeconds: number;
  commit: string;
  ref: string;
  runId: string;
}

export interface LayerBuild {
  zipPath: string;
  manifestPath: string;
  manifest: Manifest;
  /** Undefined for a ready zip taken as is. */
  layout?: LayoutDecision;
  ready: boolean;
  folders: FolderSize[];
  warnings: string[];
}

interface Content {
  entries: TreeEntry[];
  files: number;
  unzippedSize: number;
}

/** What the zip holds and how it came about: zipped from a folder (with its layout) or a ready zip copied. */
interface Zipped {
  content: Content;
  layout?: LayoutDecision;
  sha256: string;
  size: number;
}

interface Target {
  source: string;
  outputDir: string;
  zipPath: string;
}

/** A folder: walked, its layout decided, zipped into the emptied output folder. */
async function zipFolder(settings: LayerBuildSettings, target: Target, log: Logger, phase: Phase): Promise<Zipped> {
  const { source, outputDir, zipPath } = target;
  const entries = await phase(`Read ${settings.path}`, () => walkTree(source, settings.exclude, [outputDir]));
  // Before the layout: a folder with nothing to zip is that, not a layout that cannot be told.
  checkContent({ files: entries.filter((e) => e.kind !== 'dir').length, unzippedSize: 0 }, settings.path);
  const layout = decideLayout(settings.layout, settings.runtimes, topLevel(entries));
  const content = wrap(entries, layout.prefix);
  checkContent(content, settings.path);
  log.info(describeLayout(layout, content));
  await emptyFolder(outputDir);
  const zipped = await phase(`Zip ${content.files} files`, () =>
    writeZip(toZipSources(content.entries), zipPath, { epochSeconds: settings.epochSeconds }),
  );
  return { content, layout, sha256: zipped.sha256, size: zipped.size };
}

/** A ready zip: inspected, its layout checked, copied byte for byte. */
async function copyReadyZip(settings: LayerBuildSettings, target: Target, log: Logger, phase: Phase): Promise<Zipped> {
  const { source, outputDir, zipPath } = target;
  const content = await phase(`Check ${settings.path}`, () =>
    inspectZip({ source, where: `Input 'path': ${settings.path}` }),
  );
  checkReadyLayout(settings, content.entries);
  checkContent(content, settings.path);
  await emptyFolder(outputDir);
  await copyFile(source, zipPath);
  const { sha256, size } = await hashFile(zipPath);
  log.info(`${settings.path} is a whole, safe zip of ${content.files} files; it is used byte for byte.`);
  return { content, sha256, size };
}

function manifestOf(settings: LayerBuildSettings, zipFile: string, zipped: Zipped): Manifest {
  const { sha256, size, content } = zipped;
  return {
    schema: 1,
    name: settings.name,
    version: settings.version,
    sha256,
    codeSha256: codeSha256Of(sha256),
    size,
    unzippedSize: content.unzippedSize,
    files: content.files,
    runtimes: settings.runtimes,
    architectures: settings.architectures,
    description: settings.description,
    licenseInfo: settings.licenseInfo,
    commit: settings.commit,
    ref: settings.ref,
    runId: settings.runId,
    zipFile,
  };
}

export async function buildLayer(
  settings: LayerBuildSettings,
  log: Logger,
  phase: Phase = (_n, fn) => fn(),
): Promise<LayerBuild> {
  const source = path.resolve(settings.path);
  const kind = await sourceKind(source);
  const outputDir = path.resolve(settings.outputDir);
  if (isInside(source, outputDir)) {
    throw new ConfigurationError(
      `Input 'path': ${source} is inside ${outputDir}, where the build writes its zip (emptied first); copy it elsewhere or give the folder it was built from.`,
    );
  }
  const zipFile = `${settings.name}-${settings.version}.zip`;
  const target = { source, outputDir, zipPath: path.join(outputDir, zipFile) };
  const zipped =
    kind === 'dir' ? await zipFolder(settings, target, log, phase) : await copyReadyZip(settings, target, log, phase);
  const { content, layout, size } = zipped;
  const warnings: string[] = [...(layout?.warnings ?? []), ...extensionWarnings(content.entries)];
  if (!fitsInlineUpload(size)) {
    warnings.push(
      `The zip is ${size} bytes, above what PublishLayerVersion takes inline (about 50 MiB); publish will need 's3-bucket'.`,
    );
  }
  for (const w of warnings) log.warning(w);
  const manifest = manifestOf(settings, zipFile, zipped);
  const manifestPath = path.join(outputDir, MANIFEST_FILE);
  await writeFile(manifestPath, formatManifest(manifest));
  const folders = largestFolders(content.entries);
  return { zipPath: target.zipPath, manifestPath, manifest, layout, ready: kind === 'zip', folders, warnings };
}

/** Whether `target` is `folder` or below it. */
function isInside(target: string, folder: string): boolean {
  const rel = path.relative(folder, target);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/** The output folder holds only this build's files, so the artifact upload takes nothing stale. */
async function emptyFolder(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
}

async function sourceKind(source: string): Promise<'dir' | 'zip'> {
  const info = await stat(source).catch(() => undefined);
  if (info?.isDirectory()) return 'dir';
  if (info?.isFile() && source.toLowerCase().endsWith('.zip')) return 'zip';
  throw new ConfigurationError(
    info ? `Input 'path' must be a folder or a .zip file, got ${source}.` : `Input 'path': ${source} does not exist.`,
  );
}

export function topLevel(entries: TreeEntry[]): TopEntry[] {
  return entries
    .filter((e) => !e.path.includes('/'))
    .map((e) => ({ name: e.path, dir: e.kind === 'dir' }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Moves every entry under `prefix` and adds the prefix's own folders, so the zip lists every folder it holds. */
function wrap(entries: TreeEntry[], prefix: string): Content {
  const moved = prefix ? entries.map((e) => ({ ...e, path: `${prefix}/${e.path}` })) : [...entries];
  if (prefix) {
    const parts = prefix.split('/');
    for (let i = 1; i <= parts.length; i++) {
      moved.push({ path: parts.slice(0, i).join('/'), kind: 'dir', size: 0, executable: true, source: '' });
    }
  }
  const files = moved.filter((e) => e.kind !== 'dir');
  return { entries: moved, files: files.length, unzippedSize: files.reduce((n, e) => n + e.size, 0) };
}

function toZipSources(entries: TreeEntry[]): ZipSource[] {
  return entries.map((e) => ({
    name: e.kind === 'dir' ? `${e.path}/` : e.path,
    kind: e.kind,
    size: e.size,
    executable: e.executable,
    source: e.source,
    target: e.target,
  }));
}

/** A ready zip cannot be re-laid out; `auto` still refuses one whose files no runtime would find. */
function checkReadyLayout(settings: LayerBuildSettings, entries: TreeEntry[]): void {
  if (settings.layout.kind === 'prefix') {
    throw new ConfigurationError(
      `Input 'layout': a ready zip is used as is and cannot be moved under '${settings.layout.prefix}'; set layout to auto or none, or give the folder instead.`,
    );
  }
  const decision = decideLayout(settings.layout, settings.runtimes, topLevelOfZip(entries));
  if (decision.how === 'wrapped') {
    throw new ConfigurationError(
      `Input 'layout': the zip's files are at its top, but ${settings.runtimes.join(', ')} read them from ${decision.prefix}/; rebuild the zip with that folder, give the folder instead, or set layout to none to publish it as is.`,
    );
  }
}

/** A zip may list `python/x.py` without a `python/` entry; its top level is the first segments of every name. */
function topLevelOfZip(entries: TreeEntry[]): TopEntry[] {
  const top = new Map<string, boolean>();
  for (const e of entries) {
    const [first, ...rest] = e.path.split('/');
    top.set(first, (top.get(first) ?? false) || rest.length > 0 || e.kind === 'dir');
  }
  return [...top].map(([name, dir]) => ({ name, dir })).sort((a, b) => (a.name < b.name ? -1 : 1));
}

function describeLayout(layout: LayoutDecision, content: Content): string {
  const what = `${content.files} files, ${content.unzippedSize} bytes unzipped`;
  switch (layout.how) {
    case 'kept':
      return `Layout: the folder is already laid out for /opt; kept as is (${what}).`;
    case 'wrapped':
      return `Layout: wrapped under ${layout.prefix}/ for the runtimes given (${what}).`;
    case 'explicit':
      return `Layout: wrapped under ${layout.prefix}/ as asked (${what}).`;
    case 'none':
      return `Layout: none; the folder is zipped as is (${what}).`;
  }
}

async function hashFile(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}
