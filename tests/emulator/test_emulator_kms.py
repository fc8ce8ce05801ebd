"""KMS additions of the emulator, seen through boto3 (so every answer also parses with botocore's service model).

Each test fails against plain moto; check with ``ATELIER_EMULATOR_DISABLE_ADDITIONS=kms_key_arn_state_changes pytest
tests/emulator/test_emulator_kms.py``.
"""


def test_kms_key_arn_state_changes(emulator):
    """kms_key_arn_state_changes: disable, enable, schedule and cancel the deletion of a key named by its ARN."""
    kms = emulator.client("kms")
    key = kms.create_key(Description="by arn")["KeyMetadata"]
    arn = key["Arn"]

    def state():
        return kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"]

    kms.disable_key(KeyId=arn)
    assert state() == "Disabled"
    kms.enable_key(KeyId=arn)
    assert state() == "Enabled"
    kms.schedule_key_deletion(KeyId=arn, PendingWindowInDays=7)
    assert state() == "PendingDeletion"
    kms.cancel_key_deletion(KeyId=arn)
    assert state() == "Disabled"
