/**
 * Reading a botocore service model to check the emulator against it: requests built from an operation's HTTP
 * binding, answers walked against output and error shapes, and constraint violations generated from input shapes.
 */
import type { BotocoreModel, Operation, Shape } from './emulator-python.js';
import { rawAws } from './emulator-support.js';

/** One answer of a raw call, as the model checks look at it. */
export interface ModelAnswer {
  op: Operation;
  status: number;
  headers: Headers;
  json: Record<string, unknown> | undefined;
}

export type Input = Record<string, unknown>;

export interface RawRequest {
  method: string;
  /** Path and query, as the model's requestUri binds the input's uri and querystring members. */
  path: string;
  body?: string;
}

/** The HTTP request a REST-JSON client would send for `input` (members without a location go in the body). */
export function buildRequest(model: BotocoreModel, op: Operation, input: Input): RawRequest {
  const shape = op.input ? model.shapes[op.input.shape] : undefined;
  const [template, fixedQuery = ''] = op.http.requestUri.split('?');
  let path = template;
  const query = new URLSearchParams(fixedQuery);
  const body: Input = {};
  for (const [name, value] of Object.entries(input)) {
    const ref = shape?.members?.[name];
    if (!ref) throw new Error(`${op.name} has no member ${name}`);
    if (value === undefined) continue;
    const location = ref.locationName ?? name;
    if (ref.location === 'uri') path = path.replace(`{${location}}`, encodeURIComponent(String(value)));
    else if (ref.location === 'querystring' && Array.isArray(value)) value.forEach((v) => query.append(location, v));
    else if (ref.location === 'querystring') query.set(location, String(value));
    else body[name] = value;
  }
  const search = query.toString();
  const hasBody = Object.keys(body).length > 0 || op.http.method === 'POST';
  return {
    method: op.http.method,
    path: search ? `${path}?${search}` : path,
    body: hasBody ? JSON.stringify(body) : undefined,
  };
}

export interface ShapeCheck {
  /** Every member not in `absent` must be present (`Layers[].Arn` stands for every item of a list). */
  full: boolean;
  absent: string[];
  /**
   * Check string enums. Off for answers: enums in output are open (a newer service sends values an older model does
   * not list, and clients accept them).
   */
  enums?: boolean;
}

