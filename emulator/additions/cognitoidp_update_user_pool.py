"""UpdateUserPool keeps what only CreateUserPool sets, and the pool's MFA setting has one value.

AWS: UpdateUserPool resets every setting its request leaves out to its default, but it has no ``UsernameAttributes``,
``AliasAttributes`` or ``UsernameConfiguration`` member: those are set by CreateUserPool for the pool's life and
DescribeUserPool keeps returning them. ``MfaConfiguration`` is one setting of the pool, whether SetUserPoolMfaConfig or
UpdateUserPool changed it last: DescribeUserPool and GetUserPoolMfaConfig return the same value.

moto 5.2.5: ``CognitoIdpUserPool.update_extended_config`` (moto/cognitoidp/models.py) replaces the whole stored
configuration with the defaults plus the request, so an update drops the pool's sign-in attributes (an e-mail pool
then describes as a user-name pool, and a module comparing them can never converge); SetUserPoolMfaConfig sets
``mfa_config`` while DescribeUserPool answers the ``MfaConfiguration`` of the last create/update request over it.

What this addition does: wraps ``CognitoIdpBackend.update_user_pool`` to carry the create-only attributes over, and
keeps ``MfaConfiguration`` out of the stored configuration (create, update) in the pool's ``mfa_config``, which both
DescribeUserPool and GetUserPoolMfaConfig then answer.

Reference: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateUserPool.html
"""

from moto.cognitoidp.models import CognitoIdpBackend

_ORIGINAL = {}
CREATE_ONLY = ("UsernameAttributes", "AliasAttributes", "UsernameConfiguration")


def _update_user_pool(self, user_pool_id, extended_config):
    pool = self.describe_user_pool(user_pool_id)
    kept = {key: pool.extended_config[key] for key in CREATE_ONLY if key in pool.extended_config}
    _ORIGINAL["update_user_pool"](self, user_pool_id, extended_config)
    pool.extended_config.update(kept)
    pool.extended_config.pop("UserPoolId", None)
    if "MfaConfiguration" in pool.extended_config:
        pool.mfa_config = pool.extended_config.pop("MfaConfiguration") or "OFF"


def _create_user_pool(self, name, extended_config):
    pool = _ORIGINAL["create_user_pool"](self, name, extended_config)
    pool.extended_config.pop("MfaConfiguration", None)
    return pool


def apply() -> None:
    """Wrap UpdateUserPool and CreateUserPool."""
    _ORIGINAL.setdefault("update_user_pool", CognitoIdpBackend.update_user_pool)
    _ORIGINAL.setdefault("create_user_pool", CognitoIdpBackend.create_user_pool)
    CognitoIdpBackend.update_user_pool = _update_user_pool
    CognitoIdpBackend.create_user_pool = _create_user_pool
