import yauzl from 'yauzl';

export interface ZipSummary {
  entries: number;
  /** Sum of the entries' uncompressed sizes, as the central directory records them. */
  unzippedSize: number;
}

/**
 * Reads the zip's central directory (no inflating), as Lambda does to enforce the unzipped-size quota.
 * Returns undefined when the buffer is not a readable zip.
 */
export async function inspectZip(zip: Buffer): Promise<ZipSummary | undefined> {
  let file: yauzl.ZipFile;
  try {
    file = await yauzl.fromBufferPromise(zip, { lazyEntries: true, validateEntrySizes: false });
  } catch {
    return undefined;
  }
  return new Promise((resolve) => {
    let entries = 0;
    let unzippedSize = 0;
    file.on('entry', (entry: yauzl.Entry) => {
      entries++;
      unzippedSize += entry.uncompressedSize;
      file.readEntry();
    });
    file.on('end', () => resolve({ entries, unzippedSize }));
    file.on('error', () => resolve(undefined));
    file.readEntry();
  });
}
