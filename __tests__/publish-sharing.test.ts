import { describe, expect, test } from '@jest/globals';
import { isGranted, missingGrants, parsePolicy, permissionFor, statementId } from '../src/publish/region/grants.js';
import { parseGrants } from '../src/settings/share-with.js';

const pub = { kind: 'public' } as const;
const acct = { kind: 'account', id: '111122223333' } as const;
const org = { kind: 'organization', id: 'o-abcdefghij' } as const;

describe('share-with grants', () => {
  test('parsed, combined and de-duplicated', () => {
    expect(parseGrants('public 111122223333, o-abcdefghij PUBLIC 111122223333')).toEqual([pub, acct, org]);
    expect(parseGrants('')).toEqual([]);
  });

  test('stable statement ids', () => {
    expect([pub, acct, org].map(statementId)).toEqual([
      'lambda-layer-release-public',
      'lambda-layer-release-account-111122223333',
      'lambda-layer-release-org-o-abcdefghij',
    ]);
  });

  test('AddLayerVersionPermission parameters', () => {
    expect(permissionFor(pub)).toEqual({
      StatementId: 'lambda-layer-release-public',
      Action: 'lambda:GetLayerVersion',
      Principal: '*',
    });
    expect(permissionFor(acct)).toMatchObject({ Principal: '111122223333' });
    expect(permissionFor(org)).toMatchObject({ Principal: '*', OrganizationId: 'o-abcdefghij' });
  });
});

describe('reading a policy', () => {
  const policy = (statements: unknown[]) =>
    JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: statements });

  test('no policy grants nothing', () => {
    expect(missingGrants([pub, acct, org], parsePolicy(undefined))).toEqual([pub, acct, org]);
  });

  test('our statement ids count whatever their shape', () => {
    const s = parsePolicy(policy([{ Sid: 'lambda-layer-release-public' }]));
    expect(isGranted(pub, s)).toBe(true);
    expect(isGranted(acct, s)).toBe(false);
  });

  test.each([
    ['public as "*"', pub, { Sid: 'a', Effect: 'Allow', Principal: '*' }, true],
    ['public as {AWS: "*"}', pub, { Sid: 'a', Effect: 'Allow', Principal: { AWS: '*' } }, true],
    [
      'an org grant is not public',
      pub,
      {
        Sid: 'a',
        Effect: 'Allow',
        Principal: '*',
        Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij' } },
      },
      false,
    ],
    [
      'account as root ARN',
      acct,
      { Sid: 'a', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' } },
      true,
    ],
    ['account as bare id', acct, { Sid: 'a', Effect: 'Allow', Principal: { AWS: '111122223333' } }, true],
    [
      'another account',
      acct,
      { Sid: 'a', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999999999999:root' } },
      false,
    ],
    ['a Deny', acct, { Sid: 'a', Effect: 'Deny', Principal: { AWS: '111122223333' } }, false],
    [
      'the organization',
      org,
      {
        Sid: 'a',
        Effect: 'Allow',
        Principal: '*',
        Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij' } },
      },
      true,
    ],
    [
      'another organization',
      org,
      {
        Sid: 'a',
        Effect: 'Allow',
        Principal: '*',
        Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-zzzzzzzzzz' } },
      },
      false,
    ],
  ])('%s', (_label, grant, statement, granted) => {
    expect(isGranted(grant, parsePolicy(policy([statement])))).toBe(granted);
  });

  test('a single statement object is read too', () => {
    expect(parsePolicy(JSON.stringify({ Statement: { Sid: 'x' } }))).toEqual([{ Sid: 'x' }]);
  });
});
