import type { EmuResponse, Service } from '../http.js';
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
import { releaseJson } from './shapes.js';
import { isoSeconds, type GitHubState, type ReleaseRecord } from './state.js';

/** Releases: create, list (paginated, newest first), get by id, by tag and the latest, update, delete. */

const REPO = '^/repos/([^/]+)/([^/]+)';
const DOCS = {
  list: '/releases/releases#list-releases',
  create: '/releases/releases#create-a-release',
  get: '/releases/releases#get-a-release',
  latest: '/releases/releases#get-the-latest-release',
  byTag: '/releases/releases#get-a-release-by-tag-name',
  update: '/releases/releases#update-a-release',
  delete: '/releases/releases#delete-a-release',
};

const FIELDS: Record<string, 'string' | 'nullable-string' | 'boolean'> = {
  tag_name: 'string',
  target_commitish: 'string',
  name: 'nullable-string',
  body: 'nullable-string',
  draft: 'boolean',
  prerelease: 'boolean',
  make_latest: 'string',
  discussion_category_name: 'string',
  generate_release_notes: 'boolean',
};

/** GitHub's schema check: a wrong type is a 422 "Invalid request" naming the property. */
function typeError(body: Record<string, unknown>, doc: string): EmuResponse | undefined {
  for (const [field, type] of Object.entries(FIELDS)) {
    const value = body[field];
    if (value === undefined || (value === null && type === 'nullable-string')) continue;
    const ok = type === 'boolean' ? typeof value === 'boolean' : typeof value === 'string';
    if (!ok) {
      const expected = type === 'boolean' ? 'a boolean' : 'a string';
      return ghError(
        422,
        `Invalid request.\n\nFor 'properties/${field}', ${JSON.stringify(value)} is not ${expected}.`,
        doc,
      );
    }
  }
  return undefined;
}

function tagTaken(state: GitHubState, repository: string, tag: string, except?: number): boolean {
  return [...state.releases.values()].some((r) => r.repository === repository && r.tagName === tag && r.id !== except);
}

/** GitHub refuses release notes over 125,000 characters. */
const BODY_LIMIT = 125_000;

function bodyTooLong(body: Record<string, unknown>, doc: string): EmuResponse | undefined {
  if (typeof body.body !== 'string' || body.body.length <= BODY_LIMIT) return undefined;
  return validationFailed(doc, {
    resource: 'Release',
    code: 'custom',
    field: 'body',
    message: `body is too long (maximum is ${BODY_LIMIT} characters)`,
  });
}

const tagExists = (doc: string) =>
  validationFailed(doc, { resource: 'Release', code: 'already_exists', field: 'tag_name' });

/** GitHub's answer to a new release on the tag of a deleted immutable release (seen on github.com). */
const tagOfImmutable = (doc: string) =>
  validationFailed(doc, {
    resource: 'Release',
    code: 'custom',
    field: 'tag_name',
    message: 'tag_name was used by an immutable release',
  });

/** An immutable release's tag cannot move; the wording is modelled on the answer above (not observed). */
const tagLocked = (doc: string) =>
  validationFailed(doc, {
    resource: 'Release',
    code: 'custom',
    field: 'tag_name',
    message: 'tag_name cannot be changed on an immutable release',
  });

function releaseOf(state: GitHubState, ctx: RouteContext): ReleaseRecord | undefined {
  const release = state.releases.get(Number(ctx.params[0]));
  return release?.repository === ctx.repository ? release : undefined;
}

function render(state: GitHubState, ctx: RouteContext, release: ReleaseRecord, status = 200): EmuResponse {
  return ghJson(status, releaseJson(ctx.req.baseUrl, release, state.releaseAssets(release.id)));
}

function repositoryReleases(state: GitHubState, repository: string): ReleaseRecord[] {
  return [...state.releases.values()]
    .filter((r) => r.repository === repository)
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.id - a.id);
}

function create(state: GitHubState, ctx: RouteContext): EmuResponse {
  const body = readJsonBody(ctx.req);
  if (!body) return problemsParsingJson(DOCS.create);
  const invalid = typeError(body, DOCS.create) ?? bodyTooLong(body, DOCS.create);
  if (invalid) return invalid;
  const tag = body.tag_name as string | undefined;
  if (!tag) return ghError(422, `Invalid request.\n\n"tag_name" wasn't supplied.`, DOCS.create);
  if (tagTaken(state, ctx.repository, tag)) return tagExists(DOCS.create);
  if (state.immutableTags.has(`${ctx.repository} ${tag}`)) return tagOfImmutable(DOCS.create);
  const now = isoSeconds();
  const draft = body.draft === true;
  const release: ReleaseRecord = {
    id: state.nextId('release'),
    repository: ctx.repository,
    tagName: tag,
    targetCommitish: (body.target_commitish as string | undefined) ?? 'main',
    name: (body.name as string | null | undefined) ?? null,
    body: (body.body as string | null | undefined) ?? null,
    draft,
    prerelease: body.prerelease === true,
    createdAt: now,
    publishedAt: null,
    updatedAt: now,
    immutable: false,
  };
  if (!draft) state.publish(release, now);
  state.releases.set(release.id, release);
  const response = render(state, ctx, release, 201);
  response.headers = {
    ...response.headers,
    location: `${ctx.req.baseUrl}/repos/${ctx.repository}/releases/${release.id}`,
  };
  return response;
}

