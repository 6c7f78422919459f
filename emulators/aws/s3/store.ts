import { createHash } from 'node:crypto';

export interface S3Object {
  body: Buffer;
  etag: string;
  lastModified: Date;
  contentType: string;
  /** Checksums the client sent (x-amz-checksum-crc32 and friends), returned when it asks for them. */
  checksums: Record<string, string>;
  metadata: Record<string, string>;
}

export interface Bucket {
  name: string;
  region: string;
  account: string;
  created: Date;
  objects: Map<string, S3Object>;
}

/** Buckets are global (one namespace), each pinned to the region named by its LocationConstraint. */
export class S3Store {
  readonly buckets = new Map<string, Bucket>();

  create(name: string, region: string, account: string): Bucket {
    const bucket: Bucket = { name, region, account, created: new Date(), objects: new Map() };
    this.buckets.set(name, bucket);
    return bucket;
  }

  put(bucket: Bucket, key: string, body: Buffer, fields: Omit<S3Object, 'body' | 'etag' | 'lastModified'>): S3Object {
    const object: S3Object = {
      body,
      etag: `"${createHash('md5').update(body).digest('hex')}"`,
      lastModified: new Date(),
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
            objects: Object.fromEntries([...b.objects].map(([key, o]) => [key, { size: o.body.length, etag: o.etag }])),
          },
        ]),
    );
  }

  clear(): void {
    this.buckets.clear();
  }
}
