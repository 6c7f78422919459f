import { randomBytes, randomUUID } from 'node:crypto';
import { xml, type EmuRequest, type EmuResponse } from '../../http.js';
import { tag } from '../protocol.js';

export const NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** An S3 error: `<Error><Code/><Message/>...extra members...<RequestId/><HostId/></Error>`. */
export class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, string | number> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

function ids(): { requestId: string; hostId: string } {
  return {
    requestId: randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase(),
    hostId: randomBytes(48).toString('base64'),
  };
}

export function errorResponse(err: S3Error, method: string): EmuResponse {
  const { requestId, hostId } = ids();
  const fields = Object.entries(err.extra)
    .map(([k, v]) => tag(k, v))
    .join('');
  // A HEAD answer has no body: clients see the status (and headers) only.
  const body =
    method === 'HEAD'
      ? ''
      : `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${tag('Code', err.code)}${tag('Message', err.message)}${fields}` +
        `${tag('RequestId', requestId)}${tag('HostId', hostId)}</Error>`;
  return xml(err.status, body, {
    'content-type': 'application/xml',
    'x-amz-request-id': requestId,
    'x-amz-id-2': hostId,
    ...err.headers,
  });
}

export function ok(
  status: number,
  headers: Record<string, string | number> = {},
  body: Buffer | string = '',
): EmuResponse {
  const { requestId, hostId } = ids();
  return { status, headers: { 'x-amz-request-id': requestId, 'x-amz-id-2': hostId, ...headers }, body };
}

/** A 200 with an XML document `<Root xmlns=...>inner</Root>`. */
export function xmlResult(root: string, inner: string, headers: Record<string, string | number> = {}): EmuResponse {
  return ok(
    200,
    { 'content-type': 'application/xml', ...headers },
    `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${NAMESPACE}">${inner}</${root}>`,
  );
}

/** S3's timestamps in XML: ISO 8601 with milliseconds. */
export const isoDate = (date: Date): string => date.toISOString();

export function header(req: EmuRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

export const malformedXml = (): S3Error =>
  new S3Error(
    400,
    'MalformedXML',
    'The XML you provided was not well-formed or did not validate against our published schema',
  );

export const invalidArgument = (message: string, name: string, value: string | undefined): S3Error =>
  new S3Error(400, 'InvalidArgument', message, { ArgumentName: name, ArgumentValue: value ?? '' });

export const invalidRequest = (message: string): S3Error => new S3Error(400, 'InvalidRequest', message);

export const noSuchKey = (key: string): S3Error =>
  new S3Error(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });

export const noSuchBucket = (name: string): S3Error =>
  new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: name });

export const accessDenied = (): S3Error => new S3Error(403, 'AccessDenied', 'Access Denied');

export const preconditionFailed = (condition: string): S3Error =>
  new S3Error(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', {
    Condition: condition,
  });
