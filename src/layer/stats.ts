/**
 * What the job summary shows about a layer's content: the packages (folders) that take the most room.
 */

export interface FolderSize {
  /** Path in the zip, e.g. python/numpy or nodejs/node_modules/@aws-sdk/client-s3. */
  path: string;
  bytes: number;
  files: number;
}

/**
 * Folders that only hold packages (python/, node_modules/, site-packages/ …) are looked through, so that the summary
 * names packages rather than `python/` with 100% of the size.
 */
const CONTAINER = [
  /^(python|nodejs|ruby|java|lib|bin|extensions|gems|site-packages|dist-packages|node_modules)$/,
  /^python\d+(\.\d+)*$/,
  /^node\d+$/,
  /^\d+\.\d+\.\d+$/,
];

function packageOf(filePath: string): string {
  const segments = filePath.split('/');
  const key: string[] = [];
  for (let i = 0; i < segments.length - 1; i++) {
    const segment = segments[i];
    key.push(segment);
    const scope = segment.startsWith('@') && segments[i - 1] === 'node_modules';
    if (!scope && !CONTAINER.some((re) => re.test(segment))) return key.join('/');
  }
  // A file straight inside container folders (bin/tool, python/six.py) is its own package.
  return filePath;
}

export function largestFolders(entries: { path: string; kind: string; size: number }[], count = 10): FolderSize[] {
  const sizes = new Map<string, FolderSize>();
  for (const entry of entries) {
    if (entry.kind === 'dir') continue;
    const key = packageOf(entry.path);
    const folder = sizes.get(key) ?? { path: key, bytes: 0, files: 0 };
    folder.bytes += entry.size;
    folder.files += 1;
    sizes.set(key, folder);
  }
  return [...sizes.values()].sort((a, b) => b.bytes - a.bytes || (a.path < b.path ? -1 : 1)).slice(0, count);
}
