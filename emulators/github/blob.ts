import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { EmuRequest, EmuResponse, Service } from '../http.js';
import type { BlobRecord, GitHubState } from './state.js';

/**
 * The Azure Blob Storage subset that @actions/artifact's BlockBlobClient uses, behind SAS-style signed URLs:
 * Put Block (PUT ?comp=block&blockid=), Put Block List (PUT ?comp=blocklist, XML), Put Blob (single-shot PUT with
 * x-ms-blob-type: BlockBlob) and Get/Head Blob. URLs look like Azurite's path style
 * (http://127.0.0.1:PORT/<account>/<container>/<blob>), which the Azure SDK parses without complaint.
 */

export const BLOB_PREFIX = '/results-blob/artifacts/';
const API_VERSION = '2025-11-05';

export interface SignOptions {
  /** Azure SAS permissions: r (read), c (create), w (write). */
  permissions: string;
  ttlSeconds: number;
  /** Content-Disposition the download should carry (Azure's `rscd`). */
  contentDisposition?: string;
}

function signature(secret: string, path: string, sp: string, se: string, rscd: string): string {
  return createHmac('sha256', secret).update(`${path}\n${sp}\n${se}\n${rscd}`).digest('base64');
}

/** An absolute, signed URL for a blob path (relative to the container). */
export function signBlobUrl(state: GitHubState, base: string, blobPath: string, options: SignOptions): string {
  const path = `${BLOB_PREFIX}${blobPath}`;
  const se = new Date(Date.now() + options.ttlSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const url = new URL(path, base);
  url.searchParams.set('sv', API_VERSION);
  url.searchParams.set('sr', 'b');
  url.searchParams.set('sp', options.permissions);
  url.searchParams.set('se', se);
  if (options.contentDisposition) url.searchParams.set('rscd', options.contentDisposition);
  url.searchParams.set(
    'sig',
    signature(state.config.secret, path, options.permissions, se, options.contentDisposition ?? ''),
  );
  return url.href;
}

/** The blob path of a file name, safe in a URL path segment. */
export function blobPathFor(prefix: string, fileName: string): string {
  return `${prefix}/${encodeURIComponent(fileName)}`;
}

function azureError(status: number, code: string, message: string, extra = ''): EmuResponse {
  const requestId = randomUUID();
  const body =
    `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}\n` +
    `RequestId:${requestId}\nTime:${new Date().toISOString()}</Message>${extra}</Error>`;
  return {
    status,
    headers: {
      'content-type': 'application/xml',
      'x-ms-error-code': code,
      'x-ms-request-id': requestId,
      'x-ms-version': API_VERSION,
    },
    body,
  };
}

/** Azure Storage throttles with 503 ServerBusy (never 429) and fails with 500 InternalError. */
export function blobErrorResponse(kind: 'throttle' | 'server', retryAfterSeconds: number): EmuResponse {
  const response =
    kind === 'throttle'
      ? azureError(503, 'ServerBusy', 'The server is busy.')
      : azureError(500, 'InternalError', 'The server encountered an internal error. Please retry the request.');
  response.headers = { ...response.headers, 'retry-after': retryAfterSeconds };
  return response;
}

function okHeaders(blob?: BlobRecord): Record<string, string> {
  const headers: Record<string, string> = {
    'x-ms-request-id': randomUUID(),
    'x-ms-version': API_VERSION,
    date: new Date().toUTCString(),
  };
  if (blob?.etag) headers.etag = blob.etag;
  if (blob?.lastModified) headers['last-modified'] = blob.lastModified.toUTCString();
  return headers;
}

/** Checks the SAS signature, expiry and permission; an Azure-shaped 403 when any fails. */
function checkSas(state: GitHubState, req: EmuRequest, needed: string): EmuResponse | undefined {
  const q = req.url.searchParams;
  const sp = q.get('sp') ?? '';
  const se = q.get('se') ?? '';
  const given = Buffer.from(q.get('sig') ?? '', 'base64');
  const expected = Buffer.from(signature(state.config.secret, req.url.pathname, sp, se, q.get('rscd') ?? ''), 'base64');
  const detail = (text: string) => `<AuthenticationErrorDetail>${text}</AuthenticationErrorDetail>`;
  const fail = (text: string) =>
    azureError(
      403,
      'AuthenticationFailed',
      'Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.',
      detail(text),
    );
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return fail('Signature did not match.');
  }
  if (!(Date.parse(se) > Date.now())) return fail(`Signed expiry time [${se}] has to be after the current time.`);
  if (![...needed].some((p) => sp.includes(p))) {
    return azureError(
      403,
      'AuthorizationPermissionMismatch',
      'This request is not authorized to perform this operation using this permission.',
    );
  }
  return undefined;
}

function blobOf(state: GitHubState, path: string): BlobRecord {
  let blob = state.blobs.get(path);
  if (!blob) {
    blob = { uncommitted: new Map(), committed: new Map(), contentType: 'application/octet-stream' };
    state.blobs.set(path, blob);
  }
  return blob;
}

