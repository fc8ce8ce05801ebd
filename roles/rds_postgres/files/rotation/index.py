# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Single-user rotation of the rds_postgres role's master credentials secret (Secrets Manager's four steps).

The secret holds {username, password, engine, host, port, dbname}; only ``password`` changes. The function needs
boto3 only (the Lambda runtime has no PostgreSQL driver), so it runs outside the VPC and never opens a SQL session:

* createSecret: AWSPENDING = the current value with a new random password (GetRandomPassword, 32 letters and digits);
* setSecret: RDS sets the master password (ModifyDBInstance MasterUserPassword, ApplyImmediately) of the instance
  named by DB_INSTANCE_IDENTIFIER;
* testSecret: the instance is available again with no master password change pending (RDS's word that it applied
  it; not a login);
* finishSecret: AWSCURRENT moves to the new version.

Each step is idempotent: Secrets Manager may call a step again after a failure.
"""

import json
import os
import time

import boto3

PASSWORD_LENGTH = 32
# Seconds testSecret keeps polling the instance, at most (the function's own remaining time bounds it too).
POLL_SECONDS = 10
SAFETY_MS = 15000


def _clients():
    return boto3.client("secretsmanager"), boto3.client("rds")


def lambda_handler(event, context):
    """Entry point: {SecretId, ClientRequestToken, Step} from Secrets Manager."""
    arn, token, step = event["SecretId"], event["ClientRequestToken"], event["Step"]
    secrets, rds = _clients()
    identifier = os.environ["DB_INSTANCE_IDENTIFIER"]
    meta = secrets.describe_secret(SecretId=arn)
    if not meta.get("RotationEnabled"):
        raise ValueError(f"Secret {arn} is not enabled for rotation")
    stages = meta.get("VersionIdsToStages", {})
    if token not in stages:
        raise ValueError(f"Secret version {token} has no stage for rotation of secret {arn}")
    if "AWSCURRENT" in stages[token]:
        return  # already rotated
    if "AWSPENDING" not in stages[token]:
        raise ValueError(f"Secret version {token} is not set as AWSPENDING for rotation of secret {arn}")
    if step == "createSecret":
        create_secret(secrets, arn, token)
    elif step == "setSecret":
        set_secret(secrets, rds, arn, token, identifier)
    elif step == "testSecret":
        test_secret(rds, identifier, context)
    elif step == "finishSecret":
        finish_secret(secrets, arn, token, stages)
    else:
        raise ValueError(f"Invalid step parameter {step}")


def _value(secrets, arn, **version):
    return json.loads(secrets.get_secret_value(SecretId=arn, **version)["SecretString"])


def create_secret(secrets, arn, token):
    """AWSPENDING (version token) = AWSCURRENT with a new password, unless that version has a value already."""
    try:
        _value(secrets, arn, VersionId=token, VersionStage="AWSPENDING")
        return
    except secrets.exceptions.ResourceNotFoundException:
        pass
    current = _value(secrets, arn, VersionStage="AWSCURRENT")
    password = secrets.get_random_password(PasswordLength=PASSWORD_LENGTH, ExcludePunctuation=True)["RandomPassword"]
    secrets.put_secret_value(SecretId=arn, ClientRequestToken=token, SecretString=json.dumps({**current, "password": password}),
                             VersionStages=["AWSPENDING"])


def set_secret(secrets, rds, arn, token, identifier):
    """The instance's master password = the pending one (sending it again is harmless)."""
    pending = _value(secrets, arn, VersionId=token, VersionStage="AWSPENDING")
    rds.modify_db_instance(DBInstanceIdentifier=identifier, MasterUserPassword=pending["password"], ApplyImmediately=True)


def _settled(instance):
    return instance.get("DBInstanceStatus") == "available" and "MasterUserPassword" not in (instance.get("PendingModifiedValues") or {})


def test_secret(rds, identifier, context):
    """Waits (within the function's time) for the instance to be available with no master password change pending."""
    while True:
        (instance,) = rds.describe_db_instances(DBInstanceIdentifier=identifier)["DBInstances"]
        if _settled(instance):
            return
        remaining = context.get_remaining_time_in_millis() if context is not None else 0
        if remaining < SAFETY_MS + POLL_SECONDS * 1000:
            raise RuntimeError(f"DB instance {identifier} is {instance.get('DBInstanceStatus')} with the master password change "
                               "not applied yet; Secrets Manager retries the rotation")
        time.sleep(POLL_SECONDS)


def finish_secret(secrets, arn, token, stages):
    """AWSCURRENT moves to the new version (AWS moves AWSPREVIOUS with it)."""
    current = next((version for version, labels in stages.items() if "AWSCURRENT" in labels), None)
    if current == token:
        return
    secrets.update_secret_version_stage(SecretId=arn, VersionStage="AWSCURRENT", MoveToVersionId=token, RemoveFromVersionId=current)
