"""Lambda functions through boto3 against the emulator (run by __tests__/emulator-boto3-functions.test.ts).

botocore's own parsers, exception classes, paginators and waiters (the V2 waiters where this botocore has them).
Prints one JSON object: case name -> {"ok": value} or {"error": {...}} as boto3 reports it.
"""
import io
import json
import os
import zipfile

import boto3
import botocore
from botocore.config import Config

ACCOUNT = '123456789012'
ROLE = f'arn:aws:iam::{ACCOUNT}:role/boto3'
results = {}


def record(name, fn):
    try:
        results[name] = {'ok': fn()}
    except botocore.exceptions.ClientError as e:
        meta = e.response['ResponseMetadata']
        results[name] = {'error': {
            'Code': e.response['Error'].get('Code'),
            'Message': e.response['Error'].get('Message'),
            'status': meta['HTTPStatusCode'],
            'class': type(e).__name__,
        }}
    except botocore.exceptions.WaiterError as e:
        results[name] = {'waiter': str(e)}


# Passed explicitly: botocore before 1.31 (Debian's python3-boto3) ignores AWS_ENDPOINT_URL*.
ENDPOINT = os.environ['AWS_ENDPOINT_URL']
lam = boto3.client('lambda', region_name='eu-west-1', endpoint_url=ENDPOINT,
                   config=Config(retries={'max_attempts': 1}))


def zipped(name, text):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, 'w') as z:
        z.writestr(name, text)
    return buf.getvalue()


CODE = zipped('index.py', 'def handler(event, context):\n    return event\n')
layer = lam.publish_layer_version(LayerName='boto3-lib', Content={'ZipFile': zipped('python/lib.py', 'X = 1\n')})


def create(name, **extra):
    return lam.create_function(FunctionName=name, Role=ROLE, Runtime='python3.13', Handler='index.handler',
                               Code={'ZipFile': CODE}, **extra)


def waiter(name, function_name, fallback):
    """The V2 waiter (1 s between polls) where botocore has it, else the old one."""
    names = lam.waiter_names
    chosen = name if name in names else fallback
    lam.get_waiter(chosen).wait(FunctionName=function_name, WaiterConfig={'Delay': 1, 'MaxAttempts': 20})
    return chosen in names


created = create('boto3-fn', Layers=[layer['LayerVersionArn']], Tags={'lambda-layer-release:boto3-lib': '1'})
record('create answers Pending', lambda: [created['State'], created.get('LastUpdateStatus')])
record('an update while Pending', lambda: lam.update_function_configuration(FunctionName='boto3-fn', Timeout=5))
record('the active waiter', lambda: waiter('function_active_v2', 'boto3-fn', 'function_active'))
config = lam.get_function(FunctionName=f'{ACCOUNT}:function:boto3-fn')['Configuration']
record('get by partial ARN', lambda: [config['State'], config['LastUpdateStatus'], config['Layers'][0]['Arn']])
updated = lam.update_function_configuration(FunctionName='boto3-fn', Layers=[], RevisionId=config['RevisionId'])
record('update answers InProgress, no layers', lambda: [updated['LastUpdateStatus'], updated.get('Layers')])
record('a stale RevisionId', lambda: lam.update_function_configuration(
    FunctionName='boto3-fn', Timeout=6, RevisionId=config['RevisionId']))
record('an update while one runs', lambda: lam.update_function_configuration(FunctionName='boto3-fn', Timeout=7))
record('the updated waiter', lambda: waiter('function_updated_v2', 'boto3-fn', 'function_updated'))
record('a layer version that does not exist', lambda: lam.update_function_configuration(
    FunctionName='boto3-fn', Layers=[layer['LayerVersionArn'][:-1] + '9']))
record('no such function', lambda: lam.get_function_configuration(FunctionName='boto3-none'))
record('tags', lambda: lam.get_function(FunctionName='boto3-fn')['Tags'])

for i in range(5):
    create(f'boto3-page-{i}')
pages = lam.get_paginator('list_functions').paginate(PaginationConfig={'PageSize': 2})
record('paginator pages', lambda: [[f['FunctionName'] for f in p['Functions']] for p in pages])

print(json.dumps(results, default=str))
