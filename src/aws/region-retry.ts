/**
 * Region-level retries. Every AWS call already retries in the SDK (standard mode: 3 attempts); a region whose chain
 * still fails on a transient error (a throttle, a 5xx, a reset, a timeout) runs the chain again after a backoff,
 * from where it stopped: the chain is idempotent (a version that holds this release is reused, a grant that exists
 * is a 409), and a PublishLayerVersion whose outcome is unknown is looked for before it is ever sent again.
 * Refusals (denied, not enabled, validation, a conflict) fail the region at once.
 *
 * The bound is in time as well as in attempts, so a region cannot hold up the run when AWS is really down: no new
 * attempt starts once REGION_RETRY.windowMs have passed since the region's first one began.
 */
import { classifyAwsError, retryAfterMs } from './errors.js';
import { StepError } from './step.js';

export interface RegionRetryPolicy {
  /** Attempts of the whole chain, the first one included. */
  attempts: number;
  /** No attempt starts later than this after the first one began. */
  windowMs: number;
  /** Full-jitter backoff: a random wait up to min(capMs, baseMs * 2^(retry - 1)). */
  baseMs: number;
  capMs: number;
}

export const REGION_RETRY: RegionRetryPolicy = { attempts: 4, windowMs: 120_000, baseMs: 1_000, capMs: 20_000 };

function causeOf(err: unknown): unknown {
  return err instanceof StepError ? err.cause : err;
}

/** A throttle or an answer that never came (5xx, reset, timeout): the same call may well work a moment later. */
export function isTransient(err: unknown): boolean {
  const kind = classifyAwsError(causeOf(err));
  return kind === 'throttled' || kind === 'unknown-outcome';
}

/**
 * The wait before attempt `failed + 1`, or undefined when the region gives up: a refusal, the attempts used up, or
 * the window passed (`elapsedMs` since the first attempt began, with the wait itself counted).
 */
export function regionRetryDelay(
  err: unknown,
  failed: number,
  elapsedMs: number,
  policy: RegionRetryPolicy = REGION_RETRY,
  random: () => number = Math.random,
): number | undefined {
  if (!isTransient(err) || failed >= policy.attempts) return undefined;
  const backoff = Math.round(random() * Math.min(policy.capMs, policy.baseMs * 2 ** (failed - 1)));
  const delay = Math.max(backoff, retryAfterMs(causeOf(err)) ?? 0);
  return elapsedMs + delay > policy.windowMs ? undefined : delay;
}

export interface RegionRetryDeps {
  sleep(ms: number): Promise<void>;
  now(): number;
  /** REGION_RETRY unless a test of the policy itself passes another. */
  retry?: RegionRetryPolicy;
  /** Told before each wait: the error, the attempt that failed, the wait. */
  onRetry?(err: unknown, failed: number, delayMs: number): void;
}

/** Runs `work(attempt)` until it succeeds or regionRetryDelay gives up; then the last error is thrown. */
export async function retryRegion<T>(work: (attempt: number) => Promise<T>, deps: RegionRetryDeps): Promise<T> {
  const started = deps.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await work(attempt);
    } catch (err) {
      const delay = regionRetryDelay(err, attempt, deps.now() - started, deps.retry);
      if (delay === undefined) throw err;
      deps.onRetry?.(err, attempt, delay);
      await deps.sleep(delay);
    }
  }
}
