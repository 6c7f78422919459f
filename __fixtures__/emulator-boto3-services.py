"""STS, EC2, SSM and S3 through boto3 against the emulator (run by __tests__/emulator-boto3-services.test.ts).

Prints one JSON object: case name -> {"ok": value} or {"error": {...}} as boto3 reports it.
"""
import base64
import io
import json
import os
import time

import boto3
import botocore
from botocore.config import Config

OTHER = '210987654321'
ONCE = Config(retries={'max_attempts': 1})
PATH_STYLE = Config(retries={'max_attempts': 1}, s3={'addressing_style': 'path'})
results = {}


def client(service, **kwargs):
    # The endpoint is passed explicitly: botocore before 1.31 (Debian's python3-boto3) ignores AWS_ENDPOINT_URL*.
    return boto3.client(service, endpoint_url=os.environ['AWS_ENDPOINT_URL'], **kwargs)


def record(name, fn):
    try:
        results[name] = {'ok': fn()}
    except botocore.exceptions.ClientError as e:
        results[name] = {'error': {
            'Code': e.response['Error'].get('Code'),
            'Message': e.response['Error'].get('Message'),
            'status': e.response['ResponseMetadata']['HTTPStatusCode'],
        }}


def jwt(claims):
    part = lambda value: base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip('=')
    return f"{part({'alg': 'RS256', 'typ': 'JWT'})}.{part(claims)}.signature"


# STS
sts = client('sts', region_name='us-east-1', config=ONCE)
role = f'arn:aws:iam::{OTHER}:role/deployer'
record('caller', lambda: {k: v for k, v in sts.get_caller_identity().items() if k != 'ResponseMetadata'})
creds = sts.assume_role(RoleArn=role, RoleSessionName='boto3-session', DurationSeconds=900)
record('assumed user', lambda: creds['AssumedRoleUser']['Arn'])
record('expiration in 15 minutes', lambda: round((creds['Credentials']['Expiration'].timestamp() - time.time()) / 60))
as_role = client('sts', region_name='eu-west-1', config=ONCE, aws_access_key_id=creds['Credentials']['AccessKeyId'],
                       aws_secret_access_key=creds['Credentials']['SecretAccessKey'],
                       aws_session_token=creds['Credentials']['SessionToken'])
record('caller with assumed keys', lambda: [as_role.get_caller_identity()[k] for k in ['Account', 'Arn']])
github = {'aud': 'sts.amazonaws.com', 'sub': 'repo:octo-org/octo-layer:ref:refs/tags/v1.0.0',
          'iss': 'https://token.actions.githubusercontent.com'}
web = lambda token: sts.assume_role_with_web_identity(RoleArn=role, RoleSessionName='gha', WebIdentityToken=token)
record('web identity', lambda: {k: web(jwt(github))[k] for k in ['SubjectFromWebIdentityToken', 'Audience', 'Provider']})
record('web identity, not a JWT', lambda: web('not-a-jwt-at-all'))
record('web identity, expired', lambda: web(jwt({**github, 'exp': int(time.time()) - 60})))
record('STS in a region not enabled', lambda: client('sts', region_name='ap-east-1', config=ONCE).get_caller_identity())
record('duration out of range', lambda: sts.assume_role(RoleArn=role, RoleSessionName='s1', DurationSeconds=43201))

# EC2 DescribeRegions
ec2 = client('ec2', region_name='us-east-1', config=ONCE)
names = lambda answer: [r['RegionName'] for r in answer['Regions']]
record('enabled regions', lambda: len(ec2.describe_regions()['Regions']))
record('all regions', lambda: {r['RegionName']: r['OptInStatus'] for r in ec2.describe_regions(AllRegions=True)['Regions']})
record('endpoint', lambda: ec2.describe_regions(RegionNames=['eu-west-1'])['Regions'])
record('region names', lambda: names(ec2.describe_regions(RegionNames=['eu-west-1', 'ap-south-1'])))
record('opt-in-status filter', lambda: names(ec2.describe_regions(
    AllRegions=True, Filters=[{'Name': 'opt-in-status', 'Values': ['not-opted-in']}])))