function commit(blob: BlobRecord, data: Buffer, req: EmuRequest): void {
  const header = (name: string) => (typeof req.headers[name] === 'string' ? (req.headers[name] as string) : '');
  blob.data = data;
  // Put Block List takes the type from x-ms-blob-content-type only; Put Blob falls back to Content-Type.
  const fallback = req.url.searchParams.get('comp') ? '' : header('content-type');
  blob.contentType = header('x-ms-blob-content-type') || fallback || 'application/octet-stream';
  blob.contentDisposition = header('x-ms-blob-content-disposition') || undefined;
  blob.lastModified = new Date();
  blob.etag = `"0x${createHash('md5').update(data).update(String(Date.now())).digest('hex').slice(0, 15).toUpperCase()}"`;
}

function putBlock(blob: BlobRecord, req: EmuRequest): EmuResponse {
  const id = req.url.searchParams.get('blockid') ?? '';
  const decoded = Buffer.from(id, 'base64');
  if (!id || decoded.length === 0 || decoded.length > 64 || decoded.toString('base64') !== id) {
    return azureError(
      400,
      'InvalidQueryParameterValue',
      'Value for one of the query parameters specified in the request URI is invalid.',
    );
  }
  blob.uncommitted.set(id, req.body);
  return { status: 201, headers: { ...okHeaders(), 'x-ms-request-server-encrypted': 'true' } };
}

function putBlockList(blob: BlobRecord, req: EmuRequest): EmuResponse {
  const xml = req.body.toString('utf8');
  // An empty list (an empty file) arrives self-closed: <BlockList/>.
  if (!/<BlockList\s*\/?>/.test(xml))
    return azureError(400, 'InvalidXmlDocument', 'XML specified is not syntactically valid.');
  const parts: Buffer[] = [];
  const used = new Map<string, Buffer>();
  for (const [, kind, id] of xml.matchAll(/<(Latest|Committed|Uncommitted)>([^<]*)<\/\1>/g)) {
    const block =
      kind === 'Committed'
        ? blob.committed.get(id)
        : kind === 'Uncommitted'
          ? blob.uncommitted.get(id)
          : (blob.uncommitted.get(id) ?? blob.committed.get(id));
    if (!block) return azureError(400, 'InvalidBlockList', 'The specified block list is invalid.');
    parts.push(block);
    used.set(id, block);
  }
  commit(blob, Buffer.concat(parts), req);
  blob.committed = used;
  blob.uncommitted.clear();
  return { status: 201, headers: { ...okHeaders(blob), 'x-ms-request-server-encrypted': 'true' } };
}

function getBlob(blob: BlobRecord | undefined, req: EmuRequest): EmuResponse {
  if (!blob?.data) return azureError(404, 'BlobNotFound', 'The specified blob does not exist.');
  const disposition = req.url.searchParams.get('rscd') ?? blob.contentDisposition;
  const headers: Record<string, string | number> = {
    ...okHeaders(blob),
    'content-type': blob.contentType,
    'x-ms-blob-type': 'BlockBlob',
    'accept-ranges': 'bytes',
    ...(disposition ? { 'content-disposition': disposition } : {}),
  };
  const range = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers['x-ms-range'] ?? req.headers.range ?? ''));
  let body = blob.data;
  let status = 200;
  if (range) {
    const start = Number(range[1]);
    const end = Math.min(range[2] ? Number(range[2]) : blob.data.length - 1, blob.data.length - 1);
    if (start >= blob.data.length)
      return azureError(416, 'InvalidRange', 'The range specified is invalid for the current size of the resource.');
    body = blob.data.subarray(start, end + 1);
    headers['content-range'] = `bytes ${start}-${end}/${blob.data.length}`;
    status = 206;
  }
  if (req.method === 'HEAD') return { status, headers: { ...headers, 'content-length': body.length } };
  return { status, headers, body };
}

export function createBlobService(state: GitHubState): Service {
  return {
    name: 'artifacts',
    matches: (req) => !req.scope && req.url.pathname.startsWith(BLOB_PREFIX),
    errorResponse: blobErrorResponse,
    handle(req) {
      const path = req.url.pathname.slice(BLOB_PREFIX.length);
      const comp = req.url.searchParams.get('comp');
      if (req.method === 'GET' || req.method === 'HEAD') {
        return checkSas(state, req, 'r') ?? getBlob(state.blobs.get(path), req);
      }
      if (req.method !== 'PUT')
        return azureError(405, 'UnsupportedHttpVerb', "The resource doesn't support the specified HTTP verb.");
      const denied = checkSas(state, req, 'cw');
      if (denied) return denied;
      if (comp === 'block') return putBlock(blobOf(state, path), req);
      if (comp === 'blocklist') return putBlockList(blobOf(state, path), req);
      if (comp) return azureError(400, 'InvalidQueryParameterValue', `Unsupported comp=${comp}.`);
      if (req.headers['x-ms-blob-type'] !== 'BlockBlob') {
        return azureError(
          400,
          'MissingRequiredHeader',
          "An HTTP header that's mandatory for this request is not specified.",
        );
      }
      const blob = blobOf(state, path);
      commit(blob, req.body, req);
      blob.committed.clear();
      blob.uncommitted.clear();
      return { status: 201, headers: { ...okHeaders(blob), 'x-ms-request-server-encrypted': 'true' } };
    },
  };
}
