# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""
The Cognito user pool calls of atelier.infra.cognito_user_pool (one boto3 call each, with amazon.aws' retry decorator
and an error handler turning botocore exceptions into AnsibleCognitoError), and what the module compares, without AWS:
the views of a pool and of an app client as described (``pool_view``, ``client_view``), the ones the options describe
(``desired_pool``, ``desired_client``) and the full requests UpdateUserPool / UpdateUserPoolClient need (AWS resets
every setting such a request leaves out to its default, so a request is what is there overlaid with what is wanted).
"""

from typing import Any
from typing import Dict
from typing import List
from typing import Optional

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.atelier.infra.plugins.module_utils.aws_retry import RETRY_CODES

DEFAULT_AUTH_FLOWS = ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"]
# What a client's token validity is counted in here (AWS' defaults without TokenValidityUnits: hours, hours, days).
UNITS = {"AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "days"}
DEFAULT_UNITS = {"AccessToken": "hours", "IdToken": "hours", "RefreshToken": "days"}
MINUTES = {"seconds": 1 / 60, "minutes": 1, "hours": 60, "days": 1440}
RECOVERY = {
    "verified_email": [{"Priority": 1, "Name": "verified_email"}],
    "verified_phone_number": [{"Priority": 1, "Name": "verified_phone_number"}],
    "admin_only": [{"Priority": 1, "Name": "admin_only"}],
}
# The pool settings this module owns; the rest of a pool (messages, Lambda triggers, e-mail configuration, ...) is sent
# back to UpdateUserPool as DescribeUserPool returns it.
POOL_KEYS = (
    "username_attributes", "auto_verified_attributes", "password_policy", "mfa", "software_token_mfa",
    "deletion_protection", "account_recovery", "tags",
)
CLIENT_KEYS = (
    "generate_secret", "explicit_auth_flows", "access_token_validity", "id_token_validity", "refresh_token_validity",
    "prevent_user_existence_errors", "callback_urls", "logout_urls",
)
# Read-only fields of DescribeUserPool / DescribeUserPoolClient that the update requests do not take.
POOL_READ_ONLY = ("Id", "Name", "Arn", "Status", "CreationDate", "LastModifiedDate", "EstimatedNumberOfUsers",
                  "SchemaAttributes", "UsernameAttributes", "AliasAttributes", "UsernameConfiguration", "Domain",
                  "CustomDomain", "SmsConfigurationFailure", "EmailConfigurationFailure")


class AnsibleCognitoError(AnsibleAWSError):
    pass


class CognitoErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleCognitoError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("ResourceNotFoundException")


def _retry():
    return AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)


# ---------------------------------------------------------------- calls


@CognitoErrorHandler.list_error_handler("list user pools", [])
@_retry()
def list_user_pools(client) -> List[Dict[str, Any]]:
    """Every user pool of the region (Id, Name, ...), paginated."""
    return client.get_paginator("list_user_pools").paginate(MaxResults=60).build_full_result().get("UserPools", [])


@CognitoErrorHandler.list_error_handler("describe the user pool", None)
@_retry()
def describe_user_pool(client, pool_id: str) -> Optional[Dict[str, Any]]:
    return client.describe_user_pool(UserPoolId=pool_id).get("UserPool")


@CognitoErrorHandler.list_error_handler("read the MFA configuration", {})
@_retry()
def get_mfa_config(client, pool_id: str) -> Dict[str, Any]:
    return client.get_user_pool_mfa_config(UserPoolId=pool_id)


@CognitoErrorHandler.common_error_handler("create the user pool")
@_retry()
def create_user_pool(client, request: Dict[str, Any]) -> Dict[str, Any]:
    return client.create_user_pool(**request)["UserPool"]


@CognitoErrorHandler.common_error_handler("update the user pool")
@_retry()
def update_user_pool(client, request: Dict[str, Any]) -> None:
    client.update_user_pool(**request)


@CognitoErrorHandler.common_error_handler("set the MFA configuration")
@_retry()
def set_mfa_config(client, pool_id: str, mfa: str, software_token: bool) -> None:
    client.set_user_pool_mfa_config(
        UserPoolId=pool_id, MfaConfiguration=mfa, SoftwareTokenMfaConfiguration={"Enabled": bool(software_token)}
    )


@CognitoErrorHandler.deletion_error_handler("delete the user pool")
@_retry()
def delete_user_pool(client, pool_id: str) -> bool:
    client.delete_user_pool(UserPoolId=pool_id)
    return True


@CognitoErrorHandler.list_error_handler("list the app clients", [])
@_retry()
def list_clients(client, pool_id: str) -> List[Dict[str, Any]]:
    paginator = client.get_paginator("list_user_pool_clients")
    return paginator.paginate(UserPoolId=pool_id, MaxResults=60).build_full_result().get("UserPoolClients", [])


@CognitoErrorHandler.list_error_handler("describe the app client", None)
@_retry()
def describe_client(client, pool_id: str, client_id: str) -> Optional[Dict[str, Any]]:
    return client.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id).get("UserPoolClient")


@CognitoErrorHandler.common_error_handler("create the app client")
@_retry()
def create_client(client, request: Dict[str, Any]) -> Dict[str, Any]:
    return client.create_user_pool_client(**request)["UserPoolClient"]


@CognitoErrorHandler.common_error_handler("update the app client")
@_retry()
def update_client(client, request: Dict[str, Any]) -> None:
    client.update_user_pool_client(**request)


# ---------------------------------------------------------------- views and requests


def issuer(region: str, pool_id: str) -> str:
    """The pool's token issuer (the ``iss`` claim a backend checks)."""
    return f"https://cognito-idp.{region}.amazonaws.com/{pool_id}"


