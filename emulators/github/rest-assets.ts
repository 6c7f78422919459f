import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { EmuRequest, EmuResponse, Service } from '../http.js';
import {
  ghError,
  ghJson,
  notFound,
  paginate,
  problemsParsingJson,
  readJsonBody,
  restService,
  validationFailed,
  type Route,
  type RouteContext,
} from './rest.js';
import { assetJson } from './shapes.js';
import { isoSeconds, type AssetRecord, type GitHubState, type ReleaseRecord } from './state.js';

/**
 * Release assets: upload through the release's `upload_url` (/uploads/repos/…/assets{?name,label}), list, get,
 * rename, delete, and download. A download (Accept: application/octet-stream, or the browser_download_url) answers
 * 302 to a short-lived signed URL on this server, as GitHub redirects to its object storage.
 */

const REPO = '^/repos/([^/]+)/([^/]+)';
const ASSET_BLOB_PREFIX = '/release-assets/';
const DOWNLOAD_TTL_SECONDS = 300;
const DOCS = {
  list: '/releases/assets#list-release-assets',
  upload: '/releases/assets#upload-a-release-asset',
  get: '/releases/assets#get-a-release-asset',
  update: '/releases/assets#update-a-release-asset',
  delete: '/releases/assets#delete-a-release-asset',
};

/** GitHub renames names with special characters (to periods) and leading or trailing periods. */
export function assetName(name: string): string {
  const renamed = name.replace(/[^A-Za-z0-9._+\-@~]/g, '.').replace(/^\.+|\.+$/g, '');
  return renamed || 'default';
}

function sign(state: GitHubState, path: string, se: string): string {
  return createHmac('sha256', state.config.secret).update(`${path}\n${se}`).digest('base64url');
}

function signedAssetUrl(state: GitHubState, base: string, asset: AssetRecord): string {
  const path = `${ASSET_BLOB_PREFIX}${asset.id}/${encodeURIComponent(asset.name)}`;
  const se = String(Math.floor(Date.now() / 1000) + DOWNLOAD_TTL_SECONDS);
  return `${base}${path}?se=${se}&sig=${sign(state, path, se)}`;
}

function redirectToBytes(state: GitHubState, req: EmuRequest, asset: AssetRecord): EmuResponse {
  return { status: 302, headers: { location: signedAssetUrl(state, req.baseUrl, asset) } };
}

