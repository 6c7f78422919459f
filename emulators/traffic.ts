/** Requests and body bytes, in and out, of one service operation (or a sum of them). */
export interface TrafficCounter {
  requests: number;
  /** Request body bytes as they arrived (aws-chunked framing and trailers included; headers not). */
  bytesIn: number;
  /** Response body bytes written (nothing for HEAD, 204, a reset or a dropped answer). */
  bytesOut: number;
}

export interface TrafficReport {
  total: TrafficCounter;
  /** service -> its sum and its operations (operation -> counter). */
  services: Record<string, TrafficCounter & { operations: Record<string, TrafficCounter> }>;
}

const zero = (): TrafficCounter => ({ requests: 0, bytesIn: 0, bytesOut: 0 });

/**
 * Byte accounting per service and operation, for benchmarks that ask what a process sent (a staged upload should
 * carry the zip once). Counted for every request a service was asked to answer, faulted ones included: the bytes
 * crossed the wire either way. Control routes are not counted.
 */
export class Traffic {
  private readonly counters = new Map<string, Map<string, TrafficCounter>>();

  /** Counts one request of `bytesIn`; the caller adds to `bytesOut` of the counter returned when it answers. */
  count(service: string, operation: string, bytesIn: number): TrafficCounter {
    let operations = this.counters.get(service);
    if (!operations) this.counters.set(service, (operations = new Map()));
    let counter = operations.get(operation);
    if (!counter) operations.set(operation, (counter = zero()));
    counter.requests += 1;
    counter.bytesIn += bytesIn;
    return counter;
  }

  report(): TrafficReport {
    const total = zero();
    const services: TrafficReport['services'] = {};
    for (const [service, operations] of [...this.counters].sort(([a], [b]) => a.localeCompare(b))) {
      const sum = { ...zero(), operations: {} as Record<string, TrafficCounter> };
      for (const [operation, counter] of [...operations].sort(([a], [b]) => a.localeCompare(b))) {
        sum.operations[operation] = { ...counter };
        for (const target of [sum, total]) {
          target.requests += counter.requests;
          target.bytesIn += counter.bytesIn;
          target.bytesOut += counter.bytesOut;
        }
      }
      services[service] = sum;
    }
    return { total, services };
  }

  reset(): void {
    this.counters.clear();
  }
}
