/**
 * Puts one Buffer into S3 with a SHA-256 checksum S3 verifies: a single PutObject up to MULTIPART_THRESHOLD, above it
 * a multipart upload of PART_BYTES parts, PARTS_AT_ONCE in flight, each part carrying its own SHA-256. A failed
 * multipart upload is aborted, and so is one in flight when the step is cancelled (src/cancel.ts), so its parts are
 * not kept (and billed) in the bucket.
 *
 * Written here rather than with @aws-sdk/lib-storage: the part size must be known to say which checksum the object
 * will carry (S3 gives a multipart object the SHA-256 of its parts' SHA-256s, `-N`), which is how a later run tells
 * that an object already holds these bytes; and each part is hashed once, for both the checksum and the signature.
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { BuildHandler, BuildHandlerArguments, MiddlewareStack } from '@smithy/types';
import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import { undoOnCancel } from '../cancel.js';

const MiB = 1024 * 1024;
/** Above this a zip goes up in parts: several parts in flight fill an uplink that one stream does not. */
export const MULTIPART_THRESHOLD = 16 * MiB;
export const PART_BYTES = 8 * MiB;
export const PARTS_AT_ONCE = 4;
const MAX_PARTS = 10_000;

export interface ZipBytes {
  data: Buffer;
  /** hex SHA-256 of the zip. */
  sha256: string;
  /** base64 SHA-256: S3's ChecksumSHA256 of a single-part object, and Lambda's CodeSha256. */
  codeSha256: string;
}

interface Part {
  start: number;
  end: number;
  sha256Hex: string;
  sha256Base64: string;
}

/** How the zip goes up, its parts hashed once (a few hundred ms for 200 MB). */
export class UploadShape {
  readonly parts?: Part[];
  /** The ChecksumSHA256 S3 answers for the object this upload makes. */
  readonly checksum: string;

  constructor(readonly zip: ZipBytes) {
    const size = zip.data.length;
    if (size <= MULTIPART_THRESHOLD) {
      this.checksum = zip.codeSha256;
      return;
    }
    const partBytes = Math.max(PART_BYTES, Math.ceil(size / MAX_PARTS / MiB) * MiB);
    const parts: Part[] = [];
    for (let start = 0; start < size; start += partBytes) {
      const end = Math.min(size, start + partBytes);
      const digest = createHash('sha256').update(zip.data.subarray(start, end)).digest();
      parts.push({ start, end, sha256Hex: digest.toString('hex'), sha256Base64: digest.toString('base64') });
    }
    const joined = Buffer.concat(parts.map((p) => Buffer.from(p.sha256Hex, 'hex')));
    this.checksum = `${createHash('sha256').update(joined).digest('base64')}-${parts.length}`;
    this.parts = parts;
  }

  get partBytes(): number | undefined {
    return this.parts?.[0] && this.parts[0].end - this.parts[0].start;
  }

  /** True when S3's checksum says an object holds these bytes: one PUT, a copy, or a multipart upload of this shape. */
  holds(checksumSha256: string | undefined, size: number | undefined): boolean {
    return (
      size === this.zip.data.length && (checksumSha256 === this.zip.codeSha256 || checksumSha256 === this.checksum)
    );
  }
}

/** The payload hash SigV4 signs is known already: spares hashing the body again. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any command's stack: the middleware reads headers only
function signKnownHash(command: { middlewareStack: MiddlewareStack<any, any> }, hex: string): void {
  command.middlewareStack.add(
    (next: BuildHandler<object, object>) => (args: BuildHandlerArguments<object>) => {
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers) request.headers['x-amz-content-sha256'] = hex;
      return next(args);
    },
    { step: 'build', name: 'llrKnownPayloadHash' },
  );
}

export interface UploadTarget {
  bucket: string;
  key: string;
}

/** Uploads the zip; throws S3's error (after the client's retries) with the upload aborted. */
export async function uploadZip(s3: S3Client, target: UploadTarget, shape: UploadShape): Promise<void> {
  const { data, sha256, codeSha256 } = shape.zip;
  const common = { Bucket: target.bucket, Key: target.key };
  if (!shape.parts) {
    const put = new PutObjectCommand({
      ...common,
      Body: data,
      ContentLength: data.length,
      ContentType: 'application/zip',
      ChecksumSHA256: codeSha256,
    });
    signKnownHash(put, sha256);
    await s3.send(put);
    return;
  }
  const created = await s3.send(
    new CreateMultipartUploadCommand({ ...common, ContentType: 'application/zip', ChecksumAlgorithm: 'SHA256' }),
  );
  const uploadId = created.UploadId!;
  const abort = () => s3.send(new AbortMultipartUploadCommand({ ...common, UploadId: uploadId }));
  // A cancelled step aborts it too (src/cancel.ts), rather than leave its parts billed in the bucket.
  const registered = undoOnCancel(`abort the multipart upload to s3://${target.bucket}/${target.key}`, abort);
  try {
    const limit = pLimit(PARTS_AT_ONCE);
    const parts = await Promise.all(
      shape.parts.map((part, i) =>
        limit(async () => {
          const body = data.subarray(part.start, part.end);
          const command = new UploadPartCommand({
            ...common,
            UploadId: uploadId,
            PartNumber: i + 1,
            Body: body,
            ContentLength: body.length,
            ChecksumSHA256: part.sha256Base64,
          });
          signKnownHash(command, part.sha256Hex);
          const answer = await s3.send(command);
          return { PartNumber: i + 1, ETag: answer.ETag, ChecksumSHA256: part.sha256Base64 };
        }),
      ),
    );
    await s3.send(
      new CompleteMultipartUploadCommand({ ...common, UploadId: uploadId, MultipartUpload: { Parts: parts } }),
    );
  } catch (err) {
    // Best effort: a bucket's AbortIncompleteMultipartUpload rule (s3-bucket: auto sets one) removes what is left.
    await abort().catch(() => undefined);
    throw err;
  } finally {
    registered();
  }
}
