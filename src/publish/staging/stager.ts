/**
 * Staging for one run: the runner uploads the zip once, to the bucket of the first region (the origin), and S3
 * copies it server-side to every other region's bucket (CopyObject sent to the destination's region, the origin's
 * object as its source), COPIES_AT_ONCE at a time. So the runner's uplink carries the zip once, whatever the number
 * of regions.
 *
 * - An object already holding these bytes (its SHA-256 checksum and size, as HeadObject reports them) is neither
 *   uploaded nor copied: a rerun, a region that failed after staging, or another run staging the same zip.
 * - A copy that fails (after the client's retries) falls back to an upload from the runner for that region alone; so
 *   does every region when the origin's upload failed.
 * - After a publish in which no region failed, the objects are deleted (unless `s3-keep`), so buckets do not fill
 *   with one zip per release. Another run staging the same zip at the same time may lose its object that way:
 *   the region chain (region/chain.ts) stages it again when Lambda answers that the object is gone.
 */
import { CopyObjectCommand, DeleteObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import pLimit, { type LimitFunction } from 'p-limit';
import { httpStatusOf } from '../../aws/errors.js';
import { PARTS_AT_ONCE, uploadZip, UploadShape, type ZipBytes } from '../../aws/s3-upload.js';
import { errorMessage } from '../../errors.js';
import { ensureAutoBucket } from './auto-bucket.js';
import { isTransient } from '../../aws/region-retry.js';
import type { Logger } from '../plan.js';
import { explainS3Error, type StagedZip } from './staged-zip.js';

export const COPIES_AT_ONCE = 8;
/** Uploads from the runner for regions whose copy failed: each is PARTS_AT_ONCE parts in flight already. */
export const FALLBACK_UPLOADS_AT_ONCE = 2;
const MiB = 1024 * 1024;

export interface StagingTarget {
  buckets: Record<string, string>;
  key: string;
  /** The region whose bucket takes the runner's one upload. */
  origin: string;
  /** `s3-bucket: auto`: create a region's bucket the first time it is used; the lifecycle rule covers `prefix`. */
  auto?: { prefix: string };
}

export interface StagerDeps {
  s3(region: string): S3Client;
  logger: Pick<Logger, 'info' | 'warning'>;
}

export class Stager {
  readonly shape: UploadShape;
  private origin?: Promise<StagedZip>;
  private readonly buckets = new Map<string, Promise<void>>();
  /** Regions whose bucket this run looked at: where the object is (or may be) after the run. */
  private readonly used = new Set<string>();
  private readonly copies: LimitFunction = pLimit(COPIES_AT_ONCE);
  private readonly fallbacks: LimitFunction = pLimit(FALLBACK_UPLOADS_AT_ONCE);

  constructor(
    private readonly target: StagingTarget,
    zip: ZipBytes,
    private readonly deps: StagerDeps,
  ) {
    this.shape = new UploadShape(zip);
  }

  /** One line for the log: how the zip will reach the buckets. */
  describe(regions: string[]): string {
    const { origin, key } = this.target;
    const parts = this.shape.parts
      ? ` in ${this.shape.parts.length} parts of ${this.shape.partBytes! / MiB} MiB, ${PARTS_AT_ONCE} at a time`
      : '';
    const others = regions.filter((r) => r !== origin).length;
    const copies =
      others === 1
        ? "; S3 copies it to the other region's bucket"
        : others
          ? `; S3 copies it to the other ${others} regions' buckets, ${Math.min(COPIES_AT_ONCE, others)} at a time`
          : '';
    return `The zip goes up once, to s3://${this.target.buckets[origin]}/${key}${parts}${copies}.`;
  }

  /** Puts the zip in the region's bucket unless it holds it; `again`: Lambda found no object where one was staged. */
  async stage(region: string, again = false): Promise<StagedZip> {
    this.used.add(region);
    const bucket = this.target.buckets[region];
    const { key } = this.target;
    if (region === this.target.origin && !again) return this.originStaged();
    await this.bucketReady(region);
    if (await this.holds(region)) return { bucket, key, how: 'already there' };
    let source: StagedZip | undefined;
    try {
      source = await this.originStaged();
    } catch (err) {
      // A transient failure: this region's next attempt waits for the origin's upload again (one upload for all).
      // Anything else (no bucket, no permission) the origin's region reports; this region uploads its own.
      if (isTransient(err)) throw err;
    }
    if (source && region !== this.target.origin) {
      try {
        await this.copies(() => this.copy(region));
        return { bucket, key, how: 'copied', from: this.target.origin };
      } catch (err) {
        this.deps.logger.info(
          `${region}: S3 could not copy the zip from ${this.target.origin} (${errorMessage(err)}); uploading it to this region's bucket instead.`,
        );
      }
    }
    await this.fallbacks(() => this.upload(region));
    return { bucket, key, how: 'uploaded' };
  }

  /** The origin's object: found, or uploaded once for every region of the run. */
  private originStaged(): Promise<StagedZip> {
    if (this.origin) return this.origin;
    const staged = (async () => {
      const region = this.target.origin;
      this.used.add(region);
      const bucket = this.target.buckets[region];
      await this.bucketReady(region);
      if (await this.holds(region)) return { bucket, key: this.target.key, how: 'already there' as const };
      await this.upload(region);
      return { bucket, key: this.target.key, how: 'uploaded' as const };
    })();
    this.origin = staged;
    // A failed upload is not remembered: the next region attempt uploads again.
    staged.catch(() => {
      if (this.origin === staged) this.origin = undefined;
    });
    return staged;
  }

  private bucketReady(region: string): Promise<void> {
    const auto = this.target.auto;
    if (!auto) return Promise.resolve();
    let ready = this.buckets.get(region);
    if (!ready) {
      const bucket = this.target.buckets[region];
      ready = ensureAutoBucket(this.deps.s3(region), bucket, region, auto.prefix).then((created) => {
        if (created) {
          this.deps.logger.info(
            `${region}: created bucket ${bucket} (private, encrypted, staged zips expire after a day).`,
          );
        }
      });
      // A failed check is tried again by the region's next attempt.
      ready.catch(() => this.buckets.delete(region));
      this.buckets.set(region, ready);
    }
    return ready;
  }

  /** True when the region's object holds these bytes. 403/404: not there, or not visible; uploading tells more. */
  private async holds(region: string): Promise<boolean> {
    const bucket = this.target.buckets[region];
    try {
      const head = await this.deps
        .s3(region)
        .send(new HeadObjectCommand({ Bucket: bucket, Key: this.target.key, ChecksumMode: 'ENABLED' }));
      return this.shape.holds(head.ChecksumSHA256, head.ContentLength);
    } catch (err) {
      const status = httpStatusOf(err);
      if (status === 404 || status === 403) return false;
      throw explainS3Error(err, 'GetObject', bucket, region);
    }
  }

  private async upload(region: string): Promise<void> {
    const bucket = this.target.buckets[region];
    try {
      await uploadZip(this.deps.s3(region), { bucket, key: this.target.key }, this.shape);
    } catch (err) {
      throw explainS3Error(err, 'PutObject', bucket, region);
    }
  }

  /** A server-side copy, checked: S3 answers the copy's SHA-256, which must be the zip's. */
  private async copy(region: string): Promise<void> {
    const { key, origin } = this.target;
    const answer = await this.deps.s3(region).send(
      new CopyObjectCommand({
        Bucket: this.target.buckets[region],
        Key: key,
        CopySource: `${this.target.buckets[origin]}/${encodeURIComponent(key).replace(/%2F/g, '/')}`,
        ChecksumAlgorithm: 'SHA256',
        ContentType: 'application/zip',
      }),
    );
    const copied = answer.CopyObjectResult?.ChecksumSHA256;
    if (copied !== undefined && copied !== this.shape.zip.codeSha256) {
      throw new Error(`the copy's SHA-256 is ${copied}, the zip's ${this.shape.zip.codeSha256}`);
    }
  }

  /** Deletes this run's staged objects; returns a warning per bucket where that failed (the layer is published). */
  async cleanUp(): Promise<string[]> {
    const problems: string[] = [];
    const limit = pLimit(COPIES_AT_ONCE);
    await Promise.all(
      [...this.used].map((region) =>
        limit(async () => {
          const bucket = this.target.buckets[region];
          try {
            await this.deps.s3(region).send(new DeleteObjectCommand({ Bucket: bucket, Key: this.target.key }));
          } catch (err) {
            problems.push(
              `${region}: the staged zip s3://${bucket}/${this.target.key} was not deleted (${explainS3Error(err, 'DeleteObject', bucket, region).message}).`,
            );
          }
        }),
      ),
    );
    return problems;
  }

  /** Regions whose bucket this run used, for the log. */
  get regionsUsed(): number {
    return this.used.size;
  }
}
