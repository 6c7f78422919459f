import { partitionOf } from '../regions.js';
import { checksumOf, md5Etag, type Algorithm, type Checksum, type ChecksumType } from './checksums.js';
import type { LifecycleRule } from './lifecycle.js';

/** Headers S3 stores with an object and returns on GET/HEAD (copied, or replaced, by CopyObject). */
export interface ObjectHeaders {
  contentType: string;
  cacheControl?: string;
  contentDisposition?: string;
  contentEncoding?: string;
  contentLanguage?: string;
  expires?: string;
}

export interface S3Object extends ObjectHeaders {
  body: Buffer;
  etag: string;
  lastModified: Date;
  metadata: Record<string, string>;
  /**
   * The checksum S3 keeps: the client's, or (when it sent none) CRC64NVME, which AWS adds to every object since
   * 2025. Computed on first use when the client sent none (see objectChecksum).
   */
  checksum?: Checksum;
  /** Parts of a multipart object (x-amz-mp-parts-count); absent for a single PUT or a copy. */
  partsCount?: number;
  tags: Record<string, string>;
  /** x-amz-server-side-encryption the object was written with (the bucket's default encryption then). */
  sse?: string;
}

export interface Part {
  body: Buffer;
  etag: string;
  lastModified: Date;
  /** The part's checksum of the upload's algorithm (sent, or computed for a FULL_OBJECT upload). */
  checksum?: string;
}

export interface Upload extends ObjectHeaders {
  id: string;
  key: string;
  initiated: Date;
  initiator: string;
  account: string;
  algorithm?: Algorithm;
  type?: ChecksumType;
  metadata: Record<string, string>;
  tags: Record<string, string>;
  parts: Map<number, Part>;
}

export interface PublicAccessBlock {
  BlockPublicAcls: boolean;
  IgnorePublicAcls: boolean;
  BlockPublicPolicy: boolean;
  RestrictPublicBuckets: boolean;
}

export interface Encryption {
  algorithm: 'AES256' | 'aws:kms' | 'aws:kms:dsse';
  kmsKeyId?: string;
  bucketKeyEnabled: boolean;
}

export interface Bucket {
  name: string;
  region: string;
  account: string;
  created: Date;
  objects: Map<string, S3Object>;
  uploads: Map<string, Upload>;
  /** Answers of completed uploads, by upload id: S3 answers a repeated CompleteMultipartUpload with success. */
  completed: Map<
    string,
    { signature: string; answer: { status: number; headers: Record<string, string | number>; body: string } }
  >;
  ownership: 'BucketOwnerEnforced' | 'BucketOwnerPreferred' | 'ObjectWriter';
  /** New buckets block all public access (AWS's default since April 2023); undefined after a delete. */
  publicAccessBlock?: PublicAccessBlock;
  /** SSE-S3 unless configured otherwise: AWS encrypts every new object since January 2023. */
  encryption: Encryption;
  lifecycle?: LifecycleRule[];
  tags?: Record<string, string>;
}

/** AWS's largest object a single CopyObject takes (5 GB); a test may lower it, as no test sends 5 GB. */
export const MAX_COPY_BYTES = 5 * 1024 ** 3;

/** The stored checksum, computing S3's default CRC64NVME the first time it is needed. */
export function objectChecksum(object: S3Object): Checksum {
  object.checksum ??= { algorithm: 'CRC64NVME', value: checksumOf('CRC64NVME', object.body), type: 'FULL_OBJECT' };
  return object.checksum;
}

/** Bucket names are one namespace per partition, shared by every account and region in it. */
export class S3Store {
  /** `partition/name` -> bucket. */
  readonly buckets = new Map<string, Bucket>();
  maxCopyBytes = MAX_COPY_BYTES;

  /** The bucket of that name in the partition of `region` (whichever region of the partition it is in). */
  bucket(name: string, region: string): Bucket | undefined {
    return this.buckets.get(`${partitionOf(region)}/${name}`);
  }

  create(
    name: string,
    region: string,
    account: string,
    ownership: Bucket['ownership'] = 'BucketOwnerEnforced',
  ): Bucket {
    const bucket: Bucket = {
      name,
      region,
      account,
      created: new Date(),
      objects: new Map(),
      uploads: new Map(),
      completed: new Map(),
      ownership,
      publicAccessBlock: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
      encryption: { algorithm: 'AES256', bucketKeyEnabled: false },
    };
    this.buckets.set(`${partitionOf(region)}/${name}`, bucket);
    return bucket;
  }

  remove(bucket: Bucket): void {
    this.buckets.delete(`${partitionOf(bucket.region)}/${bucket.name}`);
  }

  put(
    bucket: Bucket,
    key: string,
    body: Buffer,
    fields: Partial<Omit<S3Object, 'body' | 'lastModified'>> = {},
  ): S3Object {
    const object: S3Object = {
      body,
      etag: md5Etag(body),
      lastModified: new Date(),
      contentType: 'binary/octet-stream',
      metadata: {},
      tags: {},
      ...fields,
    };
    bucket.objects.set(key, object);
    return object;
  }

  dump(filter: { account?: string; region?: string } = {}): Record<string, unknown> {
    return Object.fromEntries(
      [...this.buckets.values()]
        .filter(
          (b) => (!filter.account || b.account === filter.account) && (!filter.region || b.region === filter.region),
        )
        .map((b) => [
          b.name,
          {
            region: b.region,
            account: b.account,
            objects: Object.fromEntries(
              [...b.objects].map(([key, o]) => [key, { size: o.body.length, etag: o.etag, checksum: o.checksum }]),
            ),
            uploads: [...b.uploads.values()].map((u) => ({ key: u.key, uploadId: u.id, parts: u.parts.size })),
            lifecycle: b.lifecycle,
            tags: b.tags,
          },
        ]),
    );
  }

  clear(): void {
    this.buckets.clear();
  }
}
