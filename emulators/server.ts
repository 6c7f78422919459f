import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { FaultPlan, type FaultKind, type FaultSettings } from './faults.js';
import { Traffic } from './traffic.js';
import { json, signingScope, type EmuRequest, type EmuResponse, type Service, type ServiceName } from './http.js';

export interface RequestLogEntry {
  seq: number;
  service: ServiceName | 'none';
  region?: string;
  method: string;
  path: string;
  /** The operation, as the service names it (see Service.operation). */
  operation: string;
  status: number | 'reset' | 'dropped';
  fault?: FaultKind;
  /** The key the fault decision was drawn for (see FaultPlan). */
  key?: string;
}

export interface ServerOptions {
  port?: number;
  latencyMs?: number;
  /** Services the latency applies to; undefined means all of them. */
  latencyServices?: ServiceName[];
  faults?: Partial<FaultSettings>;
}

/** Settings that tests may change while the server runs (POST /__emulator/config). */
export interface RuntimeConfig {
  latencyMs: number;
  latencyServices?: ServiceName[];
  faults: FaultSettings;
}

const CONTROL_PREFIX = '/__emulator/';
/** Bodies above this are refused outright; the Lambda limit (69,905,067 bytes) is checked by the Lambda service. */
const MAX_BODY_BYTES = 512 * 1024 * 1024;
/** The idle time clients are told (Keep-Alive: timeout=5), well under the server's own keepAliveTimeout. */
const ADVERTISED_KEEP_ALIVE_S = 5;

export interface ControlHandler {
  (path: string, req: EmuRequest): Promise<EmuResponse | undefined> | EmuResponse | undefined;
}

/**
 * One HTTP server on 127.0.0.1 in front of every emulated service. It reads the body, finds the service, applies
 * latency and faults, and writes the response (or drops it).
 */
export class EmulatorServer {
  readonly log: RequestLogEntry[] = [];
  /** Body bytes received and sent per service and operation (GET/DELETE /__emulator/traffic). */
  readonly traffic = new Traffic();
  readonly faultPlan: FaultPlan;
  latencyMs: number;
  latencyServices?: ServiceName[];
  private seq = 0;
  private readonly server: http.Server;
  private readonly sockets = new Set<import('node:net').Socket>();
  private readonly controlHandlers: ControlHandler[] = [];
  baseUrl = '';

