"""Lambda additions of the emulator, seen through boto3.

Each test fails against plain moto; check with ``ATELIER_EMULATOR_DISABLE_ADDITIONS=lambda_execution_role_trust
pytest tests/emulator/test_emulator_lambda.py``.
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


def _role(iam, service: str, condition: dict | None = None) -> str:
    statement = {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}
    if condition:
        statement["Condition"] = condition
    document = json.dumps({"Version": "2012-10-17", "Statement": [statement]})
    return iam.create_role(RoleName=unique("fn"), AssumeRolePolicyDocument=document)["Role"]["Arn"]


def _create(lam, role: str) -> dict:
    return lam.create_function(FunctionName=unique("fn"), Runtime="python3.12", Handler="app.handler", Role=role,
                               Code={"ZipFile": _zip()})


def test_a_role_lambda_may_not_assume_is_refused(emulator):
    """lambda_execution_role_trust: CreateFunction with a role trusted by EC2 only, or by Lambda of another account
    only, is InvalidParameterValueException; Lambda of this account (aws:SourceAccount) is accepted."""
    iam, lam = emulator.client("iam"), emulator.client("lambda")
    account = emulator.client("sts").get_caller_identity()["Account"]
    for role in (_role(iam, "ec2.amazonaws.com"),
                 _role(iam, "lambda.amazonaws.com", {"StringEquals": {"aws:SourceAccount": "999999999999"}})):
        with pytest.raises(ClientError) as refused:
            _create(lam, role)
        assert refused.value.response["Error"]["Code"] == "InvalidParameterValueException"
        assert "cannot be assumed by Lambda" in refused.value.response["Error"]["Message"]
    good = _role(iam, "lambda.amazonaws.com", {"StringEquals": {"aws:SourceAccount": account}})
    created = _create(lam, good)
    assert created["Role"] == good


def test_updating_to_a_role_lambda_may_not_assume_is_refused(emulator):
    """lambda_execution_role_trust: UpdateFunctionConfiguration to an EC2 role is refused and keeps the old role."""
    iam, lam = emulator.client("iam"), emulator.client("lambda")
    good = _role(iam, "lambda.amazonaws.com")
    name = _create(lam, good)["FunctionName"]
    with pytest.raises(ClientError) as refused:
        lam.update_function_configuration(FunctionName=name, Role=_role(iam, "ec2.amazonaws.com"))
    assert refused.value.response["Error"]["Code"] == "InvalidParameterValueException"
    assert lam.get_function_configuration(FunctionName=name)["Role"] == good
