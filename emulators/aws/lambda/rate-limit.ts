/**
 * Lambda's control-plane rate, per account and region (the quotas page: 15 requests per second for the layer and
 * function management APIs): a token bucket holding at most one second's worth of requests, refilled continuously.
 * A request that finds the bucket empty is answered 429 TooManyRequestsException and costs nothing, as AWS's
 * throttle costs the caller nothing but time; its Retry-After says when the next token is due.
 */

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  /** `rps` 0 (or undefined): no limit. */
  constructor(
    public rps = 0,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes a token for `key`; returns the seconds until one is due when there is none. */
  take(key: string): { ok: true } | { ok: false; retryAfterSeconds: number } {
    if (!(this.rps > 0)) return { ok: true };
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.rps, at: now };
    bucket.tokens = Math.min(this.rps, bucket.tokens + ((now - bucket.at) / 1000) * this.rps);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.rps)) };
  }

  /** A new limit starts every bucket full. */
  configure(rps: number): void {
    this.rps = rps;
    this.buckets.clear();
  }
}