  constructor(
    private readonly services: Service[],
    options: ServerOptions = {},
  ) {
    this.latencyMs = options.latencyMs ?? 0;
    this.latencyServices = options.latencyServices;
    this.faultPlan = new FaultPlan({
      rate: 0,
      kinds: ['429', '500', 'reset', 'drop-after-commit'],
      seed: '1',
      retryAfterSeconds: 1,
      ...options.faults,
    });
    this.server = http.createServer((req, res) => {
      this.onRequest(req, res).catch((err: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`emulator bug: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        } else {
          res.destroy();
        }
      });
    });
    // Clients are told 5 s, the server closes an idle connection only after 60 s: a client reusing a connection
    // near the advertised timeout (a test process stalled on a loaded machine) must never race the close, which
    // shows as a read ECONNRESET on a request that never reached a handler.
    this.server.keepAliveTimeout = 60_000;
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  /** Extra routes under /__emulator/ (state inspection, seeding) contributed by the services. */
  addControl(handler: ControlHandler): void {
    this.controlHandlers.push(handler);
  }

  async listen(port = 0): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    const { port: actual } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${actual}`;
    return this.baseUrl;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  /** Requests to the emulated services (control routes excluded). */
  requests(filter: Partial<Pick<RequestLogEntry, 'service' | 'region' | 'method'>> = {}): RequestLogEntry[] {
    return this.log.filter((e) =>
      Object.entries(filter).every(([k, v]) => e[k as keyof RequestLogEntry] === v || v === undefined),
    );
  }

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    res.setHeader('keep-alive', `timeout=${ADVERTISED_KEEP_ALIVE_S}`);
    const { body, received } = await readBody(req);
    if (body === undefined) {
      res.writeHead(413, { 'content-type': 'text/plain' });
      res.end('request body too large for the emulator');
      return;
    }
    const url = new URL(req.url ?? '/', this.baseUrl);
    const emuReq: EmuRequest = {
      method: req.method ?? 'GET',
      url,
      headers: req.headers,
      body,
      scope: signingScope(req.headers, url),
      baseUrl: this.baseUrl,
    };

    if (url.pathname.startsWith(CONTROL_PREFIX)) {
      await this.respond(res, await this.control(url.pathname.slice(CONTROL_PREFIX.length), emuReq));
      return;
    }

    const service = this.services.find((s) => s.matches(emuReq));
    const entry: RequestLogEntry = {
      seq: ++this.seq,
      service: service?.name ?? 'none',
      region: emuReq.scope?.region,
      method: emuReq.method,
      path: url.pathname,
      operation: service?.operation?.(emuReq) ?? `${emuReq.method} /${url.pathname.split('/')[1] ?? ''}`,
      status: 0,
    };
    this.log.push(entry);
    const counter = this.traffic.count(entry.service, entry.operation, received);
    if (this.latencyMs > 0 && (!this.latencyServices || (service && this.latencyServices.includes(service.name)))) {
      await sleep(this.latencyMs);
    }
    if (!service) {
      entry.status = 404;
      counter.bytesOut += await this.respond(
        res,
        json(404, { message: `The emulator serves nothing at ${emuReq.method} ${url.pathname}` }),
      );
      return;
    }

    entry.key = service.faultKey?.(emuReq) ?? `${entry.region ?? '-'} ${entry.method} ${entry.path}`;
    const fault = this.faultPlan.decide(service.name, entry.key);
    entry.fault = fault;
    if (fault === 'reset') {
      entry.status = 'reset';
      req.socket.destroy();
      return;
    }
    if (fault === '429' || fault === '500') {
      const response = service.errorResponse(
        fault === '429' ? 'throttle' : 'server',
        this.faultPlan.settings.retryAfterSeconds,
      );
      entry.status = response.status;
      counter.bytesOut += await this.respond(res, response, emuReq.method);
      return;
    }
    const response = await service.handle(emuReq);
    if (fault === 'drop-after-commit') {
      entry.status = 'dropped';
      req.socket.destroy();
      return;
    }
    entry.status = response.status;
    counter.bytesOut += await this.respond(res, response, emuReq.method);
  }

  private async control(path: string, req: EmuRequest): Promise<EmuResponse> {
    if (path === 'requests' && req.method === 'GET') return json(200, this.log);
    if (path === 'requests' && req.method === 'DELETE') {
      this.log.length = 0;
      return json(204, {});
    }
    if (path === 'traffic' && req.method === 'GET') return json(200, this.traffic.report());
    if (path === 'traffic' && req.method === 'DELETE') {
      this.traffic.reset();
      return json(204, {});
    }
    const config = () => ({
      latencyMs: this.latencyMs,
      latencyServices: this.latencyServices,
      faults: this.faultPlan.settings,
    });
    if (path === 'config' && req.method === 'GET') return json(200, config());
    if (path === 'config' && req.method === 'POST') {
      const patch = JSON.parse(req.body.toString('utf8') || '{}') as Partial<RuntimeConfig> & {
        faults?: Partial<FaultSettings>;
      };
      if (typeof patch.latencyMs === 'number') this.latencyMs = patch.latencyMs;
      if ('latencyServices' in patch) this.latencyServices = patch.latencyServices ?? undefined;
      if (patch.faults) this.faultPlan.reset(patch.faults);
      return json(200, config());
    }
    for (const handler of this.controlHandlers) {
      const response = await handler(path, req);
      if (response) return response;
    }
    return json(404, { message: `Unknown control route ${req.method} ${CONTROL_PREFIX}${path}` });
  }

  /** Writes the answer; returns the body bytes sent (none for HEAD). */
  private async respond(res: http.ServerResponse, response: EmuResponse, method = 'GET'): Promise<number> {
    const body = response.body ?? '';
    const headers: Record<string, string | number> = { ...response.headers };
    // A HEAD answer has no body but states the length of the body a GET would return.
    const headLength = method === 'HEAD' && headers['content-length'] !== undefined;
    if (response.status !== 204 && response.status !== 304 && !headLength) {
      headers['content-length'] = Buffer.byteLength(body);
    }
    res.writeHead(response.status, headers);
    await new Promise<void>((resolve) => res.end(body, () => resolve()));
    return method === 'HEAD' || response.status === 204 || response.status === 304 ? 0 : Buffer.byteLength(body);
  }
}

/** The body (undefined when too large) and how many bytes arrived, as sent (aws-chunked framing included). */
async function readBody(req: http.IncomingMessage): Promise<{ body: Buffer | undefined; received: number }> {
  const chunks: Buffer[] = [];
  let total = 0;
  let tooLarge = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > MAX_BODY_BYTES) tooLarge = true;
    if (!tooLarge) chunks.push(chunk);
  }
  return { body: tooLarge ? undefined : Buffer.concat(chunks), received: total };
}
