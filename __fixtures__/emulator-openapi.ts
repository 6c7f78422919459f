/**
 * GitHub's REST schemas as @octokit/openapi-types declares them (components["schemas"][...]), read with the
 * TypeScript compiler API, to check the emulator's JSON: required members present, no unknown members, types and
 * enumerated strings as declared.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import ts from 'typescript';

const require = createRequire(import.meta.url);
const FILE = path.join(path.dirname(require.resolve('@octokit/openapi-types/package.json')), 'types.d.ts');

let schemas: Map<string, ts.TypeNode> | undefined;

/** components["schemas"] of types.d.ts: name -> its type (an object literal, or one `| null`). */
function loadSchemas(): Map<string, ts.TypeNode> {
  if (schemas) return schemas;
  const source = ts.createSourceFile(FILE, readFileSync(FILE, 'utf8'), ts.ScriptTarget.Latest, true);
  const found = new Map<string, ts.TypeNode>();
  source.forEachChild((node) => {
    if (!ts.isInterfaceDeclaration(node) || node.name.text !== 'components') return;
    const member = node.members.find((m) => m.name && (m.name as ts.Identifier).text === 'schemas');
    const literal = member && ts.isPropertySignature(member) ? member.type : undefined;
    if (!literal || !ts.isTypeLiteralNode(literal)) return;
    for (const schema of literal.members) {
      if (ts.isPropertySignature(schema) && schema.type) found.set(propertyName(schema.name), schema.type);
    }
  });
  return (schemas = found);
}

function propertyName(name: ts.PropertyName): string {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : name.getText();
}

/** Where `value` departs from components["schemas"][schema]. */
export function schemaProblems(schema: string, value: unknown, at = schema): string[] {
  const type = loadSchemas().get(schema);
  if (!type) throw new Error(`no schema ${schema} in @octokit/openapi-types`);
  return typeProblems(type, value, at);
}

function literalProblems(literal: ts.TypeLiteralNode, value: unknown, at: string): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${at}: not an object`];
  const record = value as Record<string, unknown>;
  const problems: string[] = [];
  const declared = new Map<string, ts.PropertySignature>();
  for (const member of literal.members) {
    if (ts.isPropertySignature(member)) declared.set(propertyName(member.name), member);
    // An index signature ([key: string]: unknown) allows any member.
    if (ts.isIndexSignatureDeclaration(member)) return [];
  }
  for (const [name, member] of declared) {
    if (!(name in record)) {
      if (!member.questionToken) problems.push(`${at}.${name}: missing`);
      continue;
    }
    if (member.type) problems.push(...typeProblems(member.type, record[name], `${at}.${name}`));
  }
  for (const name of Object.keys(record)) if (!declared.has(name)) problems.push(`${at}.${name}: not in the schema`);
  return problems;
}

function typeProblems(type: ts.TypeNode, value: unknown, at: string): string[] {
  if (ts.isUnionTypeNode(type)) {
    const each = type.types.map((t) => typeProblems(t, value, at));
    return each.some((p) => p.length === 0) ? [] : (each.find((p) => !p[0]?.endsWith(': wrong type')) ?? each[0]);
  }
  if (ts.isParenthesizedTypeNode(type)) return typeProblems(type.type, value, at);
  if (ts.isLiteralTypeNode(type)) {
    if (type.literal.kind === ts.SyntaxKind.NullKeyword) return value === null ? [] : [`${at}: wrong type`];
    const literal = ts.isStringLiteral(type.literal) ? type.literal.text : type.literal.getText();
    return String(value) === literal ? [] : [`${at}: ${JSON.stringify(value)} is not one of the declared values`];
  }
  if (ts.isArrayTypeNode(type)) {
    if (!Array.isArray(value)) return [`${at}: wrong type`];
    return value.flatMap((item, i) => typeProblems(type.elementType, item, `${at}[${i}]`));
  }
  if (ts.isTypeLiteralNode(type)) return literalProblems(type, value, at);
  if (ts.isIndexedAccessTypeNode(type)) {
    const name = /components\["schemas"\]\["([^"]+)"\]/.exec(type.getText())?.[1];
    return name ? schemaProblems(name, value, at) : [];
  }
  const expected: Partial<Record<ts.SyntaxKind, string>> = {
    [ts.SyntaxKind.StringKeyword]: 'string',
    [ts.SyntaxKind.NumberKeyword]: 'number',
    [ts.SyntaxKind.BooleanKeyword]: 'boolean',
  };
  const wanted = expected[type.kind];
  return wanted && typeof value !== wanted ? [`${at}: wrong type`] : [];
}