function update(state: GitHubState, ctx: RouteContext): EmuResponse {
  const release = releaseOf(state, ctx);
  if (!release) return notFound(DOCS.update);
  const body = readJsonBody(ctx.req);
  if (!body) return problemsParsingJson(DOCS.update);
  const invalid = typeError(body, DOCS.update) ?? bodyTooLong(body, DOCS.update);
  if (invalid) return invalid;
  if (typeof body.tag_name === 'string' && tagTaken(state, ctx.repository, body.tag_name, release.id)) {
    return tagExists(DOCS.update);
  }
  if (release.immutable && typeof body.tag_name === 'string' && body.tag_name && body.tag_name !== release.tagName) {
    return tagLocked(DOCS.update);
  }
  const wasDraft = release.draft;
  if (typeof body.tag_name === 'string' && body.tag_name) release.tagName = body.tag_name;
  if (typeof body.target_commitish === 'string') release.targetCommitish = body.target_commitish;
  if (body.name !== undefined) release.name = body.name as string | null;
  if (body.body !== undefined) release.body = body.body as string | null;
  if (typeof body.draft === 'boolean') release.draft = body.draft;
  if (typeof body.prerelease === 'boolean') release.prerelease = body.prerelease;
  release.updatedAt = isoSeconds();
  if (wasDraft && !release.draft) state.publish(release, release.updatedAt);
  return render(state, ctx, release);
}

export function createReleasesService(state: GitHubState): Service {
  const routes: Route[] = [
    {
      method: 'GET',
      pattern: new RegExp(`${REPO}/releases$`),
      access: 'read',
      doc: DOCS.list,
      handle(ctx) {
        const { page, headers } = paginate(ctx.req, repositoryReleases(state, ctx.repository));
        return ghJson(
          200,
          page.map((r) => releaseJson(ctx.req.baseUrl, r, state.releaseAssets(r.id))),
          headers,
        );
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`${REPO}/releases$`),
      access: 'write',
      doc: DOCS.create,
      handle: (ctx) => create(state, ctx),
    },
    {
      method: 'GET',
      pattern: new RegExp(`${REPO}/releases/latest$`),
      access: 'read',
      doc: DOCS.latest,
      handle(ctx) {
        const latest = repositoryReleases(state, ctx.repository)
          .filter((r) => !r.draft && !r.prerelease)
          .sort((a, b) => Date.parse(b.publishedAt ?? '') - Date.parse(a.publishedAt ?? '') || b.id - a.id)[0];
        return latest ? render(state, ctx, latest) : notFound(DOCS.latest);
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`${REPO}/releases/tags/(.+)$`),
      access: 'read',
      doc: DOCS.byTag,
      handle(ctx) {
        // Drafts have no tag yet as far as this route is concerned.
        const release = repositoryReleases(state, ctx.repository).find((r) => !r.draft && r.tagName === ctx.params[0]);
        return release ? render(state, ctx, release) : notFound(DOCS.byTag);
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`${REPO}/releases/(\\d+)$`),
      access: 'read',
      doc: DOCS.get,
      handle(ctx) {
        const release = releaseOf(state, ctx);
        return release ? render(state, ctx, release) : notFound(DOCS.get);
      },
    },
    {
      method: 'PATCH',
      pattern: new RegExp(`${REPO}/releases/(\\d+)$`),
      access: 'write',
      doc: DOCS.update,
      handle: (ctx) => update(state, ctx),
    },
    {
      method: 'DELETE',
      pattern: new RegExp(`${REPO}/releases/(\\d+)$`),
      access: 'write',
      doc: DOCS.delete,
      handle(ctx) {
        const release = releaseOf(state, ctx);
        if (!release) return notFound(DOCS.delete);
        for (const asset of state.releaseAssets(release.id)) state.assets.delete(asset.id);
        state.releases.delete(release.id);
        if (release.immutable) state.immutableTags.add(`${release.repository} ${release.tagName}`);
        return { status: 204, headers: {} };
      },
    },
  ];
  return restService('github', state, routes);
}
