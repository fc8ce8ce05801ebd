"""Shared by the RDS additions (not an addition itself: the loader skips names starting with ``_``).

The account's ``aws/rds`` AWS managed key, which RDS uses when a request names no KMS key ("If you don't specify a
value for the KmsKeyId parameter, then Amazon RDS uses your default KMS key"); moto has no such key.
"""

RDS_KEY_ALIAS = "alias/aws/rds"


def default_rds_key(kms) -> str:
    """The alias of the aws/rds key in moto's KMS backend ``kms``, creating the key (AWS managed) the first time."""
    if not kms.alias_exists(RDS_KEY_ALIAS):
        key = kms.create_key(
            policy=None,
            key_usage="ENCRYPT_DECRYPT",
            key_spec="SYMMETRIC_DEFAULT",
            description="Default key that protects my RDS database volumes when no other key is defined",
            tags=None,
        )
        key.key_manager = "AWS"
        kms.create_alias(key.id, RDS_KEY_ALIAS)
    return RDS_KEY_ALIAS
