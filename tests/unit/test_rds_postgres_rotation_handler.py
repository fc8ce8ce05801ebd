# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The rds_postgres role's rotation function (roles/rds_postgres/files/rotation/index.py), run in-process against moto
(mock_aws) with a real RDS instance and the role's six-key secret: Secrets Manager's RotateSecret calls the four steps
(moto's Lambda invoke is routed to the handler, since the Lambda runtime needs docker), then the secret's AWSCURRENT
password is new, the other keys are kept, and RDS received the new password."""

import importlib.util
import io
import json
import os
import zipfile

import boto3
import pytest
from moto import mock_aws
from moto.awslambda_simple.models import LambdaSimpleBackend
from moto.rds.models import rds_backends

HANDLER = os.path.join(os.path.dirname(__file__), "..", "..", "roles", "rds_postgres", "files", "rotation", "index.py")
REGION = "us-east-1"
ACCOUNT = "123456789012"
IDENTIFIER = "prod-atelier-postgres"
SECRET = "prod-atelier-db-credentials"


def load_handler():
    spec = importlib.util.spec_from_file_location("rds_postgres_rotation_index", HANDLER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Context:
    """The part of Lambda's context object the handler reads."""

    def __init__(self, remaining_ms=60000):
        self.remaining_ms = remaining_ms

    def get_remaining_time_in_millis(self):
        return self.remaining_ms


@pytest.fixture
def aws(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("DB_INSTANCE_IDENTIFIER", IDENTIFIER)
    handler = load_handler()
    invoked = []

    def invoke(self, function_name, qualifier, body, headers, response_headers):  # pylint: disable=unused-argument
        event = json.loads(body)
        invoked.append(event["Step"])
        handler.lambda_handler(event, Context())
        return b"null"

    monkeypatch.setattr(LambdaSimpleBackend, "invoke", invoke)
    with mock_aws(config={"lambda": {"use_docker": False}}):
        rds = boto3.client("rds")
        rds.create_db_instance(DBInstanceIdentifier=IDENTIFIER, Engine="postgres", DBInstanceClass="db.t3.micro",
                               AllocatedStorage=20, MasterUsername="postgres", MasterUserPassword="a" * 32, DBName="goalsdb")
        host = rds.describe_db_instances()["DBInstances"][0]["Endpoint"]["Address"]
        value = {"username": "postgres", "password": "a" * 32, "engine": "postgres", "host": host, "port": 5432, "dbname": "goalsdb"}
        secrets = boto3.client("secretsmanager")
        secrets.create_secret(Name=SECRET, SecretString=json.dumps(value))
        role = boto3.client("iam").create_role(RoleName="rotation", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
        code = io.BytesIO()
        with zipfile.ZipFile(code, "w") as archive:
            archive.write(HANDLER, "index.py")
        function = boto3.client("lambda").create_function(
            FunctionName=f"{IDENTIFIER}-rotation", Runtime="python3.12", Role=role, Handler="index.lambda_handler",
            Code={"ZipFile": code.getvalue()})["FunctionArn"]
        yield {"handler": handler, "secrets": secrets, "rds": rds, "value": value, "function": function, "invoked": invoked}


def current(secrets):
    return json.loads(secrets.get_secret_value(SecretId=SECRET)["SecretString"])


def test_rotation_changes_the_password_keeps_the_other_keys_and_sets_it_on_the_instance(aws):
    secrets = aws["secrets"]
    before = secrets.describe_secret(SecretId=SECRET)["VersionIdsToStages"]
    token = secrets.rotate_secret(SecretId=SECRET, RotationLambdaARN=aws["function"],
                                  RotationRules={"AutomaticallyAfterDays": 30})["VersionId"]
    assert aws["invoked"] == ["createSecret", "setSecret", "testSecret", "finishSecret"]
    after = current(secrets)
    assert after["password"] != aws["value"]["password"]
    assert len(after["password"]) == 32 and after["password"].isalnum()
    assert {k: v for k, v in after.items() if k != "password"} == {k: v for k, v in aws["value"].items() if k != "password"}
    stages = secrets.describe_secret(SecretId=SECRET)["VersionIdsToStages"]
    assert "AWSCURRENT" in stages[token]
    (old,) = before
    assert "AWSPREVIOUS" in stages[old] and "AWSCURRENT" not in stages[old]
    # RDS received it: moto keeps (privately) the master password the last ModifyDBInstance gave.
    database = rds_backends[ACCOUNT][REGION].databases[IDENTIFIER]
    assert database._master_user_password == after["password"]  # pylint: disable=protected-access


def test_each_step_again_changes_nothing(aws):
    """Secrets Manager may call a step again after a failure: createSecret keeps the pending password, finishSecret on
    a version already current does nothing."""
    secrets, handler = aws["secrets"], aws["handler"]
    secrets.rotate_secret(SecretId=SECRET, RotationLambdaARN=aws["function"], RotationRules={"AutomaticallyAfterDays": 30})
    rotated = current(secrets)
    token = [v for v, s in secrets.describe_secret(SecretId=SECRET)["VersionIdsToStages"].items() if "AWSCURRENT" in s][0]
    for step in ("createSecret", "finishSecret"):
        handler.lambda_handler({"SecretId": SECRET, "ClientRequestToken": token, "Step": step}, Context())
    assert current(secrets) == rotated
    event = {"SecretId": SECRET, "ClientRequestToken": "not-a-version-of-the-secret", "Step": "createSecret"}
    with pytest.raises(ValueError, match="has no stage for rotation"):
        handler.lambda_handler(event, Context())


def test_a_secret_without_rotation_is_refused(aws):
    secrets, handler = aws["secrets"], aws["handler"]
    (version,) = secrets.describe_secret(SecretId=SECRET)["VersionIdsToStages"]
    with pytest.raises(ValueError, match="is not enabled for rotation"):
        handler.lambda_handler({"SecretId": SECRET, "ClientRequestToken": version, "Step": "createSecret"}, Context())
    assert current(secrets) == aws["value"]


def test_test_step_waits_for_the_password_change_then_gives_up_within_the_function_time(aws, monkeypatch):
    handler, rds = aws["handler"], aws["rds"]
    assert handler._settled({"DBInstanceStatus": "available", "PendingModifiedValues": {}})
    assert not handler._settled({"DBInstanceStatus": "resetting-master-credentials"})
    assert not handler._settled({"DBInstanceStatus": "available", "PendingModifiedValues": {"MasterUserPassword": "****"}})
    handler.test_secret(rds, IDENTIFIER, Context())  # moto's instance is available
    rds_backends[ACCOUNT][REGION].databases[IDENTIFIER].status = "modifying"
    monkeypatch.setattr(handler.time, "sleep", lambda seconds: None)
    with pytest.raises(RuntimeError, match="is modifying with the master password change not applied yet"):
        handler.test_secret(rds, IDENTIFIER, Context(remaining_ms=20000))
