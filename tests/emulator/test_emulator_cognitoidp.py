"""Cognito user pool additions of the emulator, seen through boto3 (so every answer also parses with botocore's service
model).

Each test fails against plain moto; check with ``ATELIER_EMULATOR_DISABLE_ADDITIONS=<module> pytest
tests/emulator/test_emulator_cognitoidp.py`` (the module is named in the test's docstring).
"""

import uuid

import pytest
from botocore.exceptions import ClientError


def _pool(cognito, **settings):
    return cognito.create_user_pool(PoolName=f"emu-{uuid.uuid4().hex[:8]}", **settings)["UserPool"]["Id"]


def test_cognitoidp_deletion_protection_refuses_delete_user_pool(emulator):
    """cognitoidp_deletion_protection"""
    cognito = emulator.client("cognito-idp")
    pool_id = _pool(cognito, DeletionProtection="ACTIVE")

    with pytest.raises(ClientError) as refused:
        cognito.delete_user_pool(UserPoolId=pool_id)

    assert refused.value.response["Error"]["Code"] == "InvalidParameterException"
    assert "deletion protection is activated" in refused.value.response["Error"]["Message"]
    assert cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]["DeletionProtection"] == "ACTIVE"

    cognito.update_user_pool(UserPoolId=pool_id, DeletionProtection="INACTIVE")
    cognito.delete_user_pool(UserPoolId=pool_id)
    with pytest.raises(ClientError) as gone:
        cognito.describe_user_pool(UserPoolId=pool_id)
    assert gone.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_cognitoidp_update_user_pool_keeps_create_only_attributes_and_one_mfa_setting(emulator):
    """cognitoidp_update_user_pool"""
    cognito = emulator.client("cognito-idp")
    pool_id = _pool(cognito, UsernameAttributes=["email"], AutoVerifiedAttributes=["email"],
                    UsernameConfiguration={"CaseSensitive": False})
    cognito.set_user_pool_mfa_config(
        UserPoolId=pool_id, MfaConfiguration="OPTIONAL", SoftwareTokenMfaConfiguration={"Enabled": True}
    )
    assert cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]["MfaConfiguration"] == "OPTIONAL"

    # An update that leaves settings out resets them (AutoVerifiedAttributes), not the create-only ones.
    cognito.update_user_pool(UserPoolId=pool_id, MfaConfiguration="OPTIONAL")
    pool = cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert pool["UsernameAttributes"] == ["email"]
    assert pool["UsernameConfiguration"] == {"CaseSensitive": False}
    assert "AutoVerifiedAttributes" not in pool

    cognito.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="OFF")
    assert cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]["MfaConfiguration"] == "OFF"
    cognito.update_user_pool(UserPoolId=pool_id, MfaConfiguration="OPTIONAL")
    assert cognito.get_user_pool_mfa_config(UserPoolId=pool_id)["MfaConfiguration"] == "OPTIONAL"


def test_cognitoidp_update_user_pool_client_resets_what_it_leaves_out(emulator):
    """cognitoidp_update_user_pool_client"""
    cognito = emulator.client("cognito-idp")
    pool_id = _pool(cognito)
    client_id = cognito.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web", ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        PreventUserExistenceErrors="ENABLED", RefreshTokenValidity=10,
    )["UserPoolClient"]["ClientId"]

    cognito.update_user_pool_client(UserPoolId=pool_id, ClientId=client_id, CallbackURLs=["https://a.example.com/"])

    client = cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)["UserPoolClient"]
    assert client["ClientName"] == "web" and client["CallbackURLs"] == ["https://a.example.com/"]
    assert "ExplicitAuthFlows" not in client and "PreventUserExistenceErrors" not in client
    assert client["RefreshTokenValidity"] == 30
