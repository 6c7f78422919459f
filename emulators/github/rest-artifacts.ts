import type { EmuResponse, Service } from '../http.js';
import { ghError, ghJson, notFound, paginate, restService, type Route, type RouteContext } from './rest.js';
import { artifactJson } from './shapes.js';
import { isExpired, type ArtifactRecord, type GitHubState } from './state.js';
import { downloadUrl } from './twirp.js';

/**
 * The REST routes for workflow run artifacts, which @actions/artifact's `findBy` (another run, with a token) uses:
 * list a run's artifacts by name, get one, delete one, and GET .../zip, which answers 302 to a signed blob URL.
 */

const REPO = '^/repos/([^/]+)/([^/]+)';
const DOCS = {
  list: '/actions/artifacts#list-artifacts-for-a-repository',
  runList: '/actions/artifacts#list-workflow-run-artifacts',
  get: '/actions/artifacts#get-an-artifact',
  delete: '/actions/artifacts#delete-an-artifact',
  download: '/actions/artifacts#download-an-artifact',
};

function listed(state: GitHubState, ctx: RouteContext, filter: (a: ArtifactRecord) => boolean): EmuResponse {
  const name = ctx.req.url.searchParams.get('name');
  const artifacts = [...state.artifacts.values()]
    .filter((a) => a.finalized && a.repository === ctx.repository && (name === null || a.name === name) && filter(a))
    .sort((a, b) => b.id - a.id);
  const { page, headers } = paginate(ctx.req, artifacts);
  return ghJson(
    200,
    {
      total_count: artifacts.length,
      artifacts: page.map((a) => artifactJson(ctx.req.baseUrl, a, state.runs.get(Number(a.runId)))),
    },
    headers,
  );
}

function artifactOf(state: GitHubState, ctx: RouteContext): ArtifactRecord | undefined {
  const artifact = state.artifacts.get(Number(ctx.params[0]));
  return artifact?.finalized && artifact.repository === ctx.repository ? artifact : undefined;
}

export function createArtifactRestService(state: GitHubState): Service {
  const routes: Route[] = [
    {
      method: 'GET',
      pattern: new RegExp(`${REPO}/actions/artifacts$`),
      access: 'read',
      doc: DOCS.list,
      handle: (ctx) => listed(state, ctx, () => true),
    },
    {
      method: 'GET',
      pattern: new RegExp(`${REPO}/actions/runs/(\\d+)/artifacts$`),
      access: 'read',
      doc: DOCS.runList,
      handle(ctx) {
        const run = state.runs.get(Number(ctx.params[0]));
        if (!run || run.repository !== ctx.repository) return notFound(DOCS.runList);
        return listed(state, ctx, (a) => a.runId === String(run.id));
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`${REPO}/actions/artifacts/(\\d+)$`),
      access: 'read',
      doc: DOCS.get,
      handle(ctx) {
        const artifact = artifactOf(state, ctx);
        if (!artifact) return notFound(DOCS.get);
        return ghJson(200, artifactJson(ctx.req.baseUrl, artifact, state.runs.get(Number(artifact.runId))));
      },
    },
    {
      method: 'DELETE',
      pattern: new RegExp(`${REPO}/actions/artifacts/(\\d+)$`),
      access: 'write',
      doc: DOCS.delete,
      handle(ctx) {
        const artifact = artifactOf(state, ctx);
        if (!artifact) return notFound(DOCS.delete);
        state.deleteArtifact(artifact);
        return { status: 204, headers: {} };
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`${REPO}/actions/artifacts/(\\d+)/([^/]+)$`),
      access: 'download',
      doc: DOCS.download,
      handle(ctx) {
        const artifact = artifactOf(state, ctx);
        if (!artifact || ctx.params[1] !== 'zip') return notFound(DOCS.download);
        if (isExpired(artifact)) return ghError(410, 'Artifact has expired', DOCS.download);
        return { status: 302, headers: { location: downloadUrl(state, ctx.req.baseUrl, artifact) } };
      },
    },
  ];
  return restService('artifacts', state, routes);
}
