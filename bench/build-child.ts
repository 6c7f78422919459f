/**
 * One measured build for bench/build.ts, in its own process so that its peak RSS is its own:
 * `node --import tsx bench/build-child.ts <ours|archiver> <tree> <out-dir>` prints {"wallMs","size","rssKiB"}.
 * `archiver` is the zip library @actions/artifact uses (a dependency of it, not of ours): the library peer that
 * src/layer/zip.ts is measured against.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { buildLayer } from '../src/layer/build.js';
import { walkTree } from '../src/layer/walk.js';

const [tool, tree, outputDir] = process.argv.slice(2);
const started = performance.now();
const size = tool === 'archiver' ? await withArchiver() : await withOurs();
const wallMs = performance.now() - started;
process.stdout.write(`${JSON.stringify({ wallMs, size, rssKiB: process.resourceUsage().maxRSS })}\n`);

async function withOurs(): Promise<number> {
  const layer = await buildLayer(
    {
      name: 'bench',
      path: tree,
      runtimes: [],
      architectures: [],
      // The tree is a node_modules folder: zipped as is, like Info-ZIP, with nothing excluded.
      layout: { kind: 'none' },
      exclude: [],
      version: '1.0.0',
      description: '',
      licenseInfo: '',
      outputDir,
      epochSeconds: 0,
      commit: '',
      ref: '',
      runId: '',
    },
    { info: () => undefined, warning: () => undefined },
  );
  return layer.manifest.size;
}

interface Archive {
  pipe(stream: NodeJS.WritableStream): void;
  file(source: string, data: { name: string; date: Date; mode: number }): void;
  finalize(): Promise<void>;
}

/** The same entries, sorted the same way, streamed one at a time through archiver at level 6. */
async function withArchiver(): Promise<number> {
  const { default: archiver } = (await import('archiver' as string)) as {
    default: { create(format: 'zip', options: { zlib: { level: number } }): Archive };
  };
  const files = (await walkTree(tree, [])).filter((e) => e.kind === 'file').sort((a, b) => (a.path < b.path ? -1 : 1));
  await mkdir(outputDir, { recursive: true });
  const out = path.join(outputDir, 'archiver.zip');
  const sink = createWriteStream(out);
  const closed = new Promise<void>((resolve) => sink.on('close', () => resolve()));
  const archive = archiver.create('zip', { zlib: { level: 6 } });
  archive.pipe(sink);
  for (const f of files) archive.file(f.source, { name: f.path, date: new Date(315532800000), mode: 0o644 });
  await archive.finalize();
  await closed;
  return (await stat(out)).size;
}
