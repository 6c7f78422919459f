import { randomBytes } from 'node:crypto';
import { json, type EmuRequest, type EmuResponse, type Service, type ServiceName } from '../http.js';
import type { GitHubState } from './state.js';
import { readAuthorization } from './tokens.js';

/**
 * What a route needs from the caller's token. `download` is a read that GitHub refuses to anonymous callers;
 * `none` is for signed URLs, which carry their own authority.
 */
export type Access = 'read' | 'write' | 'download' | 'none';

export interface RouteContext {
  req: EmuRequest;
  /** Path parameters after owner/repo, decoded. */
  params: string[];
  /** The canonical owner/name of the repository in the path, when the route has one. */
  repository: string;
}

export interface Route {
  method: string;
  /** Matched against the path; for /repos routes the first two groups are owner and repo. */
  pattern: RegExp;
  access: Access;
  /** The docs.github.com path of the operation, for documentation_url in errors. */
  doc: string;
  handle(ctx: RouteContext): EmuResponse | Promise<EmuResponse>;
}

const DOCS = 'https://docs.github.com/rest';

/** Headers every REST answer carries, as api.github.com sends them. */
/**
 * Headers on every REST answer. The rate-limit ones are what a workflow's GITHUB_TOKEN sees (1,000 an hour per
 * repository); Octokit's throttling reads x-ratelimit-remaining to tell a primary rate limit from other 403s.
 */
function commonHeaders(): Record<string, string> {
  return {
    'x-github-api-version-selected': '2022-11-28',
    'x-github-media-type': 'github.v3; format=json',
    'x-github-request-id': randomBytes(8).toString('hex').toUpperCase(),
    'x-ratelimit-limit': '1000',
    'x-ratelimit-remaining': '999',
    'x-ratelimit-used': '1',
    'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
    'x-ratelimit-resource': 'core',
  };
}

export function ghJson(status: number, value: unknown, headers: Record<string, string | number> = {}): EmuResponse {
  return json(status, value, { ...commonHeaders(), 'content-type': 'application/json; charset=utf-8', ...headers });
}

/** GitHub's error body: {message, documentation_url, status}, plus `errors` for validation failures. */
export function ghError(status: number, message: string, doc = '', extra: Record<string, unknown> = {}): EmuResponse {
  return ghJson(status, { message, documentation_url: `${DOCS}${doc}`, status: String(status), ...extra });
}

export const notFound = (doc = ''): EmuResponse => ghError(404, 'Not Found', doc);

/** 422 as GitHub answers a field that breaks a rule, e.g. {resource: 'ReleaseAsset', code: 'already_exists'}. */
export function validationFailed(doc: string, ...errors: Record<string, string>[]): EmuResponse {
  return ghError(422, 'Validation Failed', doc, { errors });
}

/** The error a REST client meets under injected faults: a secondary rate limit (429) or a server error. */
export function restErrorResponse(kind: 'throttle' | 'server', retryAfterSeconds: number): EmuResponse {
  if (kind === 'server') return ghJson(500, { message: 'Server Error' });
  return ghJson(
    429,
    {
      message:
        'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. ' +
        'If you reach out to GitHub Support for help, please include the request ID.',
      documentation_url:
        'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits',
      status: '429',
    },
    { 'retry-after': retryAfterSeconds },
  );
}

/**
 * Checks the caller's `Authorization: token|Bearer …` against the route and records it. Any token may write unless
 * a test marked it read-only (403) or invalid (401); no token may only read, as on a public repository.
 */
export function authorize(state: GitHubState, req: EmuRequest, access: Access, doc: string): EmuResponse | undefined {
  const header = req.headers.authorization;
  const credential = readAuthorization(typeof header === 'string' ? header : undefined);
  if (header && !credential) return ghError(401, 'Bad credentials', '');
  if (credential) {
    state.recordAuth({ method: req.method, path: req.url.pathname, ...credential });
    const mode = state.tokenModes.get(credential.token) ?? 'write';
    if (mode === 'invalid') return ghError(401, 'Bad credentials', '');
    if (mode === 'read-only' && access === 'write') return ghError(403, 'Resource not accessible by integration', doc);
    return undefined;
  }
  if (access === 'write') return ghError(401, 'Requires authentication', doc);
  if (access === 'download') return ghError(401, 'You must have the actions scope to download artifacts.', doc);
  return undefined;
}

/**
 * One page of a list as GitHub serves it: `per_page` (default 30, at most 100) and `page` (from 1), with a Link
 * header holding next/last/first/prev URLs that keep the other query parameters.
 */
export function paginate<T>(req: EmuRequest, items: T[]): { page: T[]; headers: Record<string, string> } {
  const perPage = Math.min(100, Math.max(1, Number(req.url.searchParams.get('per_page')) || 30));
  const page = Math.max(1, Number(req.url.searchParams.get('page')) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (n: number, rel: string): string => {
    const url = new URL(req.url.pathname + req.url.search, req.baseUrl);
    url.searchParams.set('per_page', String(perPage));
    url.searchParams.set('page', String(n));
    return `<${url.href}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(Math.min(page - 1, last), 'prev'));
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
  if (page > 1) links.push(link(1, 'first'));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  return { page: slice, headers: links.length ? { link: links.join(', ') } : {} };
}

export function readJsonBody(req: EmuRequest): Record<string, unknown> | undefined {
  if (req.body.length === 0) return {};
  try {
    const value: unknown = JSON.parse(req.body.toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export const problemsParsingJson = (doc: string): EmuResponse => ghError(400, 'Problems parsing JSON', doc);

/**
 * A service made of REST routes. It claims a request when a route's path matches (and the request is not
 * SigV4-signed, which belongs to the AWS half); the method is checked inside, so a wrong one gets GitHub's 404.
 */
export function restService(
  name: ServiceName,
  state: GitHubState,
  routes: Route[],
  errorResponse: Service['errorResponse'] = restErrorResponse,
): Service {
  return {
    name,
    matches: (req) => !req.scope && routes.some((r) => r.pattern.test(req.url.pathname)),
    errorResponse,
    async handle(req) {
      const path = req.url.pathname;
      const route = routes.find((r) => r.method === req.method && r.pattern.test(path));
      if (!route) return notFound();
      const groups = (route.pattern.exec(path) ?? []).slice(1).map((g) => (g === undefined ? g : safeDecode(g)));
      let repository = '';
      let params = groups;
      if (path.startsWith('/repos/') || path.startsWith('/uploads/repos/')) {
        const known = state.repository(groups[0], groups[1]);
        const denied = authorize(state, req, route.access, route.doc);
        if (denied) return denied;
        if (!known) return notFound(route.doc);
        repository = known;
        params = groups.slice(2);
      } else if (route.access !== 'none') {
        const denied = authorize(state, req, route.access, route.doc);
        if (denied) return denied;
      }
      return route.handle({ req, params, repository });
    },
  };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
