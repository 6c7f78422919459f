/**
 * Artifacts in a local folder, for one-job pipelines, runs outside GitHub and tests. Laid out as
 * `<root>/<run id>/<name>/<files>` with `<root>/<run id>/<name>.json` holding the id, size and digest.
 */
import { createHash } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigurationError } from '../errors.js';
import type { ArtifactStore, FindOptions, StoredArtifact } from './store.js';

const ID_FILE = '.next-id';

export class LocalArtifactStore implements ArtifactStore {
  constructor(
    private readonly root: string,
    /** The run this store writes to and reads from unless `runId` says otherwise. */
    private readonly runId = 'local',
  ) {}

  async upload(name: string, files: string[], rootDirectory: string): Promise<StoredArtifact> {
    const base = path.resolve(rootDirectory);
    const relative = files.map((f) => path.relative(base, path.resolve(f)));
    const outside = relative.find((r) => r.startsWith('..') || path.isAbsolute(r));
    if (outside !== undefined) throw new Error(`${outside} is not inside the artifact's root ${base}`);
    const folder = this.folder(name);
    // Same name in the same run: replaced, so a local pipeline can be rerun.
    await rm(folder, { recursive: true, force: true });
    for (const rel of relative) {
      await mkdir(path.dirname(path.join(folder, rel)), { recursive: true });
      await cp(path.join(base, rel), path.join(folder, rel));
    }
    const { digest, size } = await digestOf(folder);
    const artifact: StoredArtifact = { id: await this.nextId(), name, size, digest };
    await writeFile(`${folder}.json`, JSON.stringify(artifact));
    return artifact;
  }

  async find(name: string, options: FindOptions = {}): Promise<StoredArtifact | undefined> {
    const text = await readFile(`${this.folder(name, options.runId)}.json`, 'utf8').catch(() => undefined);
    return text === undefined ? undefined : (JSON.parse(text) as StoredArtifact);
  }

  async list(options: FindOptions = {}): Promise<StoredArtifact[]> {
    const run = path.join(this.root, String(options.runId ?? this.runId));
    // Each artifact is a folder beside its `<name>.json` record (a folder may itself be called `x.json`).
    const entries = await readdir(run, { withFileTypes: true }).catch(() => []);
    const records = entries.filter((e) => e.isFile() && e.name.endsWith('.json'));
    const found = await Promise.all(
      records.map(async (e) => JSON.parse(await readFile(path.join(run, e.name), 'utf8'))),
    );
    return (found as StoredArtifact[]).sort((a, b) => a.id - b.id);
  }

  async download(artifact: StoredArtifact, directory: string, options: FindOptions = {}): Promise<string> {
    const folder = this.folder(artifact.name, options.runId);
    const { digest } = await digestOf(folder);
    if (artifact.digest && digest !== artifact.digest) {
      throw new ConfigurationError(
        `Artifact '${artifact.name}' in ${folder} changed since it was stored (SHA-256 ${digest}, recorded ${artifact.digest}).`,
      );
    }
    await mkdir(directory, { recursive: true });
    await cp(folder, directory, { recursive: true });
    return path.resolve(directory);
  }

  async delete(name: string): Promise<number | undefined> {
    const found = await this.find(name);
    const folder = this.folder(name);
    await rm(folder, { recursive: true, force: true });
    await rm(`${folder}.json`, { force: true });
    return found?.id;
  }

  private folder(name: string, runId?: number | string): string {
    if (!name || /[\\/]|^\.\.?$/.test(name)) throw new ConfigurationError(`Invalid artifact name '${name}'.`);
    return path.join(this.root, String(runId ?? this.runId), name);
  }

  private async nextId(): Promise<number> {
    await mkdir(this.root, { recursive: true });
    const file = path.join(this.root, ID_FILE);
    const id = Number((await readFile(file, 'utf8').catch(() => '0')).trim() || '0') + 1;
    await writeFile(file, String(id));
    return id;
  }
}

/** SHA-256 over every file's relative path, size and bytes, in byte-wise path order. */
async function digestOf(folder: string): Promise<{ digest: string; size: number }> {
  const files = (await readdir(folder, { recursive: true }))
    .map((f) => f.split(path.sep).join('/'))
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const hash = createHash('sha256');
  let size = 0;
  for (const file of files) {
    const full = path.join(folder, file);
    if (!(await stat(full)).isFile()) continue;
    const data = await readFile(full);
    hash.update(`${file}\0${data.length}\0`).update(data);
    size += data.length;
  }
  return { digest: hash.digest('hex'), size };
}
