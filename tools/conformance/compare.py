#!/usr/bin/env python3
"""Sends the same requests to two DynamoDB endpoints (Flywheel and an oracle such as DynamoDB Local)
and prints where their answers differ: the error code, the message, or the result's shape.

    tools/conformance/compare.py http://127.0.0.1:8000 http://127.0.0.1:8001

Run DynamoDB Local (which listens on every interface) and both this script and Flywheel inside a
private network namespace; tools/conformance/run.sh does all of it. Each case creates what it needs in
a fresh table; the tables are deleted at the end. Known, deliberate differences (DynamoDB Local's own
wording where real DynamoDB differs) are listed in KNOWN so they do not hide new ones.
"""
import json
import sys
import uuid

import boto3
import botocore.exceptions

KNOWN = {
    # DynamoDB Local words these differently from DynamoDB itself; Flywheel follows DynamoDB, whose
    # wording is quoted from real responses in public issues and in test suites run against DynamoDB.
    "Cannot do operations on a non-existent table",
    "Cannot create preexisting table",
    "One of the required keys was not given a value",
    "The number of conditions on the keys is invalid",
    "DynamoDB only supports precision up to 38 digits",
    "A value provided cannot be converted into a number",
    "Return values set to invalid value",
    "If segment is specified, total segment must also be specified",
    "The number of attributes in key schema must match the number of attributes defined in attribute definitions.",
    "No provisioned throughput specified for the table",
    "One or more parameter values were invalid: Type mismatch for key",
    "Invalid table/index name.  Table/index names must be between 3 and 255 characters long, and may contain only the"
    " characters a-z, A-Z, 0-9, '_', '-', and '.'",
}


def client(endpoint):
    return boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="AKIDCOMPARE", aws_secret_access_key="compare",
                        config=botocore.config.Config(retries={"max_attempts": 1}))


def outcome(call):
    try:
        result = call()
        result.pop("ResponseMetadata", None)
        return ("ok", json.dumps(result, sort_keys=True, default=str)[:300])
    except botocore.exceptions.ClientError as e:
        return (e.response["Error"]["Code"], e.response["Error"].get("Message", ""))
    except botocore.exceptions.ParamValidationError as e:
        return ("client-side", str(e))


