/** ListObjectsV2 and DeleteObjects: how staged objects are found and removed in bulk. */
import type { EmuRequest, EmuResponse } from '../../http.js';
import { tag } from '../protocol.js';
import { invalidArgument, isoDate, malformedXml, S3Error, xmlResult } from './errors.js';
import { readPayload } from './payload.js';
import type { Bucket } from './store.js';
import { childText, children, parseXml } from './xml.js';

const MAX_KEYS = 1000;

function maxKeys(req: EmuRequest): number {
  const text = req.url.searchParams.get('max-keys');
  if (text === null) return MAX_KEYS;
  if (!/^\d+$/.test(text))
    throw invalidArgument('Provided max-keys not an integer or within integer range', 'max-keys', text);
  return Math.min(Number(text), MAX_KEYS);
}

/** GET /bucket?list-type=2: keys in UTF-8 binary order, `delimiter` folding them into CommonPrefixes. */
export function listObjectsV2(req: EmuRequest, bucket: Bucket): EmuResponse {
  const params = req.url.searchParams;
  const prefix = params.get('prefix') ?? '';
  const delimiter = params.get('delimiter') ?? '';
  const token = params.get('continuation-token');
  const startAfter = params.get('start-after') ?? '';
  const urlEncoded = params.get('encoding-type') === 'url';
  if (params.has('encoding-type') && !urlEncoded) {
    throw invalidArgument(
      'Invalid Encoding Method specified in Request',
      'encoding-type',
      params.get('encoding-type') ?? '',
    );
  }
  let after = startAfter;
  if (token !== null) {
    after = Buffer.from(token, 'base64').toString('utf8');
    if (!token || Buffer.from(after).toString('base64') !== token) {
      throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
    }
  }
  const limit = maxKeys(req);
  const keys = [...bucket.objects.keys()]
    .filter((k) => k.startsWith(prefix) && k > after)
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const contents: string[] = [];
  const prefixes: string[] = [];
  let last = '';
  let truncated = false;
  for (const key of keys) {
    const rest = key.slice(prefix.length);
    const cut = delimiter ? rest.indexOf(delimiter) : -1;
    const common = cut >= 0 ? prefix + rest.slice(0, cut + delimiter.length) : undefined;
    if (common && prefixes.includes(common)) continue;
    if (contents.length + prefixes.length >= limit) {
      truncated = true;
      break;
    }
    const encode = (text: string) => (urlEncoded ? encodeURIComponent(text) : text);
    if (common) {
      prefixes.push(common);
      last = common + '\uffff';
      continue;
    }
    const object = bucket.objects.get(key)!;
    const sum = object.checksum;
    contents.push(
      `<Contents>${tag('Key', encode(key))}${tag('LastModified', isoDate(object.lastModified))}${tag('ETag', object.etag)}` +
        `${tag('ChecksumAlgorithm', sum?.algorithm ?? 'CRC64NVME')}${tag('ChecksumType', sum?.type ?? 'FULL_OBJECT')}` +
        `${tag('Size', object.body.length)}${tag('StorageClass', 'STANDARD')}</Contents>`,
    );
    last = key;
  }
  const encodeOut = (text: string) => (urlEncoded ? encodeURIComponent(text) : text);
  const next = truncated ? tag('NextContinuationToken', Buffer.from(last).toString('base64')) : '';
  return xmlResult(
    'ListBucketResult',
    `${tag('Name', bucket.name)}${tag('Prefix', encodeOut(prefix))}${delimiter ? tag('Delimiter', encodeOut(delimiter)) : ''}` +
      `${tag('MaxKeys', limit)}${tag('KeyCount', contents.length + prefixes.length)}${tag('IsTruncated', truncated)}` +
      `${token !== null ? tag('ContinuationToken', token) : ''}${startAfter ? tag('StartAfter', encodeOut(startAfter)) : ''}` +
      `${urlEncoded ? tag('EncodingType', 'url') : ''}${next}${contents.join('')}` +
      prefixes.map((p) => `<CommonPrefixes>${tag('Prefix', encodeOut(p))}</CommonPrefixes>`).join(''),
  );
}

/** POST /bucket?delete: up to 1,000 keys; a missing key counts as deleted, as S3 answers it. */
export function deleteObjects(req: EmuRequest, bucket: Bucket): EmuResponse {
  const root = parseXml(readPayload(req, true).body.toString('utf8'));
  if (!root || root.name !== 'Delete') throw malformedXml();
  const objects = children(root, 'Object');
  if (objects.length === 0 || objects.length > MAX_KEYS) throw malformedXml();
  const quiet = childText(root, 'Quiet') === 'true';
  const deleted: string[] = [];
  for (const node of objects) {
    const key = childText(node, 'Key');
    if (key === undefined) throw malformedXml();
    if (childText(node, 'VersionId') !== undefined && childText(node, 'VersionId') !== 'null') {
      throw new S3Error(400, 'InvalidArgument', 'Invalid version id specified');
    }
    bucket.objects.delete(key);
    if (!quiet) deleted.push(`<Deleted>${tag('Key', key)}</Deleted>`);
  }
  return xmlResult('DeleteResult', deleted.join(''));
}