def _password_policy(policy: Dict[str, Any]) -> Dict[str, Any]:
    return {
        "minimum_length": int(policy.get("MinimumLength", 8)),
        "require_uppercase": bool(policy.get("RequireUppercase", False)),
        "require_lowercase": bool(policy.get("RequireLowercase", False)),
        "require_numbers": bool(policy.get("RequireNumbers", False)),
        "require_symbols": bool(policy.get("RequireSymbols", False)),
        "temporary_password_validity_days": int(policy.get("TemporaryPasswordValidityDays", 7)),
    }


def _recovery(setting: Optional[Dict[str, Any]]) -> str:
    mechanisms = sorted((setting or {}).get("RecoveryMechanisms") or [], key=lambda m: m.get("Priority", 0))
    for name, wanted in RECOVERY.items():
        if [m.get("Name") for m in mechanisms] == [m["Name"] for m in wanted]:
            return name
    return ",".join(m.get("Name", "") for m in mechanisms) or "legacy"


def pool_view(pool: Optional[Dict[str, Any]], mfa_config: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    """The settings this module owns of a pool as DescribeUserPool (and GetUserPoolMfaConfig, when read) return it;
    {} for no pool."""
    if not pool:
        return {}
    mfa = pool.get("MfaConfiguration") or "OFF"
    token = ((mfa_config or {}).get("SoftwareTokenMfaConfiguration") or {}).get("Enabled", False)
    return {
        "id": pool["Id"],
        "name": pool.get("Name", ""),
        "arn": pool.get("Arn", ""),
        "username_attributes": sorted(pool.get("UsernameAttributes") or []),
        "auto_verified_attributes": sorted(pool.get("AutoVerifiedAttributes") or []),
        "password_policy": _password_policy((pool.get("Policies") or {}).get("PasswordPolicy") or {}),
        "mfa": mfa,
        "software_token_mfa": bool(token) if mfa != "OFF" else False,
        "deletion_protection": pool.get("DeletionProtection") == "ACTIVE",
        "account_recovery": _recovery(pool.get("AccountRecoverySetting")),
        "tags": dict(pool.get("UserPoolTags") or {}),
    }


def desired_pool(params: Dict[str, Any], before: Dict[str, Any]) -> Dict[str, Any]:
    """The pool's view as the module's options describe it (tags merged unless purge_tags)."""
    given = params.get("password_policy") or {}
    policy = dict(_password_policy({}), **{k: v for k, v in given.items() if v is not None})
    tags = dict(params.get("tags") or {}) if params.get("tags") is not None else dict(before.get("tags") or {})
    if params.get("tags") is not None and not params.get("purge_tags", True):
        tags = dict(before.get("tags") or {}, **tags)
    mfa = params.get("mfa") or "OFF"
    return {
        "id": before.get("id", ""),
        "name": params["name"],
        "arn": before.get("arn", ""),
        "username_attributes": sorted(params.get("username_attributes") or []),
        "auto_verified_attributes": sorted(params.get("auto_verified_attributes") or []),
        "password_policy": policy,
        "mfa": mfa,
        "software_token_mfa": mfa != "OFF",
        "deletion_protection": bool(params.get("deletion_protection")),
        "account_recovery": params.get("account_recovery") or "verified_email",
        "tags": tags,
    }


def differences(before: Dict[str, Any], after: Dict[str, Any], keys) -> List[str]:
    return [key for key in keys if before.get(key) != after.get(key)]


def _pool_settings(view: Dict[str, Any]) -> Dict[str, Any]:
    policy = view["password_policy"]
    return {
        "Policies": {"PasswordPolicy": {
            "MinimumLength": policy["minimum_length"],
            "RequireUppercase": policy["require_uppercase"],
            "RequireLowercase": policy["require_lowercase"],
            "RequireNumbers": policy["require_numbers"],
            "RequireSymbols": policy["require_symbols"],
            "TemporaryPasswordValidityDays": policy["temporary_password_validity_days"],
        }},
        "AutoVerifiedAttributes": list(view["auto_verified_attributes"]),
        "DeletionProtection": "ACTIVE" if view["deletion_protection"] else "INACTIVE",
        "AccountRecoverySetting": {"RecoveryMechanisms": RECOVERY[view["account_recovery"]]},
        "UserPoolTags": dict(view["tags"]),
    }


def create_pool_request(view: Dict[str, Any]) -> Dict[str, Any]:
    """CreateUserPool's request: MFA stays OFF here (SetUserPoolMfaConfig turns it on once the pool exists)."""
    request = {"PoolName": view["name"], "UsernameConfiguration": {"CaseSensitive": False}, **_pool_settings(view)}
    if view["username_attributes"]:
        request["UsernameAttributes"] = list(view["username_attributes"])
    return request


def update_pool_request(described: Dict[str, Any], view: Dict[str, Any], accepted) -> Dict[str, Any]:
    """UpdateUserPool's full request: every setting DescribeUserPool returned that UpdateUserPool takes (accepted: its
    input members), overlaid with the settings the module owns, MFA included, so nothing is reset to a default."""
    request = {k: v for k, v in described.items() if k in accepted and k not in POOL_READ_ONLY}
    policies = dict(described.get("Policies") or {})
    settings = _pool_settings(view)
    policies["PasswordPolicy"] = dict((policies.get("PasswordPolicy") or {}), **settings["Policies"]["PasswordPolicy"])
    settings["Policies"] = policies
    request.update(settings)
    admin = dict(request.get("AdminCreateUserConfig") or {})
    if admin:
        # Deprecated: AWS refuses it beside the password policy's TemporaryPasswordValidityDays.
        admin.pop("UnusedAccountValidityDays", None)
        request["AdminCreateUserConfig"] = admin
    request["MfaConfiguration"] = view["mfa"]
    request["UserPoolId"] = described["Id"]
    return {k: v for k, v in request.items() if k in accepted}


def _minutes(value, unit):
    return value * MINUTES.get(unit, 1)


def client_view(found: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """The settings this module owns of an app client as DescribeUserPoolClient returns it (validities in minutes for
    the access and ID tokens, days for the refresh token); {} for no client."""
    if not found:
        return {}
    units = dict(DEFAULT_UNITS, **(found.get("TokenValidityUnits") or {}))
    return {
        "id": found["ClientId"],
        "name": found.get("ClientName", ""),
        "generate_secret": bool(found.get("ClientSecret")),
        "explicit_auth_flows": sorted(found.get("ExplicitAuthFlows") or []),
        "access_token_validity": int(_minutes(found.get("AccessTokenValidity", 1), units["AccessToken"])),
        "id_token_validity": int(_minutes(found.get("IdTokenValidity", 1), units["IdToken"])),
        "refresh_token_validity": int(_minutes(found.get("RefreshTokenValidity", 30), units["RefreshToken"]) / 1440),
        "prevent_user_existence_errors": found.get("PreventUserExistenceErrors") or "LEGACY",
        "callback_urls": sorted(found.get("CallbackURLs") or []),
        "logout_urls": sorted(found.get("LogoutURLs") or []),
    }


def desired_client(spec: Dict[str, Any], before: Dict[str, Any]) -> Dict[str, Any]:
    return {
        "id": before.get("id", ""),
        "name": spec["name"],
        "generate_secret": bool(spec.get("generate_secret")),
        "explicit_auth_flows": sorted(spec.get("explicit_auth_flows") or DEFAULT_AUTH_FLOWS),
        "access_token_validity": int(spec.get("access_token_validity") or 60),
        "id_token_validity": int(spec.get("id_token_validity") or 60),
        "refresh_token_validity": int(spec.get("refresh_token_validity") or 30),
        "prevent_user_existence_errors": "ENABLED" if spec.get("prevent_user_existence_errors", True) else "LEGACY",
        "callback_urls": sorted(spec.get("callback_urls") or []),
        "logout_urls": sorted(spec.get("logout_urls") or []),
    }


def _client_settings(view: Dict[str, Any]) -> Dict[str, Any]:
    settings = {
        "ClientName": view["name"],
        "ExplicitAuthFlows": list(view["explicit_auth_flows"]),
        "AccessTokenValidity": view["access_token_validity"],
        "IdTokenValidity": view["id_token_validity"],
        "RefreshTokenValidity": view["refresh_token_validity"],
        "TokenValidityUnits": dict(UNITS),
        "PreventUserExistenceErrors": view["prevent_user_existence_errors"],
        "CallbackURLs": list(view["callback_urls"]),
        "LogoutURLs": list(view["logout_urls"]),
    }
    if view["callback_urls"]:
        # The hosted UI's authorization code flow back to the SPA.
        settings.update(AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthFlows=["code"],
                        AllowedOAuthScopes=["email", "openid", "profile"], SupportedIdentityProviders=["COGNITO"])
    return settings


def create_client_request(pool_id: str, view: Dict[str, Any]) -> Dict[str, Any]:
    return {"UserPoolId": pool_id, "GenerateSecret": view["generate_secret"], **_client_settings(view)}


def update_client_request(described: Dict[str, Any], view: Dict[str, Any], accepted) -> Dict[str, Any]:
    """UpdateUserPoolClient's full request: what DescribeUserPoolClient returned that the update takes, overlaid with
    the settings the module owns (AWS resets what the request leaves out)."""
    request = {k: v for k, v in described.items() if k in accepted}
    request.update(_client_settings(view))
    request.update(UserPoolId=described["UserPoolId"], ClientId=described["ClientId"])
    return {k: v for k, v in request.items() if k in accepted}
