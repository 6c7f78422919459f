/**
 * Reads a layer's source folder into a flat list of entries, leaving out excluded paths and refusing anything that
 * would put content from outside the folder into the zip.
 */
import { lstatSync, readdirSync, readlinkSync, type Dirent } from 'node:fs';
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import ignore from 'ignore';
import { ConfigurationError } from '../errors.js';

export const DEFAULT_EXCLUDE = ['__pycache__', '*.pyc', '.git', '.DS_Store'];

export interface TreeEntry {
  /** Path relative to the folder, '/'-separated, without a trailing slash. */
  path: string;
  kind: 'file' | 'dir' | 'symlink';
  /** Bytes of a file; length of a symlink's target; 0 for a folder. */
  size: number;
  /** Any execute bit set on a file. */
  executable: boolean;
  /** Absolute path on disk. */
  source: string;
  /** A symlink's target, as written in the link. */
  target?: string;
}

/** Symlink hops followed before a chain is called a loop (Linux's own limit). */
const MAX_LINK_HOPS = 40;

/**
 * `exclude` is read exactly as git reads a .gitignore at the top of the folder (the `ignore` package implements
 * git's rules): a pattern without a '/' (other than a trailing one) matches a name at any depth (`*.pyc`, `.git`);
 * one with a '/' matches from the folder's top (`tests/**`, `/tests`); a trailing '/' matches folders only
 * (`build/` leaves a file named build in); '!' brings back what an earlier pattern left out, and the last pattern
 * that matches wins (`!keep.pyc` then `*.pyc` leaves keep.pyc out); a file whose folder is left out cannot be
 * brought back. An excluded folder is not entered. Case matters, as on Linux and in Lambda's /opt.
 * One deliberate extra: a leading './' means the top, as '/' does (git would never match it).
 */
export function excludeMatcher(patterns: string[]): (relPath: string, isDir: boolean) => boolean {
  const rules = ignore({ ignorecase: false }).add(patterns.map((p) => p.replace(/^(!?)\.\/+/, '$1/')));
  return (relPath, isDir) => rules.ignores(isDir ? `${relPath}/` : relPath);
}

/**
 * The `exclude` input as patterns: one per line as in a .gitignore, where a line starting with '#' is a comment;
 * like every list input, a line may also hold several separated by spaces or commas ('\ ' keeps a space).
 */
export function excludePatterns(input: string): string[] {
  return input
    .split(/\r?\n/)
    .filter((line) => !line.trimStart().startsWith('#'))
    .flatMap((line) => line.split(/(?<!\\)[\s,]+/))
    .filter(Boolean);
}

/**
 * `skip`: absolute paths left out whatever `exclude` says (the build's own output folder, when it is inside).
 *
 * Synchronous calls on purpose: for a tree of 10,000 files they cost a third of the CPU of fs/promises (one promise
 * and one threadpool round trip per entry), and nothing else runs in the action while it reads the tree.
 */
export async function walkTree(root: string, exclude: string[], skip: string[] = []): Promise<TreeEntry[]> {
  const top = await realpath(root);
  const matcher = excludeMatcher(exclude);
  const skipped = new Set(skip.map((s) => path.relative(top, path.resolve(s)).split(path.sep).join('/')));
  const excluded = (rel: string, isDir: boolean) => skipped.has(rel) || matcher(rel, isDir);
  const entries: TreeEntry[] = [];
  const pending = [''];
  while (pending.length > 0) {
    const dirRel = pending.pop()!;
    for (const dirent of readFolder(top, dirRel)) {
      const name = dirent.name;
      if (name.includes('\\')) {
        throw new ConfigurationError(
          `Input 'path': '${path.posix.join(dirRel, name)}' has a backslash in its name, which unzip tools read as a folder separator; rename it or exclude it.`,
        );
      }
      const rel = dirRel ? `${dirRel}/${name}` : name;
      if (excluded(rel, dirent.isDirectory())) continue;
      const entry = readEntry(top, rel);
      entries.push(entry);
      if (entry.kind === 'dir') pending.push(rel);
    }
  }
  checkLinks(entries);
  return entries;
}

/**
 * A file or folder the runner's user cannot read (or one that vanished while the layer was read) is the user's to
 * fix, so it becomes one line naming it; any other error is unexpected and keeps its stack.
 */
