import { createHash } from 'node:crypto';
import type { ServiceName } from './http.js';

export const FAULT_KINDS = ['429', '500', 'reset', 'drop-after-commit'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultSettings {
  /** Probability in [0, 1] that a request gets a fault. */
  rate: number;
  kinds: FaultKind[];
  seed: string;
  /** Services the faults hit; undefined means all of them. */
  services?: ServiceName[];
  /** Retry-After sent with 429 answers, in seconds. */
  retryAfterSeconds: number;
}

/**
 * Decides faults reproducibly even when requests arrive concurrently: the decision for a request depends only on
 * the seed, the request's key and how many requests with that key came before it. The key is the service plus
 * what the service says names the request (Service.faultKey: region, method and path by default; the operation and
 * resource for the query and JSON protocols, whose path is always `/`). So parallel regions, and parallel calls on
 * different resources, do not disturb each other's sequences, and a retry gets a fresh draw. What remains ordered
 * by arrival is only concurrent requests with the same key, which a client cannot tell apart anyway.
 * Compare runs per key (RequestLogEntry.key), not by arrival order.
 */
export class FaultPlan {
  private readonly counters = new Map<string, number>();

  constructor(public settings: FaultSettings) {}

  decide(service: ServiceName, key: string): FaultKind | undefined {
    const { rate, kinds, seed, services } = this.settings;
    if (rate <= 0 || kinds.length === 0) return undefined;
    if (services && !services.includes(service)) return undefined;
    const fullKey = `${service} ${key}`;
    const n = this.counters.get(fullKey) ?? 0;
    this.counters.set(fullKey, n + 1);
    const digest = createHash('sha256').update(`${seed}\0${fullKey}\0${n}`).digest();
    const draw = digest.readUInt32BE(0) / 0x1_0000_0000;
    if (draw >= rate) return undefined;
    return kinds[digest.readUInt32BE(4) % kinds.length];
  }

  reset(settings?: Partial<FaultSettings>): void {
    this.settings = { ...this.settings, ...settings };
    this.counters.clear();
  }
}

export function parseFaultKinds(value: string): FaultKind[] {
  const kinds = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const kind of kinds) {
    if (!(FAULT_KINDS as readonly string[]).includes(kind)) {
      throw new Error(`Unknown fault '${kind}'. Expected some of: ${FAULT_KINDS.join(', ')}.`);
    }
  }
  return kinds as FaultKind[];
}
