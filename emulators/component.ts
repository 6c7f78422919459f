import type { Service } from './http.js';
import type { ControlHandler } from './server.js';

/** A group of services (AWS, GitHub) plugged into the one emulator server. */
export interface EmulatorComponent {
  services: Service[];
  /** Routes under /__emulator/ for tests: inspect or seed this component's state. */
  control?: ControlHandler;
  /** Variables a client needs to reach this component, given the server's base URL. */
  env(baseUrl: string): Record<string, string>;
}
