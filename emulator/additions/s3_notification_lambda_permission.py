"""A bucket's notification to a Lambda function needs the function's permission for S3.

AWS: PutBucketNotificationConfiguration validates each destination; for a ``LambdaFunctionConfiguration`` the
function's resource-based policy must let ``s3.amazonaws.com`` call ``lambda:InvokeFunction`` (evaluated with the
bucket's ARN as ``aws:SourceArn`` and the bucket owner's account as ``aws:SourceAccount``). A missing function, a
function without such a permission, or one allowing another bucket or account only, is refused: ``InvalidArgument``
"Unable to validate the following destination configurations" (400), and the configuration is not changed.

moto 5.2.5: ``S3Backend.put_bucket_notification_configuration`` (moto/s3/models.py) stores any function ARN, so the
order the collection must follow (the permission before the notification) was never tested.

What this addition does: before moto stores the configuration, each ``CloudFunctionConfiguration``'s function is
looked up in the Lambda backend of its ARN's account and region and its policy evaluated with the emulator's IAM
evaluator (``emulator.policy``) for the service principal ``s3.amazonaws.com``; a refusal is the error above.

Reference: https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketNotificationConfiguration.html
           https://docs.aws.amazon.com/lambda/latest/dg/with-s3.html (the permission AWS requires)
"""

from moto.s3.exceptions import InvalidArgumentError
from moto.s3.models import S3Backend

from emulator.additions._lambda_permission import service_may_invoke

S3 = "s3.amazonaws.com"
REFUSED = "Unable to validate the following destination configurations"


def _listed(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def invoke_allowed(function_arn: str, bucket: str, account: str, partition: str = "aws") -> bool:
    """Whether the function of function_arn lets S3 invoke it for the bucket of account."""
    return service_may_invoke(function_arn, S3, f"arn:{partition}:s3:::{bucket}", account)


def check_destinations(backend: S3Backend, bucket_name: str, configuration: dict) -> None:
    """Raise InvalidArgument when a function of configuration does not let S3 invoke it for this bucket."""
    bucket = backend.get_bucket(bucket_name)
    for entry in _listed((configuration or {}).get("CloudFunctionConfiguration")):
        arn = entry.get("CloudFunction", "")
        if not invoke_allowed(arn, bucket_name, bucket.account_id, getattr(bucket, "partition", "aws")):
            raise InvalidArgumentError(REFUSED, arn, f"Not authorized to invoke function [{arn}]")


def apply() -> None:
    """Check the destinations in S3Backend.put_bucket_notification_configuration."""
    put = S3Backend.put_bucket_notification_configuration

    def checked_put(self, bucket_name, notification_config):
        check_destinations(self, bucket_name, notification_config)
        return put(self, bucket_name, notification_config)

    S3Backend.put_bucket_notification_configuration = checked_put
