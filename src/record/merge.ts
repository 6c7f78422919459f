/** Merging the result records of a matrix's publish legs into the one record a one-job publish would have written. */
import { ConfigurationError } from '../errors.js';
import { isAvailable, type RegionResult, type ResultRecord } from './record.js';

/** Available rows beat failed ones (a retried leg succeeded), and a failure is never hidden behind a skip. */
function rank(row: RegionResult): number {
  if (isAvailable(row)) return 3;
  if (row.status === 'failed') return 2;
  if (row.status === 'planned') return 1;
  return 0;
}

interface Candidate {
  row: RegionResult;
  createdAt: number;
}

function better(a: Candidate, b: Candidate): Candidate {
  if (rank(a.row) !== rank(b.row)) return rank(a.row) > rank(b.row) ? a : b;
  if (a.createdAt !== b.createdAt) return a.createdAt > b.createdAt ? a : b;
  return (a.row.version ?? 0) >= (b.row.version ?? 0) ? a : b;
}

function time(record: ResultRecord): number {
  const t = record.createdAt ? Date.parse(record.createdAt) : NaN;
  return Number.isNaN(t) ? 0 : t;
}

function union(lists: (string[] | undefined)[]): string[] | undefined {
  const present = lists.filter((l): l is string[] => Array.isArray(l));
  if (present.length === 0) return undefined;
  return [...new Set(present.flat())].sort();
}

/** Legs of one release must have published the same build: a different version or digest is an error. */
function checkSameBuild(records: ResultRecord[], labels: string[]): void {
  for (const key of ['version', 'sha256', 'codeSha256'] as const) {
    const values = new Map<string, string[]>();
    records.forEach((r, i) => values.set(r[key], [...(values.get(r[key]) ?? []), labels[i]]));
    if (values.size > 1) {
      const list = [...values.entries()].map(([v, legs]) => `'${v}' (${legs.join(', ')})`).join(' vs ');
      throw new ConfigurationError(
        `The matrix legs of '${records[0].name}' published different builds: ${key} ${list}. ` +
          'Every leg must publish the same build artifact.',
      );
    }
  }
}

/**
 * One record from many legs. For a region in several legs, a published or unchanged row beats a failed one, and
 * among equals the leg whose record is newest wins (then the higher layer version).
 */
export function mergeRecords(
  records: ResultRecord[],
  labels: string[] = records.map((_, i) => `leg ${i + 1}`),
): ResultRecord {
  if (records.length === 0) throw new ConfigurationError('There are no result records to merge.');
  const names = new Set(records.map((r) => r.name));
  if (names.size > 1) throw new Error(`Cannot merge records of different layers: ${[...names].join(', ')}`);
  checkSameBuild(records, labels);
  const chosen = new Map<string, Candidate>();
  for (const record of records) {
    for (const [region, row] of Object.entries(record.regions)) {
      const candidate = { row, createdAt: time(record) };
      const current = chosen.get(region);
      chosen.set(region, current ? better(current, candidate) : candidate);
    }
  }
  const newest = Math.max(...records.map(time));
  const commits = new Set(records.map((r) => r.commit).filter(Boolean));
  const merged: ResultRecord = {
    schema: 1,
    name: records[0].name,
    version: records[0].version,
    sha256: records[0].sha256,
    codeSha256: records[0].codeSha256,
    regions: Object.fromEntries([...chosen.entries()].map(([region, c]) => [region, c.row])),
  };
  const runtimes = union(records.map((r) => r.runtimes));
  const architectures = union(records.map((r) => r.architectures));
  if (runtimes) merged.runtimes = runtimes;
  if (architectures) merged.architectures = architectures;
  if (commits.size === 1) merged.commit = [...commits][0];
  if (newest > 0) merged.createdAt = new Date(newest).toISOString();
  return merged;
}
