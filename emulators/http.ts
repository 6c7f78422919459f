import type { IncomingHttpHeaders } from 'node:http';

/** Services the emulator serves on its one port; fault injection can be narrowed to some of them. */
export const SERVICES = ['lambda', 'sts', 'ec2', 'ssm', 's3', 'artifacts', 'github'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** The SigV4 credential scope of a signed AWS request: which region and service the client meant. */
export interface SigningScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

/** A request as a service handler sees it: the whole body already read. */
export interface EmuRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Present when the request carries a SigV4 signature (header or presigned query). */
  scope?: SigningScope;
  /** The emulator's own base URL (http://127.0.0.1:PORT), for building absolute links such as signed blob URLs. */
  baseUrl: string;
}

/**
 * A response built in full before anything is written, so that the server can still drop it
 * (drop-after-commit: the handler's change is kept, the client never hears back).
 */
export interface EmuResponse {
  status: number;
  headers?: Record<string, string | number>;
  body?: Buffer | string;
}

export interface Service {
  name: ServiceName;
  /** True when this service should answer the request. Services are asked in order; the first match wins. */
  matches(req: EmuRequest): boolean;
  handle(req: EmuRequest): Promise<EmuResponse> | EmuResponse;
  /**
   * What names this request for fault decisions (see FaultPlan): the same logical request must get the same key in
   * every run. Default: region, method and path. Services whose path is always `/` (query and JSON protocols) add
   * the operation and the resource, so concurrent calls to different resources do not share one sequence.
   */
  faultKey?(req: EmuRequest): string;
  /**
   * The operation this request calls, as the service's API names it (PutObject, PublishLayerVersion), for the
   * request log and the traffic counters. Default: the method and the path's first segment.
   */
  operation?(req: EmuRequest): string;
  /** A throttling / server error in the shape this service's clients expect. */
  errorResponse(kind: 'throttle' | 'server', retryAfterSeconds: number): EmuResponse;
}

export function json(status: number, value: unknown, headers: Record<string, string | number> = {}): EmuResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: status === 204 ? '' : JSON.stringify(value),
  };
}

export function xml(status: number, body: string, headers: Record<string, string | number> = {}): EmuResponse {
  return { status, headers: { 'content-type': 'text/xml', ...headers }, body };
}

const SCOPE_PATTERN = /Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request/;

/** Reads the SigV4 scope from the Authorization header or from a presigned URL's X-Amz-Credential. */
export function signingScope(headers: IncomingHttpHeaders, url: URL): SigningScope | undefined {
  const auth = headers.authorization;
  let match = typeof auth === 'string' ? SCOPE_PATTERN.exec(auth) : null;
  if (!match) {
    const credential = url.searchParams.get('X-Amz-Credential');
    if (credential) match = SCOPE_PATTERN.exec(`Credential=${credential}`);
  }
  if (!match) return undefined;
  return { accessKeyId: match[1], date: match[2], region: match[3], service: match[4] };
}
