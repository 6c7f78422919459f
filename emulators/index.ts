import { AwsContext, createAwsComponent, type AwsOptions } from './aws/index.js';
import type { FaultSettings } from './faults.js';
import type { ServiceName } from './http.js';
import { createGitHubComponent, type GitHubOptions } from './github/index.js';
import { EmulatorServer } from './server.js';

export interface EmulatorOptions {
  port?: number;
  latencyMs?: number;
  /** Services the latency applies to; all of them when absent. */
  latencyServices?: ServiceName[];
  faults?: Partial<FaultSettings>;
  aws?: AwsOptions;
  github?: GitHubOptions;
}

export interface RunningEmulator {
  url: string;
  /** Every variable a client needs: endpoints, dummy credentials, tokens. */
  env: Record<string, string>;
  server: EmulatorServer;
  /** The AWS side's state and region faults, for in-process tests (the same as /__emulator/aws/ over HTTP). */
  aws: AwsContext;
  stop(): Promise<void>;
}

/** Starts every local service on one 127.0.0.1 port (a free one unless `port` is given). */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const aws = new AwsContext(options.aws);
  const components = [createAwsComponent(options.aws, aws), createGitHubComponent(options.github)];
  const server = new EmulatorServer(
    components.flatMap((c) => c.services),
    { latencyMs: options.latencyMs, latencyServices: options.latencyServices, faults: options.faults },
  );
  for (const component of components) if (component.control) server.addControl(component.control);
  const url = await server.listen(options.port ?? 0);
  const env: Record<string, string> = Object.assign({}, ...components.map((c) => c.env(url)));
  return { url, env, server, aws, stop: () => server.close() };
}
