export interface Parameter {
  name: string;
  type: string;
  value: string;
  version: number;
  lastModified: Date;
  dataType: string;
  description?: string;
}

/** SSM parameters per account and region. */
export class SsmStore {
  private readonly scopes = new Map<string, Map<string, Parameter>>();

  parameters(account: string, region: string): Map<string, Parameter> {
    const key = `${account}/${region}`;
    let scope = this.scopes.get(key);
    if (!scope) this.scopes.set(key, (scope = new Map()));
    return scope;
  }

  dump(filter: { account?: string; region?: string } = {}): Record<string, Record<string, unknown>> {
    const out: Record<string, Record<string, unknown>> = {};
    for (const [key, scope] of this.scopes) {
      const [account, region] = key.split('/');
      if ((filter.account && filter.account !== account) || (filter.region && filter.region !== region)) continue;
      (out[account] ??= {})[region] = Object.fromEntries(
        [...scope.values()].map((p) => [p.name, { ...p, lastModified: p.lastModified.toISOString() }]),
      );
    }
    return out;
  }

  clear(): void {
    this.scopes.clear();
  }
}