record('region-name filter', lambda: names(ec2.describe_regions(Filters=[{'Name': 'region-name', 'Values': ['eu-north-1']}])))
record('an unknown filter', lambda: ec2.describe_regions(Filters=[{'Name': 'colour', 'Values': ['blue']}]))
record('a named region not enabled', lambda: ec2.describe_regions(RegionNames=['ap-east-1'])['Regions'])
record('DryRun', lambda: ec2.describe_regions(DryRun=True))
record('an unknown region name', lambda: ec2.describe_regions(RegionNames=['xx-nowhere-1']))
record('EC2 in a region not enabled', lambda: client('ec2', region_name='ap-east-1', config=ONCE).describe_regions())

# SSM parameters
ssm = client('ssm', region_name='eu-west-1', config=ONCE)
put = lambda value, **extra: ssm.put_parameter(Name='/llr/demo/latest', Value=value, Type='String', **extra)['Version']
record('put', lambda: put('arn:1'))
record('put again', lambda: put('arn:2'))
record('overwrite', lambda: put('arn:2', Overwrite=True))
record('get', lambda: {k: v for k, v in ssm.get_parameter(Name='/llr/demo/latest')['Parameter'].items() if k != 'LastModifiedDate'})
record('get missing', lambda: ssm.get_parameter(Name='/llr/none'))
for i in range(12):
    ssm.put_parameter(Name=f'/llr/tree/{"deep/" if i % 3 == 0 else ""}p{i:02d}', Value=str(i), Type='String')
pager = ssm.get_paginator('get_parameters_by_path')
record('by path, one level', lambda: len(pager.paginate(Path='/llr/tree').build_full_result()['Parameters']))
record('by path, recursive pages of 5', lambda: [len(p['Parameters']) for p in pager.paginate(
    Path='/llr/tree', Recursive=True, PaginationConfig={'PageSize': 5})])
record('MaxResults 11', lambda: ssm.get_parameters_by_path(Path='/llr', MaxResults=11))
record('lambda regions', lambda: len(pager.paginate(
    Path='/aws/service/global-infrastructure/services/lambda/regions').build_full_result()['Parameters']))
record('SSM in a denied region', lambda: client('ssm', region_name='eu-south-2', config=ONCE).get_parameter(Name='/llr/x'))

# S3, path-style
eu = client('s3', region_name='eu-west-1', config=PATH_STYLE)
use1 = client('s3', region_name='us-east-1', config=PATH_STYLE)
bucket = lambda client, name, **cfg: client.create_bucket(Bucket=name, **cfg)['ResponseMetadata']['HTTPStatusCode']
eu_cfg = {'CreateBucketConfiguration': {'LocationConstraint': 'eu-west-1'}}
record('create', lambda: bucket(eu, 'llr-eu', **eu_cfg))
record('create twice', lambda: bucket(eu, 'llr-eu', **eu_cfg))
record('create twice in us-east-1', lambda: [bucket(use1, 'llr-use1'), bucket(use1, 'llr-use1')])
eu.put_object(Bucket='llr-eu', Key='layers/a.zip', Body=b'zip bytes', ChecksumAlgorithm='SHA256')
record('head', lambda: {k: eu.head_object(Bucket='llr-eu', Key='layers/a.zip')[k] for k in ['ContentLength', 'ETag']})
record('head a missing key', lambda: eu.head_object(Bucket='llr-eu', Key='layers/none.zip'))
record('head a missing bucket', lambda: eu.head_object(Bucket='llr-none', Key='k'))
record('get a missing key', lambda: eu.get_object(Bucket='llr-eu', Key='layers/none.zip'))
record('get from another region (boto3 follows the redirect)',
       lambda: use1.get_object(Bucket='llr-eu', Key='layers/a.zip')['Body'].read().decode())
record('bucket location', lambda: use1.get_bucket_location(Bucket='llr-eu')['LocationConstraint'])
record('checksum', lambda: eu.head_object(Bucket='llr-eu', Key='layers/a.zip', ChecksumMode='ENABLED')['ChecksumSHA256'])
record('upload_fileobj', lambda: eu.upload_fileobj(io.BytesIO(b'x' * 10), 'llr-eu', 'layers/u.zip') or
       eu.head_object(Bucket='llr-eu', Key='layers/u.zip')['ContentLength'])
record('delete a bucket with objects', lambda: eu.delete_bucket(Bucket='llr-eu'))

print(json.dumps(results, default=str))
