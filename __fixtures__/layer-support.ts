// Helpers for the layer tests: trees on disk, builds with defaults, and independent readers of the zip.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildLayer, type LayerBuild, type LayerBuildSettings } from '../src/layer/build.js';
import { DEFAULT_EXCLUDE } from '../src/layer/walk.js';

export type Node = string | Buffer | { link: string } | { content: string | Buffer; mode: number } | { dir: true };

export async function tempDir(prefix = 'llr-layer-'): Promise<string> {
  return mkdtemp(path.join(tmpdir(), prefix));
}

/** Writes `tree` under `root` in the given order of keys (creation order is part of some tests). */
export async function makeTree(root: string, tree: Record<string, Node>): Promise<string> {
  await mkdir(root, { recursive: true });
  for (const [rel, node] of Object.entries(tree)) {
    const full = path.join(root, rel);
    await mkdir(path.dirname(full), { recursive: true });
    if (typeof node === 'string' || Buffer.isBuffer(node)) await writeFile(full, node);
    else if ('link' in node) await symlink(node.link, full);
    else if ('dir' in node) await mkdir(full, { recursive: true });
    else {
      await writeFile(full, node.content);
      await chmod(full, node.mode);
    }
  }
  return root;
}

export const logger = () => {
  const lines = { info: [] as string[], warning: [] as string[] };
  return {
    lines,
    log: { info: (m: string) => lines.info.push(m), warning: (m: string) => lines.warning.push(m) },
  };
};

export async function build(
  source: string,
  overrides: Partial<LayerBuildSettings> = {},
): Promise<LayerBuild & { warningsLogged: string[] }> {
  const { lines, log } = logger();
  const result = await buildLayer(
    {
      name: 'test-layer',
      path: source,
      runtimes: [],
      architectures: [],
      layout: { kind: 'none' },
      exclude: DEFAULT_EXCLUDE,
      version: '1.0.0',
      description: '',
      licenseInfo: '',
      outputDir: path.join(await tempDir('llr-out-'), 'out'),
      epochSeconds: Date.UTC(1980, 1, 1) / 1000,
      commit: 'c0ffee',
      ref: 'refs/tags/v1.0.0',
      runId: '7',
      ...overrides,
    },
    log,
  );
  return { ...result, warningsLogged: lines.warning };
}

export interface ZipInfo {
  name: string;
  mode: number;
  date: number[];
  size: number;
  method: number;
  extra: number;
}

/** Python's zipfile as an independent reader: testzip must pass; returns every entry. */
export function pythonEntries(zipPath: string): ZipInfo[] {
  const script = [
    'import json, sys, zipfile',
    'z = zipfile.ZipFile(sys.argv[1])',
    'bad = z.testzip()',
    'assert bad is None, bad',
    'print(json.dumps([{"name": i.filename, "mode": i.external_attr >> 16, "date": list(i.date_time),',
    '  "size": i.file_size, "method": i.compress_type, "extra": len(i.extra)} for i in z.infolist()]))',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', script, zipPath], { maxBuffer: 1 << 28 }).toString());
}

/** Info-ZIP's unzip -t as a second independent reader. */
export function unzipTest(zipPath: string): { ok: boolean; output: string } {
  const result = spawnSync('unzip', ['-tqq', zipPath], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}
