"""S3 event notifications in the emulator (``s3_notification_lambda_permission``, ``s3_notification_overlaps``), seen
through boto3.

Each test fails against plain moto; check with ``ATELIER_EMULATOR_DISABLE_ADDITIONS=s3_notification_lambda_permission``
(or ``s3_notification_overlaps``) ``pytest tests/emulator/test_emulator_s3_notifications.py``.
"""

import io
import json
import zipfile

import pytest
from botocore.exceptions import ClientError

from tests.emulator.helpers import unique


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", "def handler(event, context):\n    return 1\n")
    return buffer.getvalue()


def _function(emulator) -> str:
    iam, lam = emulator.client("iam"), emulator.client("lambda")
    trust = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    role = iam.create_role(RoleName=unique("fn"), AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    return lam.create_function(FunctionName=unique("fn"), Runtime="python3.12", Handler="app.handler", Role=role,
                               Code={"ZipFile": _zip()})["FunctionArn"]


def _bucket(emulator) -> str:
    name = unique("itest-notify").lower()
    emulator.client("s3").create_bucket(Bucket=name)
    return name


def _notification(arn, prefix="", suffix="", events=("s3:ObjectCreated:*",), key="Id"):
    entry = {key: f"{prefix}{suffix}" or "all", "LambdaFunctionArn": arn, "Events": list(events)}
    rules = [{"Name": k, "Value": v} for k, v in (("prefix", prefix), ("suffix", suffix)) if v]
    if rules:
        entry["Filter"] = {"Key": {"FilterRules": rules}}
    return entry


def _put(s3, bucket, *entries):
    s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={"LambdaFunctionConfigurations": list(entries)})


def test_a_function_that_does_not_let_s3_invoke_it_is_refused(emulator):
    """s3_notification_lambda_permission: no permission, or one for another bucket, is InvalidArgument; the
    permission for this bucket and account is accepted."""
    s3, lam = emulator.client("s3"), emulator.client("lambda")
    account = emulator.client("sts").get_caller_identity()["Account"]
    arn, bucket = _function(emulator), _bucket(emulator)
    with pytest.raises(ClientError) as refused:
        _put(s3, bucket, _notification(arn, "avatars/"))
    assert refused.value.response["Error"]["Code"] == "InvalidArgument"
    assert "Unable to validate the following destination configurations" in refused.value.response["Error"]["Message"]
    lam.add_permission(FunctionName=arn, StatementId="other", Action="lambda:InvokeFunction", Principal="s3.amazonaws.com",
                       SourceArn="arn:aws:s3:::another-bucket", SourceAccount=account)
    with pytest.raises(ClientError):
        _put(s3, bucket, _notification(arn, "avatars/"))
    assert "LambdaFunctionConfigurations" not in s3.get_bucket_notification_configuration(Bucket=bucket)
    lam.add_permission(FunctionName=arn, StatementId="this", Action="lambda:InvokeFunction", Principal="s3.amazonaws.com",
                       SourceArn=f"arn:aws:s3:::{bucket}", SourceAccount=account)
    _put(s3, bucket, _notification(arn, "avatars/"))
    stored = s3.get_bucket_notification_configuration(Bucket=bucket)["LambdaFunctionConfigurations"]
    assert [c["LambdaFunctionArn"] for c in stored] == [arn]


def test_overlapping_notifications_are_refused(emulator):
    """s3_notification_overlaps: two notifications sharing an event type with matching key filters are refused;
    distinct prefixes, or distinct event families, are accepted."""
    s3, lam = emulator.client("s3"), emulator.client("lambda")
    account = emulator.client("sts").get_caller_identity()["Account"]
    arn, bucket = _function(emulator), _bucket(emulator)
    lam.add_permission(FunctionName=arn, StatementId="s3", Action="lambda:InvokeFunction", Principal="s3.amazonaws.com",
                       SourceArn=f"arn:aws:s3:::{bucket}", SourceAccount=account)
    for first, second in ((_notification(arn, "avatars/"), _notification(arn, "avatars/big/", events=["s3:ObjectCreated:Put"])),
                          (_notification(arn, "avatars/"), _notification(arn, suffix=".jpg"))):
        with pytest.raises(ClientError) as refused:
            _put(s3, bucket, first, second)
        assert refused.value.response["Error"]["Code"] == "InvalidArgument"
        assert "overlapping" in refused.value.response["Error"]["Message"]
    _put(s3, bucket, _notification(arn, "avatars/"), _notification(arn, "banners/"),
         _notification(arn, "avatars/", events=["s3:ObjectRemoved:*"]) | {"Id": "removed"})
    assert len(s3.get_bucket_notification_configuration(Bucket=bucket)["LambdaFunctionConfigurations"]) == 3
