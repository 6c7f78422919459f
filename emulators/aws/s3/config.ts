/**
 * Bucket configuration subresources a staging bucket is set up with: default encryption, public access block,
 * object ownership, lifecycle rules and tags. Each PUT is checked as S3 checks it (the body must carry Content-MD5 or
 * a checksum, the XML must be well-formed and valid), and each GET of a configuration never set (or deleted) is the
 * 404 S3 answers.
 */
import type { EmuRequest, EmuResponse } from '../../http.js';
import { tag } from '../protocol.js';
import { invalidArgument, malformedXml, ok, S3Error, xmlResult } from './errors.js';
import { lifecycleXml, parseLifecycle } from './lifecycle.js';
import { readPayload } from './payload.js';
import type { Bucket, Encryption, PublicAccessBlock } from './store.js';
import { child, childText, children, parseXml, type XmlNode } from './xml.js';

export const CONFIGURATIONS = ['encryption', 'publicAccessBlock', 'ownershipControls', 'lifecycle', 'tagging'] as const;
export type Configuration = (typeof CONFIGURATIONS)[number];

export function configurationOf(req: EmuRequest): Configuration | undefined {
  return CONFIGURATIONS.find((c) => req.url.searchParams.has(c));
}

const OWNERSHIP = ['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter'] as const;

export function ownershipOf(value: string | undefined): Bucket['ownership'] {
  if (value === undefined) return 'BucketOwnerEnforced';
  if (!(OWNERSHIP as readonly string[]).includes(value)) {
    throw invalidArgument('Invalid x-amz-object-ownership header', 'x-amz-object-ownership', value);
  }
  return value as Bucket['ownership'];
}

function body(req: EmuRequest, root: string): XmlNode {
  const node = parseXml(readPayload(req, true).body.toString('utf8'));
  if (!node || node.name !== root) throw malformedXml();
  return node;
}

function flag(node: XmlNode, name: string): boolean {
  const text = childText(node, name);
  if (text !== undefined && text !== 'true' && text !== 'false') throw malformedXml();
  return text === 'true';
}

function parseEncryption(root: XmlNode): Encryption {
  const rules = children(root, 'Rule');
  if (rules.length !== 1) throw malformedXml();
  const byDefault = child(rules[0], 'ApplyServerSideEncryptionByDefault');
  const algorithm = childText(byDefault, 'SSEAlgorithm');
  if (algorithm !== 'AES256' && algorithm !== 'aws:kms' && algorithm !== 'aws:kms:dsse') throw malformedXml();
  const kmsKeyId = childText(byDefault, 'KMSMasterKeyID');
  if (kmsKeyId && algorithm === 'AES256') {
    throw invalidArgument(
      'a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse',
      'ApplyServerSideEncryptionByDefault',
      undefined,
    );
  }
  return { algorithm, kmsKeyId, bucketKeyEnabled: flag(rules[0], 'BucketKeyEnabled') };
}

function encryptionXml(e: Encryption): string {
  return (
    `<Rule><ApplyServerSideEncryptionByDefault>${tag('SSEAlgorithm', e.algorithm)}${tag('KMSMasterKeyID', e.kmsKeyId)}` +
    `</ApplyServerSideEncryptionByDefault>${tag('BucketKeyEnabled', e.bucketKeyEnabled)}</Rule>`
  );
}

const PAB_FLAGS = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const;

function parsePublicAccessBlock(root: XmlNode): PublicAccessBlock {
  return Object.fromEntries(PAB_FLAGS.map((f) => [f, flag(root, f)])) as unknown as PublicAccessBlock;
}

function parseTags(root: XmlNode): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const t of children(child(root, 'TagSet'), 'Tag')) {
    const key = childText(t, 'Key');
    if (!key) throw malformedXml();
    if (key in tags)
      throw new S3Error(400, 'InvalidTag', 'Cannot provide multiple Tags with the same key', { TagKey: key });
    tags[key] = childText(t, 'Value') ?? '';
  }
  if (Object.keys(tags).length > 50) throw new S3Error(400, 'InvalidTag', 'Bucket tag count cannot be greater than 50');
  return tags;
}

const notFound = (code: string, message: string, bucket: Bucket) =>
  new S3Error(404, code, message, { BucketName: bucket.name });

function get(bucket: Bucket, which: Configuration): EmuResponse {
  switch (which) {
    case 'encryption':
      return xmlResult('ServerSideEncryptionConfiguration', encryptionXml(bucket.encryption));
    case 'publicAccessBlock': {
      const block = bucket.publicAccessBlock;
      if (!block) {
        throw notFound(
          'NoSuchPublicAccessBlockConfiguration',
          'The public access block configuration was not found',
          bucket,
        );
      }
      return xmlResult('PublicAccessBlockConfiguration', PAB_FLAGS.map((f) => tag(f, block[f])).join(''));
    }
    case 'ownershipControls':
      return xmlResult('OwnershipControls', `<Rule>${tag('ObjectOwnership', bucket.ownership)}</Rule>`);
    case 'lifecycle':
      if (!bucket.lifecycle)
        throw notFound('NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist', bucket);
      return xmlResult('LifecycleConfiguration', lifecycleXml(bucket.lifecycle), {
        'x-amz-transition-default-minimum-object-size': 'all_storage_classes_128K',
      });
    case 'tagging': {
      if (!bucket.tags) throw notFound('NoSuchTagSet', 'The TagSet does not exist', bucket);
      const set = Object.entries(bucket.tags).map(([k, v]) => `<Tag>${tag('Key', k)}${tag('Value', v)}</Tag>`);
      return xmlResult('Tagging', `<TagSet>${set.join('')}</TagSet>`);
    }
  }
}

function put(req: EmuRequest, bucket: Bucket, which: Configuration): EmuResponse {
  switch (which) {
    case 'encryption':
      bucket.encryption = parseEncryption(body(req, 'ServerSideEncryptionConfiguration'));
      return ok(200);
    case 'publicAccessBlock':
      bucket.publicAccessBlock = parsePublicAccessBlock(body(req, 'PublicAccessBlockConfiguration'));
      return ok(200);
    case 'ownershipControls': {
      const value = childText(child(body(req, 'OwnershipControls'), 'Rule'), 'ObjectOwnership');
      if (!value || !(OWNERSHIP as readonly string[]).includes(value)) throw malformedXml();
      bucket.ownership = value as Bucket['ownership'];
      return ok(200);
    }
    case 'lifecycle':
      bucket.lifecycle = parseLifecycle(body(req, 'LifecycleConfiguration'));
      return ok(200, { 'x-amz-transition-default-minimum-object-size': 'all_storage_classes_128K' });
    case 'tagging':
      bucket.tags = parseTags(body(req, 'Tagging'));
      return ok(204);
  }
}

function remove(bucket: Bucket, which: Configuration): EmuResponse {
  if (which === 'encryption') bucket.encryption = { algorithm: 'AES256', bucketKeyEnabled: false };
  if (which === 'publicAccessBlock') bucket.publicAccessBlock = undefined;
  if (which === 'ownershipControls') {
    throw new S3Error(501, 'NotImplemented', 'DeleteBucketOwnershipControls is not emulated.');
  }
  if (which === 'lifecycle') bucket.lifecycle = undefined;
  if (which === 'tagging') bucket.tags = undefined;
  return ok(204);
}

export function bucketConfiguration(req: EmuRequest, bucket: Bucket, which: Configuration): EmuResponse {
  if (req.method === 'GET') return get(bucket, which);
  if (req.method === 'PUT') return put(req, bucket, which);
  if (req.method === 'DELETE') return remove(bucket, which);
  throw new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
}
