/**
 * How many inline uploads may be in flight at once, from a memory budget rather than from the number of regions.
 *
 * Every region sends the same shared request body (src/aws/inline-zip.ts), so the zip and its base64 body are paid
 * once, whatever the number of regions; each upload in flight adds only its socket's buffers and the slice being
 * written. Measured with the SDK (bench/publish.ts, 45 MB zip, 16 regions at once): ~4 MB per upload in flight,
 * against 67-97 MB per upload when the SDK serializes each request itself.
 */
import { InlineZip, STREAM_CHUNK_BYTES } from '../aws/inline-zip.js';

const MiB = 1024 * 1024;
/** Peak RSS the publish step aims to stay under (SPEC: "peak memory stays near 1 GiB"). */
export const MEMORY_BUDGET_BYTES = 1024 * MiB;
/** One upload in flight: the slice being written, the stream's buffer, the socket's (and TLS's) buffers; measured ~4 MB. */
export const PER_UPLOAD_BYTES = 4 * STREAM_CHUNK_BYTES + 2 * MiB;

/**
 * Uploads allowed at once (inline PublishLayerVersion calls, or S3 PutObjects): what is left of the budget once the
 * process (`baselineBytes`, its RSS now), the zip and the shared body are counted, divided by the cost of one upload in flight; never fewer than one.
 */
export function uploadSlots(
  zipBytes: number,
  baselineBytes: number,
  budgetBytes = MEMORY_BUDGET_BYTES,
  inline = true,
): number {
  // Staged in S3 (inline false), the zip is streamed from its one Buffer: no shared base64 body is built.
  const fixed = baselineBytes + zipBytes + (inline ? InlineZip.base64Length(zipBytes) : 0);
  return Math.max(1, Math.floor((budgetBytes - fixed) / PER_UPLOAD_BYTES));
}
