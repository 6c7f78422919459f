import { createHash } from 'node:crypto';
import { json, type EmuRequest, type EmuResponse, type Service } from '../http.js';
import { blobPathFor, signBlobUrl } from './blob.js';
import { isoSeconds, type ArtifactRecord, type GitHubState } from './state.js';
import { parseRuntimeToken, readAuthorization, type RuntimeIds } from './tokens.js';

/**
 * The Actions results service's ArtifactService, as @actions/artifact 6 calls it: Twirp over JSON with proto field
 * names (snake_case), int64 values as strings, wrapper types (StringValue, Int64Value) as bare values and
 * Timestamps as RFC 3339 strings. Artifacts belong to the workflow run named in the runtime token's scope.
 */

export const TWIRP_PREFIX = '/twirp/github.actions.results.api.v1.ArtifactService/';
const UPLOAD_URL_TTL = 6 * 3600;
const DOWNLOAD_URL_TTL = 3600;
const DEFAULT_RETENTION_DAYS = 90;

const TWIRP_STATUS: Record<string, number> = {
  invalid_argument: 400,
  malformed: 400,
  unauthenticated: 401,
  permission_denied: 403,
  not_found: 404,
  bad_route: 404,
  already_exists: 409,
  failed_precondition: 412,
  resource_exhausted: 429,
  internal: 500,
  unavailable: 503,
};

export function twirpError(code: keyof typeof TWIRP_STATUS, msg: string, headers = {}): EmuResponse {
  return json(TWIRP_STATUS[code], { code, msg }, headers);
}

/** The Twirp client retries 429 and 5xx answers (not connection resets) with backoff from 3 s. */
export function twirpErrorResponse(kind: 'throttle' | 'server', retryAfterSeconds: number): EmuResponse {
  return kind === 'throttle'
    ? twirpError('resource_exhausted', 'rate limited: too many requests', { 'retry-after': retryAfterSeconds })
    : twirpError('internal', 'internal error');
}

type Body = Record<string, unknown>;
const str = (value: unknown): string => (typeof value === 'string' ? value : '');

interface Call {
  req: EmuRequest;
  body: Body;
  ids: RuntimeIds;
  repository: string;
}

/** The blob file name: zipped artifacts are `<name>.zip`; a skipArchive upload keeps its file name. */
function blobFileName(name: string, mimeType: string): string {
  return mimeType === 'application/zip' && !name.toLowerCase().endsWith('.zip') ? `${name}.zip` : name;
}

function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

function findArtifact(state: GitHubState, runId: string, name: string): ArtifactRecord | undefined {
  return [...state.artifacts.values()].find((a) => a.runId === runId && a.name === name);
}

function createArtifact(state: GitHubState, { req, body, ids, repository }: Call): EmuResponse {
  const name = str(body.name);
  if (!name) return twirpError('invalid_argument', 'name is required');
  const mimeType = str(body.mime_type) || 'application/zip';
  let expiresAt = new Date(Date.now() + DEFAULT_RETENTION_DAYS * 86_400_000);
  if (body.expires_at !== undefined) {
    expiresAt = new Date(str(body.expires_at));
    if (Number.isNaN(expiresAt.getTime())) return twirpError('invalid_argument', 'expires_at is not a timestamp');
  }
  const existing = findArtifact(state, ids.runId, name);
  if (existing?.finalized) {
    return twirpError('already_exists', 'an artifact with this name already exists on the workflow run');
  }
  // An unfinished upload under the same name (a crashed or retried attempt) is started over with the same id.
  if (existing) state.deleteArtifact(existing);
  const id = existing?.id ?? state.nextId('artifact');
  const now = isoSeconds();
  const prefix = [ids.runId, ids.jobId, String(id)].map(encodeURIComponent).join('/');
  const artifact: ArtifactRecord = {
    id,
    repository,
    runId: ids.runId,
    jobId: ids.jobId,
    name,
    mimeType,
    blobPath: blobPathFor(prefix, blobFileName(name, mimeType)),
    createdAt: now,
    updatedAt: now,
    expiresAt: isoSeconds(expiresAt),
    finalized: false,
    size: 0,
  };
  state.artifacts.set(id, artifact);
  if (/^\d+$/.test(ids.runId) && !state.runs.has(Number(ids.runId))) {
    state.upsertRun({ id: Number(ids.runId), repository, status: 'in_progress', conclusion: null });
  }
  const url = signBlobUrl(state, req.baseUrl, artifact.blobPath, { permissions: 'cw', ttlSeconds: UPLOAD_URL_TTL });
  return json(200, { ok: true, signed_upload_url: url });
}

