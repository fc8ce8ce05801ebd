"""RotateSecret with a rotation function in the emulator (``secretsmanager_rotation_lambda``), seen through boto3.

Each test fails against plain moto (which invokes the function through docker and empties the secret); check with
``ATELIER_EMULATOR_DISABLE_ADDITIONS=secretsmanager_rotation_lambda pytest tests/emulator/test_emulator_secretsmanager_rotation.py``.
"""

import datetime
import io
import json
import zipfile

import pytest
from botocore.exceptions import ClientError

from tests.emulator.helpers import unique


def _function(emulator) -> str:
    iam, lam = emulator.client("iam"), emulator.client("lambda")
    trust = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    role = iam.create_role(RoleName=unique("rot"), AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as archive:
        archive.writestr("index.py", "def lambda_handler(event, context):\n    raise RuntimeError('never run')\n")
    return lam.create_function(FunctionName=unique("rot"), Runtime="python3.12", Handler="index.lambda_handler", Role=role,
                               Code={"ZipFile": code.getvalue()})["FunctionArn"]


def _secret(emulator):
    secrets = emulator.client("secretsmanager")
    created = secrets.create_secret(Name=unique("db-credentials"), SecretString=json.dumps({"password": "before"}))
    return secrets, created["ARN"], created["VersionId"]


def test_rotation_is_recorded_and_the_secret_keeps_its_value(emulator):
    """A function Secrets Manager may invoke for this secret: rotation on, its rules and next date; the value and
    its versions stay as they are until the function runs (the emulator never runs it)."""
    secrets, arn, version = _secret(emulator)
    function = _function(emulator)
    account = emulator.client("sts").get_caller_identity()["Account"]
    emulator.client("lambda").add_permission(FunctionName=function, StatementId="secretsmanager", Action="lambda:InvokeFunction",
                                             Principal="secretsmanager.amazonaws.com", SourceArn=arn, SourceAccount=account)
    answer = secrets.rotate_secret(SecretId=arn, RotationLambdaARN=function, RotationRules={"AutomaticallyAfterDays": 30})
    assert answer["ARN"] == arn and answer["VersionId"] != version
    described = secrets.describe_secret(SecretId=arn)
    assert (described["RotationEnabled"], described["RotationLambdaARN"], described["RotationRules"]) == (
        True, function, {"AutomaticallyAfterDays": 30})
    days = (described["NextRotationDate"] - datetime.datetime.now(datetime.timezone.utc)).days
    assert 29 <= days <= 30
    assert "LastRotatedDate" not in described or described["LastRotatedDate"] is None
    assert described["VersionIdsToStages"] == {version: ["AWSCURRENT"]}
    assert json.loads(secrets.get_secret_value(SecretId=arn)["SecretString"]) == {"password": "before"}
    # Cancelled and asked again (a rotation never started is not "in progress").
    secrets.cancel_rotate_secret(SecretId=arn)
    assert secrets.describe_secret(SecretId=arn)["RotationEnabled"] is False
    secrets.rotate_secret(SecretId=arn, RotationLambdaARN=function, RotationRules={"AutomaticallyAfterDays": 7})
    assert secrets.describe_secret(SecretId=arn)["RotationRules"] == {"AutomaticallyAfterDays": 7}


@pytest.mark.parametrize("permission", ["none", "another-secret"])
def test_a_function_secrets_manager_cannot_invoke_is_refused(emulator, permission):
    secrets, arn, version = _secret(emulator)
    function = _function(emulator)
    if permission == "another-secret":
        emulator.client("lambda").add_permission(
            FunctionName=function, StatementId="secretsmanager", Action="lambda:InvokeFunction",
            Principal="secretsmanager.amazonaws.com", SourceArn=arn.rsplit(":", 1)[0] + ":another-AbCdEf")
    with pytest.raises(ClientError) as refused:
        secrets.rotate_secret(SecretId=arn, RotationLambdaARN=function, RotationRules={"AutomaticallyAfterDays": 30})
    assert refused.value.response["Error"]["Code"] == "AccessDeniedException"
    assert "Secrets Manager cannot invoke the specified Lambda function" in refused.value.response["Error"]["Message"]
    described = secrets.describe_secret(SecretId=arn)
    assert not described.get("RotationEnabled")
    assert described["VersionIdsToStages"] == {version: ["AWSCURRENT"]}
