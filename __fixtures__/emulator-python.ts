/**
 * Python clients as independent checkers of the emulator: boto3 (one process per test file, fed a script on stdin)
 * and botocore's service models (the same JSON the AWS CLI and boto3 are generated from).
 */
import { execFile, spawnSync } from 'node:child_process';
import { DUMMY_ENV } from './emulator-support.js';

/** Interpreters tried in order: pyenv's (pip packages) first, then Debian's (python3-boto3, awscli). */
const PYTHONS = ['python3', '/usr/bin/python3'];

function pythonHas(python: string, module: string): boolean {
  return spawnSync(python, ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0;
}

/** The first python3 that can import `module`, or undefined. */
export function pythonWith(module: string): string | undefined {
  return PYTHONS.find((python) => pythonHas(python, module));
}

/** Compares dotted versions (1.43.11 > 1.29.27). */
export function newerVersion(a: string, b: string): boolean {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) > (pb[i] ?? 0);
  }
  return false;
}

/**
 * A service's model as botocore loads it (data/<service>/<version>/service-2.json[.gz]) from the newest botocore
 * any python3 here has, with that botocore's version; undefined when none has botocore.
 */
export function botocoreModel(service: string): BotocoreModel | undefined {
  const script =
    'import json, sys, botocore, botocore.loaders\n' +
    `model = botocore.loaders.Loader().load_service_model(${JSON.stringify(service)}, 'service-2')\n` +
    'model["botocoreVersion"] = botocore.__version__\n' +
    'json.dump(model, sys.stdout)';
  let newest: BotocoreModel | undefined;
  for (const python of PYTHONS) {
    const result = spawnSync(python, ['-c', script], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (result.status !== 0) continue;
    const model = JSON.parse(result.stdout) as BotocoreModel;
    if (!newest || newerVersion(model.botocoreVersion, newest.botocoreVersion)) newest = model;
  }
  return newest;
}

/**
 * A JSON data file (data/<name>.json, e.g. partitions) of the newest botocore any python3 here has, with that
 * botocore's version; undefined when none has botocore.
 */
export function botocoreData<T>(name: string): { version: string; data: T } | undefined {
  const script =
    'import json, sys, botocore, botocore.loaders\n' +
    `json.dump({"version": botocore.__version__, "data": botocore.loaders.Loader().load_data(${JSON.stringify(name)})}, sys.stdout)`;
  let newest: { version: string; data: T } | undefined;
  for (const python of PYTHONS) {
    const result = spawnSync(python, ['-c', script], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    if (result.status !== 0) continue;
    const found = JSON.parse(result.stdout) as { version: string; data: T };
    if (!newest || newerVersion(found.version, newest.version)) newest = found;
  }
  return newest;
}

export interface ShapeRef {
  shape: string;
  location?: 'uri' | 'querystring' | 'header' | 'headers' | 'statusCode';
  locationName?: string;
}

export interface Shape {
  type: 'structure' | 'list' | 'map' | 'string' | 'integer' | 'long' | 'boolean' | 'blob' | 'timestamp' | 'double';
  members?: Record<string, ShapeRef>;
  member?: ShapeRef;
  key?: ShapeRef;
  value?: ShapeRef;
  required?: string[];
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  error?: { httpStatusCode: number };
  exception?: boolean;
}

export interface Operation {
  name: string;
  http: { method: string; requestUri: string; responseCode?: number };
  input?: { shape: string };
  output?: { shape: string };
  errors?: { shape: string }[];
}

export interface BotocoreModel {
  /** botocore.__version__ of the installation the model came from (added by botocoreModel). */
  botocoreVersion: string;
  metadata: { protocol: string; endpointPrefix: string };
  operations: Record<string, Operation>;
  shapes: Record<string, Shape>;
}

/**
 * Runs a python script (on stdin) with the emulator's env and dummy keys, nothing from this machine's AWS config,
 * and parses the one JSON document it prints last.
 */
export function runPython<T>(python: string, script: string, env: Record<string, string>): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      python,
      ['-'],
      {
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '/tmp',
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
          ...DUMMY_ENV,
          ...env,
        },
        maxBuffer: 64 * 1024 * 1024,
        timeout: 120_000,
      },
      (err, stdout, stderr) => {
        if (err) {
          reject(new Error(`python failed: ${err.message}\n${stderr}`));
          return;
        }
        const last = stdout.trim().split('\n').pop() ?? '';
        try {
          resolve(JSON.parse(last) as T);
        } catch {
          reject(new Error(`python printed no JSON: ${stdout}\n${stderr}`));
        }
      },
    );
    child.stdin?.end(script);
  });
}
