/**
 * What a cancelled step undoes before it goes. The runner cancels a JavaScript step with SIGINT, then SIGTERM
 * 7.5 s later, then kills the process tree 2.5 s after that. Work that would leave something behind that costs the
 * user (an unfinished S3 multipart upload, whose parts are stored and billed until a lifecycle rule or an abort
 * removes them) registers an undo while it runs; the action shell runs the undos on the first signal, bounded so the
 * process exits before the runner kills it. Nothing else needs one: whatever else a cancelled run leaves half-done,
 * a rerun completes.
 */
export interface Undo {
  /** What is undone, for the log: "abort the multipart upload to s3://bucket/key". */
  what: string;
  run(): Promise<unknown>;
}

const undos = new Set<Undo>();

/** Registers an undo until the returned function is called (the work finished, or undid itself). */
export function undoOnCancel(what: string, run: () => Promise<unknown>): () => void {
  const undo = { what, run };
  undos.add(undo);
  return () => {
    undos.delete(undo);
  };
}

export interface UndoReport {
  done: string[];
  /** Undos that failed, or were still running when the bound passed. */
  unfinished: string[];
}

/** Runs every registered undo at once, waiting at most `withinMs`; each runs once, however often this is called. */
export async function runUndos(withinMs: number): Promise<UndoReport> {
  const pending = [...undos];
  undos.clear();
  const finished = new Set<Undo>();
  const all = Promise.all(
    pending.map((u) =>
      u.run().then(
        () => finished.add(u),
        () => undefined,
      ),
    ),
  );
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([all, new Promise<void>((resolve) => (timer = setTimeout(resolve, withinMs)))]);
  clearTimeout(timer);
  const whats = (list: Undo[]) => list.map((u) => u.what);
  return {
    done: whats(pending.filter((u) => finished.has(u))),
    unfinished: whats(pending.filter((u) => !finished.has(u))),
  };
}
