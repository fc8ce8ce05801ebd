"""S3 bucket policies with conditions in the emulator (``s3_bucket_policy_conditions``), seen through boto3.

Each test fails against plain moto; check with ``ATELIER_EMULATOR_DISABLE_ADDITIONS=s3_bucket_policy_conditions
pytest tests/emulator/test_emulator_s3_bucket_policy.py``.
"""

import json
import uuid

import pytest
from botocore.exceptions import ClientError


def _bucket(s3, statements) -> str:
    name = f"itest-policy-{uuid.uuid4().hex[:8]}"
    s3.create_bucket(Bucket=name)
    s3.put_bucket_policy(Bucket=name, Policy=json.dumps({"Version": "2012-10-17", "Statement": statements}))
    return name


def _tls_only(name: str) -> dict:
    return {"Sid": "TLSOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
            "Resource": [f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}}


def test_a_tls_only_bucket_policy_lets_objects_be_written_read_and_deleted(emulator):
    s3 = emulator.client("s3")
    name = f"itest-tls-{uuid.uuid4().hex[:8]}"
    s3.create_bucket(Bucket=name)
    s3.put_bucket_policy(Bucket=name, Policy=json.dumps({"Version": "2012-10-17", "Statement": [_tls_only(name)]}))
    s3.put_object(Bucket=name, Key="index.html", Body=b"hi")
    assert s3.get_object(Bucket=name, Key="index.html")["Body"].read() == b"hi"
    s3.delete_object(Bucket=name, Key="index.html")


def test_an_unconditional_deny_still_refuses(emulator):
    s3 = emulator.client("s3")
    name = f"itest-deny-{uuid.uuid4().hex[:8]}"
    s3.create_bucket(Bucket=name)
    deny = {"Effect": "Deny", "Principal": "*", "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{name}/*"}
    s3.put_bucket_policy(Bucket=name, Policy=json.dumps({"Version": "2012-10-17", "Statement": [deny]}))
    with pytest.raises(ClientError) as raised:
        s3.put_object(Bucket=name, Key="x", Body=b"x")
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
