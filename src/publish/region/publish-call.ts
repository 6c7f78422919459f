/**
 * PublishLayerVersion is not idempotent: a resend after AWS committed a version whose answer was lost creates a
 * second version. So it is sent with SDK retries off, and when its outcome is unknown (a 5xx, a reset, a timeout)
 * the versions that appeared since are read first; one holding this release is adopted. Only when there is none is
 * the request sent again, a bounded number of times. A throttle (429) committed nothing and is simply resent after
 * the wait AWS asked for.
 */
import { PublishLayerVersionCommand, type LambdaClient, type PublishLayerVersionRequest } from '@aws-sdk/client-lambda';
import { classifyAwsError, retryAfterMs } from '../../aws/errors.js';
import type { Marker } from '../../record/index.js';
import { findRelease, type StoredVersion } from '../versions.js';
import type { Release } from './converge.js';

export interface PublishCallDeps {
  publisher: LambdaClient;
  lambda: LambdaClient;
  sleep(ms: number): Promise<void>;
  /** Delay before attempt `attempt + 1` after a failed one. */
  backoffMs(attempt: number): number;
  attempts: number;
  /** Bounds the uploads in flight (memory); wraps only the PublishLayerVersion call. */
  uploadSlot<T>(send: () => Promise<T>): Promise<T>;
}

export interface PublishedVersion extends StoredVersion {
  adopted: boolean;
}

/**
 * After a publish whose answer was lost: the version it created, if it did (newer than `after`, this release's
 * marker and CodeSha256), adopted as this run's own. Every resend of PublishLayerVersion looks here first.
 */
export async function adoptLost(lambda: LambdaClient, release: Release, after?: number) {
  const found = await findRelease(lambda, release.name, after, release);
  return found && { ...found, adopted: true };
}

export async function publishOnce(
  request: PublishLayerVersionRequest,
  release: { marker: Marker; codeSha256: string; newestBefore?: number },
  deps: PublishCallDeps,
): Promise<PublishedVersion> {
  const name = request.LayerName!;
  for (let attempt = 1; ; attempt++) {
    try {
      const answer = await deps.uploadSlot(() => deps.publisher.send(new PublishLayerVersionCommand(request)));
      return {
        version: answer.Version!,
        arn: answer.LayerVersionArn ?? '',
        codeSha256: answer.Content?.CodeSha256,
        description: answer.Description ?? '',
        adopted: false,
      };
    } catch (err) {
      const kind = classifyAwsError(err);
      if (kind !== 'throttled' && kind !== 'unknown-outcome') throw err;
      if (kind === 'unknown-outcome') {
        // A failed look is a StepError naming its own operation; the version's fate stays unknown, so no resend.
        const adopted = await adoptLost(deps.lambda, { name, ...release }, release.newestBefore);
        if (adopted) return adopted;
      }
      if (attempt >= deps.attempts) throw err;
      await deps.sleep(kind === 'throttled' ? (retryAfterMs(err) ?? deps.backoffMs(attempt)) : deps.backoffMs(attempt));
    }
  }
}

/** PublishLayerVersion sends at most, when AWS_MAX_ATTEMPTS does not say otherwise. */
export const DEFAULT_PUBLISH_ATTEMPTS = 5;

/** Exponential backoff with full jitter (as the SDK's standard mode), capped at 20 s. */
export function defaultBackoffMs(attempt: number): number {
  return Math.random() * Math.min(20_000, 100 * 2 ** attempt);
}
