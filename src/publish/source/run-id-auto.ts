/**
 * `run-id: auto`: which run's artifact to take. This run's own first; else that of the newest run of this commit
 * that succeeded on a push or release event. A failed run, one still running, or one of a pull request (whose code
 * may differ from what was merged) never supplies the layer.
 */
import type { ArtifactStore, FindOptions, StoredArtifact } from '../../artifact/store.js';
import { ConfigurationError } from '../../errors.js';
import type { Manifest } from '../../layer/manifest.js';

/** A workflow run as the REST API lists it, with what `run-id: auto` chooses by. */
export interface WorkflowRun {
  id: number;
  event: string;
  status: string;
  conclusion: string | null;
  createdAt: string;
}

/** At most this many runs of the commit are searched for the artifact. */
const MAX_RUNS_SEARCHED = 20;

type Service = <T>(what: string, call: () => Promise<T>) => Promise<T>;

interface AutoDeps {
  store?: ArtifactStore;
  runsForCommit?(): Promise<WorkflowRun[]>;
  currentRunId?: number;
  context: { sha?: string };
}

/** Events whose runs build what is released: a push (of a branch or tag) and a release. */
const BUILD_EVENTS = ['push', 'release'];

/** The artifact `run-id: auto` takes, with the options to download it and a line naming where it came from. */
export async function findNewestBuild(
  name: string,
  deps: AutoDeps,
  other: (runId: number) => FindOptions,
  service: Service,
): Promise<{ artifact: StoredArtifact; options: FindOptions; origin: string }> {
  const store = deps.store!;
  const own = await service(`Looking up artifact '${name}'`, () => store.find(name));
  const sha = deps.context.sha ?? '(unknown)';
  if (own) {
    return { artifact: own, options: {}, origin: `artifact '${name}' of this run${runLabel(deps.currentRunId)}` };
  }
  const listed = await service(`Listing the workflow runs of commit ${sha}`, () =>
    deps.runsForCommit ? deps.runsForCommit() : Promise.resolve([]),
  );
  const eligible = listed
    .filter((r) => r.id !== deps.currentRunId)
    .filter((r) => r.status === 'completed' && r.conclusion === 'success' && BUILD_EVENTS.includes(r.event))
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.id - a.id);
  for (const run of eligible.slice(0, MAX_RUNS_SEARCHED)) {
    const options = other(run.id);
    const artifact = await service(`Looking up artifact '${name}' of run ${run.id}`, () => store.find(name, options));
    if (artifact) {
      const origin = `artifact '${name}' of run ${run.id} (${run.event}, ${run.conclusion}, created ${run.createdAt})`;
      return { artifact, options, origin };
    }
  }
  const others = listed.filter((r) => r.id !== deps.currentRunId).length - eligible.length;
  throw new ConfigurationError(
    `Input 'run-id': 'auto' found no artifact '${name}' in this run nor in the ${Math.min(eligible.length, MAX_RUNS_SEARCHED)} newest successful push or release runs of commit ${sha}` +
      `${others > 0 ? ` (${others} other run(s) of it were passed over: failed, unfinished, or of another event)` : ''}; ` +
      "build in this run (needs: build), or set 'run-id' to the run that built it.",
  );
}

function runLabel(runId: number | undefined): string {
  return runId === undefined ? '' : ` (run ${runId})`;
}

/**
 * The manifest of an artifact `run-id: auto` chose must say it was built from this commit: the run's head_sha is
 * what it was triggered for, not necessarily what its build step checked out.
 */
export function checkCommit(manifest: Manifest, origin: string, deps: AutoDeps, warnings: string[]): void {
  const sha = deps.context.sha?.toLowerCase();
  if (!sha) return;
  const commit = manifest.commit.toLowerCase();
  if (!commit) {
    warnings.push(`The manifest of the ${origin} records no commit; it could not be checked against ${sha}.`);
    return;
  }
  if (commit !== sha) {
    throw new ConfigurationError(
      `Input 'run-id': the ${origin} was built from commit ${commit}, not this run's ${sha}; nothing was published. Set 'run-id' to the run that built ${sha}.`,
    );
  }
}
