"""DeleteUserPool refuses a user pool with deletion protection.

AWS: a user pool whose ``DeletionProtection`` is ``ACTIVE`` cannot be deleted: DeleteUserPool fails with
``InvalidParameterException`` "The user pool cannot be deleted because deletion protection is activated. Deletion
protection must be inactivated first." and the pool stays as it was; UpdateUserPool with ``DeletionProtection:
INACTIVE`` lets it go.

moto 5.2.5: ``CognitoIdpBackend.delete_user_pool`` (moto/cognitoidp/models.py) deletes the pool whatever its
``DeletionProtection`` (kept in ``extended_config``), so a teardown that forgets the protection passes on the emulator
and fails on AWS, and one that deletes a production pool by accident "works".

What this addition does: wraps delete_user_pool to raise AWS's error while the pool's DeletionProtection is ACTIVE.

Reference: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DeleteUserPool.html and
the DeletionProtection member of
https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPool.html
"""

from moto.cognitoidp.exceptions import InvalidParameterException
from moto.cognitoidp.models import CognitoIdpBackend

_ORIGINAL = {}

MESSAGE = (
    "The user pool cannot be deleted because deletion protection is activated. "
    "Deletion protection must be inactivated first."
)


def _delete_user_pool(self, user_pool_id: str) -> None:
    pool = self.describe_user_pool(user_pool_id)
    if pool.extended_config.get("DeletionProtection") == "ACTIVE":
        raise InvalidParameterException(MESSAGE)
    _ORIGINAL["delete_user_pool"](self, user_pool_id)


def apply() -> None:
    """Wrap DeleteUserPool with the deletion-protection check."""
    _ORIGINAL.setdefault("delete_user_pool", CognitoIdpBackend.delete_user_pool)
    CognitoIdpBackend.delete_user_pool = _delete_user_pool