/** Where `value` breaks its shape: unknown members, wrong types, broken constraints, and (when `full`) missing ones. */
export function shapeProblems(
  model: BotocoreModel,
  shapeName: string,
  value: unknown,
  path: string,
  options: ShapeCheck,
): string[] {
  const shape = model.shapes[shapeName];
  const problems: string[] = [];
  const at = path || '(root)';
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${at}: not an object`];
      const record = value as Record<string, unknown>;
      for (const [key, member] of Object.entries(record)) {
        const ref = shape.members?.[key];
        if (!ref) problems.push(`${at}: unknown member ${key}`);
        else problems.push(...shapeProblems(model, ref.shape, member, join(path, key), options));
      }
      for (const key of Object.keys(shape.members ?? {})) {
        const memberPath = join(path, key);
        if (options.full && !(key in record) && !options.absent.includes(memberPath.replace(/\[\d+\]/g, '[]'))) {
          problems.push(`${memberPath}: missing`);
        }
      }
      return problems;
    }
    case 'list':
      if (!Array.isArray(value)) return [`${at}: not a list`];
      if (shape.max !== undefined && value.length > shape.max) problems.push(`${at}: more than ${shape.max} items`);
      value.forEach((item, i) => {
        problems.push(...shapeProblems(model, shape.member?.shape ?? '', item, `${path}[${i}]`, options));
      });
      return problems;
    case 'map': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${at}: not a map`];
      return Object.entries(value as Record<string, unknown>).flatMap(([key, item]) => [
        ...shapeProblems(model, shape.key?.shape ?? '', key, `${path}{key}`, options),
        ...shapeProblems(model, shape.value?.shape ?? '', item, `${path}{${key}}`, options),
      ]);
    }
    case 'string':
      return typeof value === 'string'
        ? stringProblems(shape, value, at, options.enums ?? false)
        : [`${at}: not a string`];
    case 'long':
    case 'integer':
      return Number.isInteger(value) ? [] : [`${at}: not an integer`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${at}: not a boolean`];
    default:
      return typeof value === 'string' || typeof value === 'number' ? [] : [`${at}: not a ${shape.type}`];
  }
}

function stringProblems(shape: Shape, value: string, at: string, enums: boolean): string[] {
  const problems: string[] = [];
  if (shape.pattern && !new RegExp(`^(?:${shape.pattern})$`).test(value)) problems.push(`${at}: breaks its pattern`);
  if (shape.min !== undefined && value.length < shape.min) problems.push(`${at}: shorter than ${shape.min}`);
  if (shape.max !== undefined && value.length > shape.max) problems.push(`${at}: longer than ${shape.max}`);
  if (enums && shape.enum && !shape.enum.includes(value)) problems.push(`${at}: not in its enum`);
  return problems;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

export interface Violation {
  /** What is wrong, for the test's name. */
  name: string;
  input: Input;
  /** The member path as AWS names it in the message (lowerCamel, dotted). */
  field: string;
  /** The end of AWS's sentence: "failed to satisfy constraint: Member must <rule>". */
  rule: string;
}

const lowerCamel = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/**
 * One request per constraint of the operation's input, each breaking exactly that constraint of one member of an
 * otherwise valid input: lengths, patterns, enums, list sizes, integer ranges, and required body members left out.
 */
export function violations(
  model: BotocoreModel,
  op: Operation,
  valid: Input,
  modelled: (path: string) => boolean = () => true,
): Violation[] {
  const out: Violation[] = [];
  const input = model.shapes[op.input?.shape ?? ''];
  for (const [name, ref] of Object.entries(input.members ?? {})) {
    if (!modelled(name)) continue;
    const shape = model.shapes[ref.shape];
    const set = (value: unknown): Input => ({ ...valid, [name]: value });
    if (shape.type === 'structure') {
      for (const [inner, innerRef] of Object.entries(shape.members ?? {})) {
        if (!modelled(`${name}.${inner}`)) continue;
        const base = (valid[name] ?? {}) as Input;
        for (const v of scalarViolations(model.shapes[innerRef.shape], ref.location)) {
          out.push({
            name: `${name}.${inner} ${v.name}`,
            input: { ...valid, [name]: { ...base, [inner]: v.value } },
            field: `${lowerCamel(name)}.${lowerCamel(inner)}`,
            rule: v.rule,
          });
        }
      }
    }
    for (const v of scalarViolations(shape, ref.location)) {
      out.push({ name: `${name} ${v.name}`, input: set(v.value), field: lowerCamel(name), rule: v.rule });
    }
    if (shape.type === 'list' && shape.member) {
      const memberShape = model.shapes[shape.member.shape];
      const good = memberShape.enum?.[0] ?? 'x';
      if (memberShape.enum) {
        out.push({
          name: `${name} with an unknown value`,
          input: set(['not-a-value']),
          field: lowerCamel(name),
          rule: 'satisfy constraint: [Member must satisfy enum value set',
        });
      }
      if (shape.max !== undefined) {
        const tooMany = Array.from({ length: shape.max + 1 }, () => good);
        out.push({
          name: `${name} with ${shape.max + 1} items`,
          input: set(tooMany),
          field: lowerCamel(name),
          rule: `have length less than or equal to ${shape.max}`,
        });
      }
    }
    if (input.required?.includes(name) && ref.location === undefined) {
      out.push({ name: `${name} left out`, input: set(undefined), field: lowerCamel(name), rule: 'not be null' });
    }
  }
  return out;
}

function scalarViolations(shape: Shape, location?: string): { name: string; value: unknown; rule: string }[] {
  const out: { name: string; value: unknown; rule: string }[] = [];
  if (shape.type === 'string') {
    if (shape.max !== undefined) {
      out.push({
        name: `of ${shape.max + 1} characters`,
        value: 'a'.repeat(shape.max + 1),
        rule: `have length less than or equal to ${shape.max}`,
      });
    }
    // An empty path segment would change the route, not the value.
    if (shape.min !== undefined && shape.min > 0 && !(location === 'uri' && shape.min === 1)) {
      out.push({
        name: `of ${shape.min - 1} characters`,
        value: 'a'.repeat(shape.min - 1),
        rule: `have length greater than or equal to ${shape.min}`,
      });
    }
    if (shape.pattern) out.push({ name: 'with a space', value: 'a b', rule: 'satisfy regular expression pattern' });
    if (shape.enum) out.push({ name: 'not in the enum', value: 'not-a-value', rule: 'satisfy enum value set' });
  }
  if (shape.type === 'integer' || shape.type === 'long') {
    if (shape.min !== undefined)
      out.push({
        name: `of ${shape.min - 1}`,
        value: shape.min - 1,
        rule: `have value greater than or equal to ${shape.min}`,
      });
    if (shape.max !== undefined)
      out.push({
        name: `of ${shape.max + 1}`,
        value: shape.max + 1,
        rule: `have value less than or equal to ${shape.max}`,
      });
  }
  return out;
}

/**
 * Constrained shapes reachable from the operations' inputs: name -> the shape. `modelled` sees member paths
 * (`Code`, `Code.S3Bucket`) and leaves out the members an emulator refuses by name.
 */
export function inputShapes(
  model: BotocoreModel,
  ops: Operation[],
  modelled: (path: string) => boolean = () => true,
): Map<string, Shape> {
  const found = new Map<string, Shape>();
  const visit = (name: string, path: string) => {
    const shape = model.shapes[name];
    if (found.has(name)) return;
    if (shape.type === 'structure') {
      for (const [member, ref] of Object.entries(shape.members ?? {})) {
        const memberPath = path ? `${path}.${member}` : member;
        if (modelled(memberPath)) visit(ref.shape, memberPath);
      }
    } else if (shape.type === 'list' && shape.member) {
      found.set(name, shape);
      visit(shape.member.shape, path);
    } else if (['min', 'max', 'pattern', 'enum'].some((k) => k in shape)) found.set(name, shape);
  };
  ops.forEach((op) => op.input && visit(op.input.shape, ''));
  return found;
}

/**
 * What is wrong with the errors a suite collected: each must be JSON, modelled for its operation (or one of the
 * `generic` codes AWS's front door sends to every operation), with the model's status and body members.
 */
export function errorProblems(model: BotocoreModel, errors: ModelAnswer[], generic: string[]): string[] {
  const problems = errors.flatMap(({ op, status, headers, json }) => {
    const code = headers.get('x-amzn-errortype') ?? '(none)';
    const shape = model.shapes[code];
    const where = `${op.name} ${status} ${code}`;
    const found: string[] = [];
    if (!headers.get('content-type')?.startsWith('application/json')) found.push(`${where}: not JSON`);
    const modelled = (op.errors ?? []).some((e) => e.shape === code) || generic.includes(code);
    if (!modelled && !(code === 'RequestEntityTooLargeException' && status === 413)) {
      found.push(`${where}: not modelled for the operation`);
    }
    if (shape?.exception) {
      if (shape.error?.httpStatusCode !== status) found.push(`${where}: the model says ${shape.error?.httpStatusCode}`);
      found.push(...shapeProblems(model, code, json, code, { full: false, absent: [] }));
    } else if (typeof (json?.message ?? json?.Message) !== 'string') found.push(`${where}: no message`);
    return found;
  });
  return [...new Set(problems)];
}

/**
 * Calls an operation over HTTP exactly as the model binds `input` (a SigV4-shaped request the emulator reads the
 * region from), and keeps every error answer in `errors` for errorProblems.
 */
export function modelCaller(
  model: BotocoreModel,
  url: () => string,
  defaultRegion: string,
  errors: ModelAnswer[],
): (op: Operation, input: Input, region?: string) => Promise<ModelAnswer> {
  return async (op, input, region = defaultRegion) => {
    const request = buildRequest(model, op, input);
    const raw = await rawAws(url(), model.metadata.endpointPrefix, region, request.method, request.path, request.body);
    const answer = { op, status: raw.status, headers: raw.headers, json: raw.json };
    if (raw.status >= 400) errors.push(answer);
    return answer;
  };
}
