"""KMS key state changes (EnableKey, DisableKey, ScheduleKeyDeletion, CancelKeyDeletion) accept the key ARN.

AWS: the ``KeyId`` of these four actions is a key id or a key ARN ("Specify the key ID or key ARN of the KMS key").
amazon.aws.kms_key passes the key ARN, for example when it schedules a key's deletion (``state: absent``).

moto 5.2.5: the responses (moto/kms/responses.py ``enable_key``, ``disable_key``, ``schedule_key_deletion``,
``cancel_key_deletion``) validate the ARN with ``_validate_cmk_id`` but hand it on unchanged, and the backend methods
of the same names (moto/kms/models.py ``KmsBackend``) index ``self.keys[key_id]``, which is keyed by key id: a key ARN
raises ``KeyError`` and the server answers HTTP 500.

What this addition does: the four backend methods turn a key ARN into its key id first (``KmsBackend.get_key_id``).

References: https://docs.aws.amazon.com/kms/latest/APIReference/API_ScheduleKeyDeletion.html
            https://docs.aws.amazon.com/kms/latest/APIReference/API_CancelKeyDeletion.html
            https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKey.html
            https://docs.aws.amazon.com/kms/latest/APIReference/API_DisableKey.html
"""

import functools

from moto.kms.models import KmsBackend

METHODS = ("enable_key", "disable_key", "schedule_key_deletion", "cancel_key_deletion")


def _by_key_id(original):
    @functools.wraps(original)
    def wrapper(self, key_id, *args, **kwargs):
        return original(self, self.get_key_id(key_id), *args, **kwargs)

    return wrapper


def apply() -> None:
    """Wrap the four KmsBackend methods."""
    for name in METHODS:
        setattr(KmsBackend, name, _by_key_id(getattr(KmsBackend, name)))