function finalizeArtifact(state: GitHubState, { body, ids }: Call): EmuResponse {
  const artifact = findArtifact(state, ids.runId, str(body.name));
  if (!artifact) return twirpError('not_found', 'artifact not found');
  const data = state.blobs.get(artifact.blobPath)?.data;
  if (!data) return twirpError('failed_precondition', 'no blob has been committed for this artifact');
  const sha256 = createHash('sha256').update(data).digest('hex');
  // int64 zero is a default value, which the client leaves out of the JSON.
  const size = Number(str(body.size) || '0');
  if (size !== data.length) {
    return twirpError('invalid_argument', `size ${size} does not match the ${data.length} bytes uploaded`);
  }
  const hash = body.hash === undefined ? undefined : str(body.hash);
  if (hash !== undefined && hash !== `sha256:${sha256}`) {
    return twirpError('invalid_argument', `hash ${hash} does not match the uploaded content (sha256:${sha256})`);
  }
  if (artifact.finalized && artifact.sha256 !== sha256) {
    return twirpError('failed_precondition', 'artifact is already finalized');
  }
  Object.assign(artifact, { finalized: true, size, sha256, clientDigest: hash, updatedAt: isoSeconds() });
  return json(200, { ok: true, artifact_id: String(artifact.id) });
}

function listArtifacts(state: GitHubState, { body, ids }: Call): EmuResponse {
  const nameFilter = body.name_filter === undefined ? undefined : str(body.name_filter);
  const idFilter = body.id_filter === undefined ? undefined : String(body.id_filter);
  const artifacts = state
    .runArtifacts(ids.runId)
    .filter(
      (a) =>
        (nameFilter === undefined || a.name === nameFilter) && (idFilter === undefined || String(a.id) === idFilter),
    )
    .sort((a, b) => a.id - b.id)
    .map((a) => ({
      workflow_run_backend_id: a.runId,
      workflow_job_run_backend_id: a.jobId,
      database_id: String(a.id),
      name: a.name,
      size: String(a.size),
      created_at: a.createdAt,
      digest: a.clientDigest ?? `sha256:${a.sha256}`,
    }));
  return json(200, { artifacts });
}

function getSignedArtifactUrl(state: GitHubState, { req, body, ids }: Call): EmuResponse {
  const artifact = state.runArtifacts(ids.runId).find((a) => a.name === str(body.name));
  if (!artifact) return twirpError('not_found', 'artifact not found');
  return json(200, { signed_url: downloadUrl(state, req.baseUrl, artifact) });
}

/** A signed read URL for an artifact's blob, used by GetSignedArtifactURL and the REST /zip redirect. */
export function downloadUrl(state: GitHubState, base: string, artifact: ArtifactRecord): string {
  const fileName = decodeURIComponent(artifact.blobPath.slice(artifact.blobPath.lastIndexOf('/') + 1));
  return signBlobUrl(state, base, artifact.blobPath, {
    permissions: 'r',
    ttlSeconds: DOWNLOAD_URL_TTL,
    contentDisposition: contentDisposition(fileName),
  });
}

function deleteArtifact(state: GitHubState, { body, ids }: Call): EmuResponse {
  const artifact = state.runArtifacts(ids.runId).find((a) => a.name === str(body.name));
  if (!artifact) return twirpError('not_found', 'artifact not found');
  state.deleteArtifact(artifact);
  return json(200, { ok: true, artifact_id: String(artifact.id) });
}

const METHODS: Record<string, (state: GitHubState, call: Call) => EmuResponse> = {
  CreateArtifact: createArtifact,
  FinalizeArtifact: finalizeArtifact,
  ListArtifacts: listArtifacts,
  GetSignedArtifactURL: getSignedArtifactUrl,
  DeleteArtifact: deleteArtifact,
};

function parseBody(req: EmuRequest): Body | undefined {
  try {
    const value: unknown = JSON.parse(req.body.toString('utf8') || '{}');
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Body) : undefined;
  } catch {
    return undefined;
  }
}

export function createTwirpService(state: GitHubState): Service {
  return {
    name: 'artifacts',
    matches: (req) => !req.scope && req.url.pathname.startsWith(TWIRP_PREFIX),
    errorResponse: twirpErrorResponse,
    handle(req) {
      const method = METHODS[req.url.pathname.slice(TWIRP_PREFIX.length)];
      if (req.method !== 'POST' || !method)
        return twirpError('bad_route', `no handler for ${req.method} ${req.url.pathname}`);
      if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
        return twirpError('bad_route', 'unexpected Content-Type: only application/json is served here');
      }
      const credential = readAuthorization(String(req.headers.authorization ?? ''));
      const ids = credential && parseRuntimeToken(credential.token);
      if (!credential || !ids) return twirpError('unauthenticated', 'a valid ACTIONS_RUNTIME_TOKEN is required');
      state.recordAuth({ method: req.method, path: req.url.pathname, ...credential });
      const body = parseBody(req);
      if (!body) return twirpError('malformed', 'the request body is not a JSON object');
      if (str(body.workflow_run_backend_id) !== ids.runId) {
        return twirpError(
          'permission_denied',
          `the runtime token does not grant access to run '${str(body.workflow_run_backend_id)}'`,
        );
      }
      const repository = state.canonical(ids.repository ?? state.config.repository);
      return method(state, { req, body, ids, repository });
    },
  };
}
