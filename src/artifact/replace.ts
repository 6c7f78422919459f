/**
 * Uploads an artifact, replacing one of the same name that this run already holds. Artifact names are unique per
 * workflow run and a re-run job is the same run, so without this "Re-run all jobs" fails the build with the
 * service's 409 (upload-artifact's `overwrite: true` does the same). The look-up happens only after a failed upload,
 * so a first upload costs nothing more.
 */
import { errorMessage, ServiceError } from '../errors.js';
import type { ArtifactStore, StoredArtifact } from './store.js';

export async function uploadReplacing(
  store: ArtifactStore,
  name: string,
  files: string[],
  rootDirectory: string,
  options: {
    retentionDays?: number;
    info?: (message: string) => void;
    /**
     * Work on this name to finish before the upload: the caller's delete of an earlier artifact of the name, begun
     * off the critical path, which spares the upload that would fail and the delete after it.
     */
    after?: Promise<unknown>;
  } = {},
): Promise<StoredArtifact> {
  const upload = () => store.upload(name, files, rootDirectory, { retentionDays: options.retentionDays });
  await options.after?.catch(() => undefined);
  try {
    return await upload();
  } catch (first) {
    // Refused because the run holds the name already: deleted (the client looks it up first), then uploaded again.
    const deleted = store.delete ? await store.delete(name).catch(() => undefined) : undefined;
    if (deleted === undefined) throw uploadFailed(name, first);
    options.info?.(`Replaced artifact '${name}' (id ${deleted}), uploaded earlier in this run (a re-run job).`);
    try {
      return await upload();
    } catch (second) {
      throw uploadFailed(name, second);
    }
  }
}

function uploadFailed(name: string, err: unknown): ServiceError {
  const why = errorMessage(err).split('\n')[0].replace(/\.+$/, '');
  return new ServiceError(`Could not upload artifact '${name}': ${why}; rerun the job.`);
}
