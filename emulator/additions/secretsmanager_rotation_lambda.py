"""RotateSecret with a rotation function: Secrets Manager checks it may invoke the function, records the rotation and
invokes the function asynchronously; the emulator records it and does not run the function.

AWS: RotateSecret with ``RotationLambdaARN`` refuses a function Secrets Manager cannot invoke (a missing function, or
one whose resource-based policy does not let ``secretsmanager.amazonaws.com`` call ``lambda:InvokeFunction``, evaluated
with the secret's ARN as ``aws:SourceArn`` and its account as ``aws:SourceAccount``): ``AccessDeniedException``
"Secrets Manager cannot invoke the specified Lambda function. Ensure that the function policy grants access to the
principal secretsmanager.amazonaws.com." Otherwise it records ``RotationEnabled``, ``RotationLambdaARN``,
``RotationRules`` and ``NextRotationDate`` and answers at once with the version id of the rotation; the function's
four steps run afterwards (``LastRotatedDate`` and the versions change only when they succeed).

moto 5.2.5: ``SecretsManagerBackend.rotate_secret`` (moto/secretsmanager/models.py) checks only that the function
exists, then invokes it synchronously four times through moto's Lambda backend (which needs docker: without it the
request fails with a server error), adds an empty AWSPENDING version and, by default, moves AWSCURRENT onto it (the
secret loses its value) and sets ``LastRotatedDate``.

What this addition does: for a request with a rotation function, the function and its permission are checked as AWS
does (with the emulator's IAM evaluator, ``emulator.policy``, through ``_lambda_permission``), the rotation configuration and the next rotation date
are recorded, and the versions are left as they are: the emulator cannot run a function, so the secret looks as it
does on AWS between the request and the function's first step. A request without a function is moto's.

Reference: https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_RotateSecret.html
           https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets-required-permissions-function.html
"""

import json
import time

from moto.core.exceptions import JsonRESTError
from moto.moto_api._internal import mock_random
from moto.secretsmanager.exceptions import InvalidParameterException
from moto.secretsmanager.exceptions import InvalidRequestException
from moto.secretsmanager.exceptions import SecretNotFoundException
from moto.secretsmanager.models import SecretsManagerBackend

from emulator.additions._lambda_permission import service_may_invoke

SECRETS_MANAGER = "secretsmanager.amazonaws.com"
CANNOT_INVOKE = ("Secrets Manager cannot invoke the specified Lambda function. Ensure that the function policy grants "
                 "access to the principal secretsmanager.amazonaws.com.")
DAY = 86400


class AccessDeniedException(JsonRESTError):
    def __init__(self, message: str):
        super().__init__("AccessDeniedException", message)


def record_rotation(backend, secret_id, client_request_token, rotation_lambda_arn, rotation_rules) -> str:
    """RotateSecret with a function, as far as the API shows before the function runs."""
    if not backend._is_valid_identifier(secret_id):  # pylint: disable=protected-access
        raise SecretNotFoundException()
    secret = backend.secrets[secret_id]
    if secret.is_deleted():
        raise InvalidRequestException("You tried to perform the operation on a secret that's currently marked deleted.")
    if len(rotation_lambda_arn) > 2048:
        raise InvalidParameterException("RotationLambdaARN must <= 2048 characters long.")
    days = (rotation_rules or {}).get("AutomaticallyAfterDays")
    if days is not None and not 1 <= int(days) <= 1000:
        raise InvalidParameterException("RotationRules.AutomaticallyAfterDays must be within 1-1000.")
    if not service_may_invoke(rotation_lambda_arn, SECRETS_MANAGER, secret.arn, backend.account_id):
        raise AccessDeniedException(CANNOT_INVOKE)
    token = client_request_token or str(mock_random.uuid4())
    if client_request_token:
        backend._client_request_token_validator(client_request_token)  # pylint: disable=protected-access
    secret.rotation_requested = True
    secret.rotation_lambda_arn = rotation_lambda_arn
    if days is not None:
        secret.auto_rotate_after_days = int(days)
        secret.next_rotation_date = int(time.time()) + int(days) * DAY
    secret.rotation_enabled = secret.auto_rotate_after_days > 0
    return json.dumps({"ARN": secret.arn, "Name": secret.name, "VersionId": token})


def apply() -> None:
    """Route SecretsManagerBackend.rotate_secret with a rotation function to record_rotation."""
    rotate = SecretsManagerBackend.rotate_secret

    def rotate_secret(self, secret_id, client_request_token=None, rotation_lambda_arn=None, rotation_rules=None,
                      rotate_immediately=True):
        if rotation_lambda_arn:
            return record_rotation(self, secret_id, client_request_token, rotation_lambda_arn, rotation_rules)
        return rotate(self, secret_id, client_request_token, rotation_lambda_arn, rotation_rules, rotate_immediately)

    SecretsManagerBackend.rotate_secret = rotate_secret