function serveSigned(state: GitHubState, req: EmuRequest): EmuResponse {
  const q = req.url.searchParams;
  const se = q.get('se') ?? '';
  const given = Buffer.from(q.get('sig') ?? '');
  const expected = Buffer.from(sign(state, req.url.pathname, se));
  if (given.length !== expected.length || !timingSafeEqual(given, expected) || Number(se) * 1000 < Date.now()) {
    return {
      status: 403,
      headers: { 'content-type': 'application/xml' },
      body: '<Error><Code>AccessDenied</Code><Message>Request has expired or its signature does not match</Message></Error>',
    };
  }
  const asset = state.assets.get(Number(/^\/release-assets\/(\d+)\//.exec(req.url.pathname)?.[1]));
  if (!asset)
    return {
      status: 404,
      headers: { 'content-type': 'application/xml' },
      body: '<Error><Code>BlobNotFound</Code></Error>',
    };
  asset.downloadCount++;
  return {
    status: 200,
    headers: {
      'content-type': 'application/octet-stream',
      'content-disposition': `attachment; filename=${asset.name}`,
      etag: `"0x${asset.sha256.slice(0, 16).toUpperCase()}"`,
    },
    body: asset.data,
  };
}

/**
 * What GitHub answers when an immutable release's assets would change. The upload answer (a bare message) and the
 * delete answer (a validation failure) are GitHub's as seen on github.com; the rename answer is modelled on the
 * delete one.
 */
const IMMUTABLE = {
  upload: () => ghError(422, 'Cannot upload assets to an immutable release.'),
  delete: () =>
    validationFailed(DOCS.delete, {
      resource: 'ReleaseAsset',
      code: 'custom',
      message: 'Cannot delete asset from an immutable release',
    }),
  update: () =>
    validationFailed(DOCS.update, {
      resource: 'ReleaseAsset',
      code: 'custom',
      message: 'Cannot update asset from an immutable release',
    }),
};

function upload(state: GitHubState, ctx: RouteContext): EmuResponse {
  const release = state.releases.get(Number(ctx.params[0]));
  if (!release || release.repository !== ctx.repository) return notFound(DOCS.upload);
  if (release.immutable) return IMMUTABLE.upload();
  const requested = ctx.req.url.searchParams.get('name');
  if (!requested)
    return validationFailed(DOCS.upload, { resource: 'ReleaseAsset', code: 'missing_field', field: 'name' });
  const name = assetName(requested);
  if (state.releaseAssets(release.id).some((a) => a.name === name)) {
    return validationFailed(DOCS.upload, { resource: 'ReleaseAsset', code: 'already_exists', field: 'name' });
  }
  const now = isoSeconds();
  const asset: AssetRecord = {
    id: state.nextId('asset'),
    releaseId: release.id,
    repository: ctx.repository,
    name,
    label: ctx.req.url.searchParams.get('label') || null,
    contentType: String(ctx.req.headers['content-type'] ?? '') || 'application/octet-stream',
    data: ctx.req.body,
    sha256: createHash('sha256').update(ctx.req.body).digest('hex'),
    createdAt: now,
    updatedAt: now,
    downloadCount: 0,
  };
  state.assets.set(asset.id, asset);
  return ghJson(201, assetJson(ctx.req.baseUrl, release, asset));
}

function assetOf(state: GitHubState, ctx: RouteContext): { asset: AssetRecord; release: ReleaseRecord } | undefined {
  const asset = state.assets.get(Number(ctx.params[0]));
  const release = asset && state.releases.get(asset.releaseId);
  return asset && release && asset.repository === ctx.repository ? { asset, release } : undefined;
}

function updateAsset(state: GitHubState, ctx: RouteContext): EmuResponse {
  const found = assetOf(state, ctx);
  if (!found) return notFound(DOCS.update);
  const body = readJsonBody(ctx.req);
  if (!body) return problemsParsingJson(DOCS.update);
  const { asset, release } = found;
  if (release.immutable) return IMMUTABLE.update();
  if (typeof body.name === 'string') {
    const name = assetName(body.name);
    if (state.releaseAssets(release.id).some((a) => a.name === name && a.id !== asset.id)) {
      return validationFailed(DOCS.update, { resource: 'ReleaseAsset', code: 'already_exists', field: 'name' });
    }
    asset.name = name;
  }
  if (body.label !== undefined) asset.label = typeof body.label === 'string' ? body.label : null;
  asset.updatedAt = isoSeconds();
  return ghJson(200, assetJson(ctx.req.baseUrl, release, asset));
}

export function createAssetsService(state: GitHubState): Service {
  const routes: Route[] = [
    {
      method: 'GET',
      pattern: new RegExp(`${REPO}/releases/(\\d+)/assets$`),
      access: 'read',
      doc: DOCS.list,
      handle(ctx) {
        const release = state.releases.get(Number(ctx.params[0]));
        if (!release || release.repository !== ctx.repository) return notFound(DOCS.list);
        const { page, headers } = paginate(
          ctx.req,
          state.releaseAssets(release.id).sort((a, b) => a.id - b.id),
        );
        return ghJson(
          200,
          page.map((a) => assetJson(ctx.req.baseUrl, release, a)),
          headers,
        );
      },
    },
    {
      method: 'POST',
      pattern: /^\/uploads\/repos\/([^/]+)\/([^/]+)\/releases\/(\d+)\/assets$/,
      access: 'write',
      doc: DOCS.upload,
      handle: (ctx) => upload(state, ctx),
    },
    {
      method: 'GET',
      pattern: new RegExp(`${REPO}/releases/assets/(\\d+)$`),
      access: 'read',
      doc: DOCS.get,
      handle(ctx) {
        const found = assetOf(state, ctx);
        if (!found) return notFound(DOCS.get);
        if (String(ctx.req.headers.accept ?? '').includes('application/octet-stream')) {
          return redirectToBytes(state, ctx.req, found.asset);
        }
        return ghJson(200, assetJson(ctx.req.baseUrl, found.release, found.asset));
      },
    },
    {
      method: 'PATCH',
      pattern: new RegExp(`${REPO}/releases/assets/(\\d+)$`),
      access: 'write',
      doc: DOCS.update,
      handle: (ctx) => updateAsset(state, ctx),
    },
    {
      method: 'DELETE',
      pattern: new RegExp(`${REPO}/releases/assets/(\\d+)$`),
      access: 'write',
      doc: DOCS.delete,
      handle(ctx) {
        const found = assetOf(state, ctx);
        if (!found) return notFound(DOCS.delete);
        if (found.release.immutable) return IMMUTABLE.delete();
        state.assets.delete(found.asset.id);
        return { status: 204, headers: {} };
      },
    },
    {
      method: 'GET',
      pattern: /^\/([^/]+)\/([^/]+)\/releases\/download\/(.+)\/([^/]+)$/,
      access: 'none',
      doc: '',
      handle(ctx) {
        const [owner, repo, tag, name] = ctx.params;
        const repository = state.repository(owner, repo);
        const release = [...state.releases.values()].find(
          (r) => r.repository === repository && !r.draft && r.tagName === tag,
        );
        const asset = release && state.releaseAssets(release.id).find((a) => a.name === name);
        return asset ? redirectToBytes(state, ctx.req, asset) : ghError(404, 'Not Found');
      },
    },
    {
      method: 'GET',
      pattern: /^\/release-assets\/\d+\/[^/]+$/,
      access: 'none',
      doc: '',
      handle: (ctx) => serveSigned(state, ctx.req),
    },
  ];
  return restService('github', state, routes);
}
