"""DynamoDB encryption with KMS: ``SSEDescription.KMSMasterKeyArn`` is a key ARN, and UpdateTable changes encryption.

AWS: ``SSESpecification: {Enabled: true, SSEType: KMS, KMSMasterKeyId?}`` encrypts with the given KMS key (key id,
alias name, key ARN or alias ARN) or, without one, the AWS managed key ``alias/aws/dynamodb``; the description then has
``SSEDescription: {Status: ENABLED, SSEType: KMS, KMSMasterKeyArn: <the key's ARN>}``. ``Enabled: false`` (or no
SSESpecification) means the AWS owned key: no ``SSEDescription``. UpdateTable takes ``SSESpecification`` to switch
between them or change the key, and only alone: "One or more parameter values were invalid: Server-Side Encryption
modification must be the only operation in the request" (ValidationException; AWS's message as quoted in
hashicorp/terraform-provider-aws internal/service/dynamodb/table.go).

moto 5.2.5: ``Table.__init__`` (moto/dynamodb/models/table.py) stores ``KMSMasterKeyId`` as given, so
``KMSMasterKeyArn`` is a bare key id or alias when one was given, and ``DynamoHandler.update_table``
(moto/dynamodb/responses.py) ignores ``SSESpecification``.

What this addition does: resolves the key to its ARN in the table's region (moto's KMS backend: key id, alias, ARN;
an unknown key is kept as given) at CreateTable and UpdateTable, and applies UpdateTable's ``SSESpecification``
(at once: AWS shows ``Status: UPDATING`` for a while first).

References: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_SSESpecification.html
            https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_SSEDescription.html
            https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTable.html
"""

from moto.dynamodb.exceptions import MockValidationException
from moto.dynamodb.responses import DynamoHandler, DynamoResult

ONLY_OPERATION = (
    "One or more parameter values were invalid: Server-Side Encryption modification must be the only operation in "
    "the request"
)
OTHER_CHANGES = (
    "AttributeDefinitions",
    "BillingMode",
    "ProvisionedThroughput",
    "GlobalSecondaryIndexUpdates",
    "StreamSpecification",
    "ReplicaUpdates",
    "TableClass",
    "DeletionProtectionEnabled",
    "OnDemandThroughput",
    "WarmThroughput",
)

_originals: dict = {}


def _key_arn(table, key_id: str) -> str:
    from moto.kms.models import kms_backends

    if not key_id:
        return table._get_default_encryption_key(table.account_id, table.region_name)
    try:
        return kms_backends[table.account_id][table.region_name].describe_key(key_id).arn
    except Exception:  # unknown key: keep what was given
        return key_id


def _create_table(self) -> DynamoResult:
    response = _originals["create_table"](self)
    sse = self.body.get("SSESpecification") or {}
    if not (sse.get("Enabled") and sse.get("KMSMasterKeyId")):
        return response
    table = self.dynamodb_backend.get_table(self.body["TableName"])
    table.sse_specification["KMSMasterKeyId"] = _key_arn(table, sse["KMSMasterKeyId"])
    return DynamoResult(table.describe())


def _update_table(self) -> DynamoResult:
    sse = self.body.get("SSESpecification")
    if sse is None:
        return _originals["update_table"](self)
    if any(self.body.get(key) not in (None, [], {}) for key in OTHER_CHANGES):
        raise MockValidationException(ONLY_OPERATION)
    _originals["update_table"](self)
    table = self.dynamodb_backend.get_table(self.body["TableName"])
    if sse.get("Enabled"):
        table.sse_specification = {
            "Enabled": True,
            "SSEType": sse.get("SSEType", "KMS"),
            "KMSMasterKeyId": _key_arn(table, sse.get("KMSMasterKeyId")),
        }
    else:
        table.sse_specification = {"Enabled": False}
    return DynamoResult(table.describe())


def apply() -> None:
    """Wrap CreateTable and UpdateTable."""
    _originals.update(create_table=DynamoHandler.create_table, update_table=DynamoHandler.update_table)
    DynamoHandler.create_table = _create_table
    DynamoHandler.update_table = _update_table
