import { randomUUID } from 'node:crypto';
import { xml, type EmuRequest, type EmuResponse } from '../http.js';

/** The region a request was signed for; unsigned requests (STS web identity) fall back to the default. */
export function requestRegion(req: EmuRequest, fallback = 'us-east-1'): string {
  return req.scope?.region ?? fallback;
}

export function escapeXml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** `<Name>value</Name>` with the value escaped, or nothing when the value is undefined. */
export function tag(name: string, value: string | number | boolean | undefined): string {
  return value === undefined ? '' : `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** Parameters of a query-protocol request (STS, EC2): the form body merged over the URL's query string. */
export function queryParams(req: EmuRequest): URLSearchParams {
  const params = new URLSearchParams(req.url.searchParams);
  const type = String(req.headers['content-type'] ?? '');
  if (req.body.length > 0 && (type === '' || type.includes('x-www-form-urlencoded'))) {
    for (const [key, value] of new URLSearchParams(req.body.toString('utf8'))) params.set(key, value);
  }
  return params;
}

/** Members of a query-protocol list (`Name.1`, `Name.2`, ...) in order. */
export function queryList(params: URLSearchParams, prefix: string): string[] {
  const values: string[] = [];
  for (let i = 1; params.has(`${prefix}.${i}`); i++) values.push(params.get(`${prefix}.${i}`) ?? '');
  return values;
}

/** An error of the awsQuery protocol (STS): `<ErrorResponse><Error>...</Error></ErrorResponse>`. */
export function queryError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string | number> = {},
): EmuResponse {
  const requestId = randomUUID();
  const type = status >= 500 ? 'Receiver' : 'Sender';
  return xml(
    status,
    `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error>${tag('Type', type)}${tag('Code', code)}` +
      `${tag('Message', message)}</Error>${tag('RequestId', requestId)}</ErrorResponse>`,
    { 'x-amzn-requestid': requestId, ...headers },
  );
}

/** An error of the ec2Query protocol: `<Response><Errors><Error>...</Error></Errors></Response>`. */
export function ec2Error(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string | number> = {},
): EmuResponse {
  const requestId = randomUUID();
  return xml(
    status,
    `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error>${tag('Code', code)}${tag('Message', message)}` +
      `</Error></Errors>${tag('RequestID', requestId)}</Response>`,
    headers,
  );
}

/** The answer of a successful awsQuery operation: `<OpResponse><OpResult>...</OpResult>...`. */
export function queryResult(action: string, namespace: string, result: string): EmuResponse {
  const requestId = randomUUID();
  return xml(
    200,
    `<${action}Response xmlns="${namespace}"><${action}Result>${result}</${action}Result>` +
      `<ResponseMetadata>${tag('RequestId', requestId)}</ResponseMetadata></${action}Response>`,
    { 'x-amzn-requestid': requestId },
  );
}