def cases(table):
    key = {"pk": {"S": "a"}, "sk": {"N": "1"}}
    return {
        "put ok": lambda c: c.put_item(TableName=table, Item={**key, "v": {"N": "1.50"}}),
        "get normalized number": lambda c: c.get_item(TableName=table, Key=key),
        "missing key attribute": lambda c: c.put_item(TableName=table, Item={"pk": {"S": "a"}}),
        "key type mismatch": lambda c: c.put_item(TableName=table, Item={"pk": {"N": "1"}, "sk": {"N": "1"}}),
        "key not matching schema": lambda c: c.get_item(TableName=table, Key={"pk": {"S": "a"}}),
        "empty string key": lambda c: c.put_item(TableName=table, Item={"pk": {"S": ""}, "sk": {"N": "1"}}),
        "empty string set": lambda c: c.put_item(TableName=table, Item={**key, "s": {"SS": []}}),
        "duplicate string set": lambda c: c.put_item(TableName=table, Item={**key, "s": {"SS": ["x", "x"]}}),
        "duplicate number set": lambda c: c.put_item(TableName=table, Item={**key, "s": {"NS": ["1", "1.0"]}}),
        "39 digits": lambda c: c.put_item(TableName=table, Item={**key, "n": {"N": "1" * 39}}),
        "number overflow": lambda c: c.put_item(TableName=table, Item={**key, "n": {"N": "1E126"}}),
        "not a number": lambda c: c.put_item(TableName=table, Item={**key, "n": {"N": "abc"}}),
        "return values not allowed": lambda c: c.put_item(TableName=table, Item=key, ReturnValues="ALL_NEW"),
        "condition failed": lambda c: c.put_item(TableName=table, Item=key, ConditionExpression="attribute_not_exists(pk)"),
        "reserved word": lambda c: c.update_item(TableName=table, Key=key, UpdateExpression="SET status = :v",
                                                 ExpressionAttributeValues={":v": {"S": "x"}}),
        "syntax error": lambda c: c.update_item(TableName=table, Key=key, UpdateExpression="SET a = ",
                                                ExpressionAttributeValues={":v": {"S": "x"}}),
        "unused value": lambda c: c.update_item(TableName=table, Key=key, UpdateExpression="SET a = :v",
                                                ExpressionAttributeValues={":v": {"S": "x"}, ":w": {"S": "y"}}),
        "undefined value": lambda c: c.update_item(TableName=table, Key=key, UpdateExpression="SET a = :v"),
        "update key": lambda c: c.update_item(TableName=table, Key=key, UpdateExpression="SET pk = :v",
                                              ExpressionAttributeValues={":v": {"S": "x"}}),
        "mixed legacy and expression": lambda c: c.update_item(
            TableName=table, Key=key, UpdateExpression="SET a = :v", ExpressionAttributeValues={":v": {"S": "x"}},
            AttributeUpdates={"b": {"Value": {"S": "y"}}}),
        "overlapping paths": lambda c: c.update_item(TableName=table, Key=key, UpdateExpression="SET a = :v, a.b = :v",
                                                     ExpressionAttributeValues={":v": {"S": "x"}}),
        "legacy ADD to string": lambda c: c.update_item(TableName=table, Key=key,
                                                        AttributeUpdates={"x": {"Action": "ADD", "Value": {"S": "y"}}}),
        "query without key condition": lambda c: c.query(TableName=table),
        "query OR": lambda c: c.query(TableName=table, KeyConditionExpression="pk = :p OR sk = :s",
                                      ExpressionAttributeValues={":p": {"S": "a"}, ":s": {"N": "1"}}),
        "query filter on key": lambda c: c.query(TableName=table, KeyConditionExpression="pk = :p",
                                                 FilterExpression="sk > :s",
                                                 ExpressionAttributeValues={":p": {"S": "a"}, ":s": {"N": "1"}}),
        "scan segment without total": lambda c: c.scan(TableName=table, Segment=1),
        "scan segment too big": lambda c: c.scan(TableName=table, Segment=2, TotalSegments=2),
        "batch write duplicates": lambda c: c.batch_write_item(RequestItems={table: [
            {"PutRequest": {"Item": key}}, {"PutRequest": {"Item": key}}]}),
        "batch get duplicates": lambda c: c.batch_get_item(RequestItems={table: {"Keys": [key, key]}}),
        "describe missing table": lambda c: c.describe_table(TableName="no-such-table"),
        "get from missing table": lambda c: c.get_item(TableName="no-such-table", Key=key),
        "create existing table": lambda c: c.create_table(
            TableName=table, BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}]),
        "extra attribute definition": lambda c: c.create_table(
            TableName=table + "-x", BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                  {"AttributeName": "x", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}]),
        "provisioned without throughput": lambda c: c.create_table(
            TableName=table + "-p", AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}]),
        "bad table name": lambda c: c.describe_table(TableName="abc!"),
        "list tables limit 0": lambda c: c.list_tables(Limit=0),
    }


def main():
    a, b = client(sys.argv[1]), client(sys.argv[2])
    table = "compare-" + uuid.uuid4().hex[:8]
    for c in (a, b):
        c.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                       AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                             {"AttributeName": "sk", "AttributeType": "N"}],
                       KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}])
    same = differ = 0
    try:
        for name, call in cases(table).items():
            ra, rb = outcome(lambda: call(a)), outcome(lambda: call(b))
            if ra == rb or rb[1] in KNOWN:
                same += 1
                continue
            differ += 1
            print(f"DIFF {name}\n  flywheel: {ra[0]}: {ra[1]}\n  oracle:   {rb[0]}: {rb[1]}")
    finally:
        for c in (a, b):
            for t in (table, table + "-x", table + "-p"):
                try:
                    c.delete_table(TableName=t)
                except botocore.exceptions.ClientError:
                    pass
    print(f"{same} same, {differ} different")


if __name__ == "__main__":
    main()