export function unreadable(err: unknown, rel: string): Error {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EACCES' || code === 'EPERM') {
    return new ConfigurationError(
      `Input 'path': '${rel}' cannot be read by the runner's user (${code}: permission denied); make it readable (chmod -R a+rX) or exclude it.`,
    );
  }
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new ConfigurationError(
      `Input 'path': '${rel}' disappeared while the layer was read (${code}); is another step still writing the folder?`,
    );
  }
  return err instanceof Error ? err : new Error(String(err));
}

function readFolder(top: string, dirRel: string): Dirent[] {
  try {
    // With their types, so that a folder-only pattern (`build/`) is told apart without a stat per excluded name.
    return readdirSync(dirRel ? path.join(top, dirRel) : top, { withFileTypes: true });
  } catch (err) {
    throw unreadable(err, dirRel || '.');
  }
}

function readEntry(top: string, rel: string): TreeEntry {
  const source = path.join(top, rel);
  let stat: ReturnType<typeof lstatSync>;
  try {
    stat = lstatSync(source);
  } catch (err) {
    throw unreadable(err, rel);
  }
  if (stat.isDirectory()) return { path: rel, kind: 'dir', size: 0, executable: true, source };
  if (stat.isFile()) return { path: rel, kind: 'file', size: stat.size, executable: (stat.mode & 0o111) !== 0, source };
  if (stat.isSymbolicLink()) {
    const target = readlinkSync(source);
    return { path: rel, kind: 'symlink', size: Buffer.byteLength(target), executable: false, source, target };
  }
  throw new ConfigurationError(
    `Input 'path': '${rel}' is not a file, folder or symlink (a socket, FIFO or device); remove it or exclude it.`,
  );
}

/**
 * Every symlink must resolve, hop by hop, to an entry of the layer: Lambda extracts the zip as is, so a link to
 * /etc/passwd, ../secrets or an excluded file would either leak content or break at run time. `where` starts the
 * error: the input (`Input 'path'`) or the zip it came from.
 */
export function checkLinks(entries: TreeEntry[], where = "Input 'path'"): void {
  const byPath = new Map(entries.map((e) => [e.path, e]));
  for (const entry of entries) {
    // Folders a zip holds only implicitly (no entry of their own) still exist once extracted.
    for (let at = entry.path.lastIndexOf('/'); at > 0; at = entry.path.lastIndexOf('/', at - 1)) {
      const parent = entry.path.slice(0, at);
      if (!byPath.has(parent)) byPath.set(parent, { ...entry, path: parent, kind: 'dir', size: 0 });
    }
  }
  byPath.set('', { path: '', kind: 'dir', size: 0, executable: true, source: '' });
  for (const link of entries) {
    if (link.kind !== 'symlink') continue;
    const refuse = (why: string) =>
      new ConfigurationError(
        `${where}: symlink '${link.path}' -> '${link.target}' ${why}; only links to files inside the layer are allowed.`,
      );
    if (path.posix.isAbsolute(link.target!)) throw refuse('is absolute');
    const resolved = resolveLink(link, byPath);
    if (resolved === 'escapes') throw refuse('leaves the folder');
    if (resolved === 'loop') throw refuse('is part of a loop');
    if (!byPath.has(resolved)) throw refuse('points to nothing in the layer (missing or excluded)');
  }
}

/** Resolves a link inside the tree the way the kernel would after extraction, following links met on the way. */
function resolveLink(link: TreeEntry, byPath: Map<string, TreeEntry>): string | 'escapes' | 'loop' {
  let hops = 0;
  const follow = (from: string[], target: string): string[] | 'escapes' | 'loop' => {
    if (++hops > MAX_LINK_HOPS) return 'loop';
    if (path.posix.isAbsolute(target)) return 'escapes';
    const at = [...from];
    for (const segment of target.split('/')) {
      if (segment === '' || segment === '.') continue;
      if (segment === '..') {
        if (at.length === 0) return 'escapes';
        at.pop();
        continue;
      }
      at.push(segment);
      const entry = byPath.get(at.join('/'));
      if (entry?.kind === 'symlink') {
        const next = follow(at.slice(0, -1), entry.target!);
        if (typeof next === 'string') return next;
        at.splice(0, at.length, ...next);
      }
    }
    return at;
  };
  const result = follow(link.path.split('/').slice(0, -1), link.target!);
  return typeof result === 'string' ? result : result.join('/');
}
