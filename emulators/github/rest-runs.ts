import type { Service } from '../http.js';
import { ghJson, notFound, paginate, restService, validationFailed, type Route } from './rest.js';
import { repositoryJson, runJson } from './shapes.js';
import type { GitHubState, RunRecord } from './state.js';

/** Workflow runs (list with GitHub's filters, newest first; get one) and the repository itself. */

const REPO = '^/repos/([^/]+)/([^/]+)';
const STATUSES = ['completed', 'in_progress', 'queued', 'requested', 'waiting', 'pending'];
const CONCLUSIONS = ['action_required', 'cancelled', 'failure', 'neutral', 'skipped', 'stale', 'success', 'timed_out'];
const DOCS = {
  list: '/actions/workflow-runs#list-workflow-runs-for-a-repository',
  get: '/actions/workflow-runs#get-a-workflow-run',
  repo: '/repos/repos#get-a-repository',
};

/** GitHub's `status` filter takes a status or a conclusion. */
function statusFilter(value: string | null): ((run: RunRecord) => boolean) | undefined {
  if (value === null || value === '') return () => true;
  if (STATUSES.includes(value)) return (run) => run.status === value;
  if (CONCLUSIONS.includes(value)) return (run) => run.conclusion === value;
  return undefined;
}

function newestFirst(a: RunRecord, b: RunRecord): number {
  return Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.id - a.id;
}

export function createRunsService(state: GitHubState): Service {
  const routes: Route[] = [
    {
      method: 'GET',
      pattern: new RegExp(`${REPO}/actions/runs$`),
      access: 'read',
      doc: DOCS.list,
      handle(ctx) {
        const q = ctx.req.url.searchParams;
        const byStatus = statusFilter(q.get('status'));
        if (!byStatus)
          return validationFailed(DOCS.list, { resource: 'WorkflowRun', field: 'status', code: 'invalid' });
        const filters: [string, (run: RunRecord) => string | null][] = [
          ['head_sha', (run) => run.headSha],
          ['branch', (run) => run.headBranch],
          ['event', (run) => run.event],
        ];
        const runs = [...state.runs.values()]
          .filter((run) => run.repository === ctx.repository && byStatus(run))
          .filter((run) => filters.every(([name, field]) => !q.get(name) || field(run) === q.get(name)))
          .sort(newestFirst);
        const { page, headers } = paginate(ctx.req, runs);
        return ghJson(
          200,
          { total_count: runs.length, workflow_runs: page.map((run) => runJson(ctx.req.baseUrl, run)) },
          headers,
        );
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`${REPO}/actions/runs/(\\d+)$`),
      access: 'read',
      doc: DOCS.get,
      handle(ctx) {
        const run = state.runs.get(Number(ctx.params[0]));
        if (!run || run.repository !== ctx.repository) return notFound(DOCS.get);
        return ghJson(200, runJson(ctx.req.baseUrl, run));
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`${REPO}$`),
      access: 'read',
      doc: DOCS.repo,
      handle: (ctx) => ghJson(200, repositoryJson(ctx.req.baseUrl, ctx.repository, true)),
    },
  ];
  return restService('github', state, routes);
}
