"""The deployer of docs/iam/deployer.json as the tests assume it: a role holding ONLY the combined policy, inline (8 KB:
more than a managed policy's 6,144 characters, within a role's 10,240), assumed by an administrator as AWX or a CI job
would assume a deployer role; the runs get its session's credentials through atelier_aws. Shared by the worker's clean
deploy of the local stack (tests/conftest.py clean_local_deploy, made as the deployer with IAM enforcement on) and
test_deployer_policy.py."""

import json

from tools import deployer_policy as tool

DECLARATION = tool.load()
PREFIX = "local-atelier"
POLICY = tool.policies(DECLARATION, PREFIX)["deployer"]
ACCOUNT = "123456789012"
# A name outside the stack's prefix: the policy lets the deployer write the stack's roles ({prefix}-*), not its own.
DEPLOYER = "atelier-deployer"


def session(emulator, admin, policy, name):
    """A role holding only policy (inline), assumed by the administrator: the runs' credentials, as extra vars."""
    iam = emulator.client_with(admin, "iam")
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "sts:AssumeRole"}
        ],
    }
    try:
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))
    except iam.exceptions.EntityAlreadyExistsException:
        pass
    iam.put_role_policy(RoleName=name, PolicyName="deployer", PolicyDocument=json.dumps(policy))
    credentials = emulator.client_with(admin, "sts").assume_role(
        RoleArn=f"arn:aws:iam::{ACCOUNT}:role/{name}", RoleSessionName="deploy", DurationSeconds=3600
    )["Credentials"]
    return {
        "atelier_aws": {
            "endpoint_url": emulator.url,
            "access_key": credentials["AccessKeyId"],
            "secret_key": credentials["SecretAccessKey"],
            "session_token": credentials["SessionToken"],
        }
    }
