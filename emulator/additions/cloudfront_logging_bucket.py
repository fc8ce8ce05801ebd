"""CloudFront standard logging (legacy): the log bucket must exist with ACLs enabled, and CloudFront grants the
``awslogsdelivery`` account FULL_CONTROL on it.

AWS: ``DistributionConfig.Logging`` with ``Enabled`` true names the bucket as ``<bucket>.s3.amazonaws.com``. "Your
bucket must have access control list (ACL) enabled ... Don't choose an Amazon S3 bucket with S3 Object Ownership set to
bucket owner enforced. That setting disables ACLs for the bucket" (new buckets have it since April 2023). "When you
enable logging, CloudFront automatically uses your AWS credentials to update the bucket's ACL to give the
awslogsdelivery account FULL_CONTROL permission" (canonical user
``c4c1ede66af53448b93c283ce9448c4ba468c9432aa01d700d3878632f77d2d0``; the caller needs ``s3:GetBucketAcl`` and
``s3:PutBucketAcl``). CreateDistribution / UpdateDistribution fail with ``InvalidArgument`` (HTTP 400) "The S3 bucket
that you specified for CloudFront logs doesn't exist: <bucket>.s3.amazonaws.com" or "... does not enable ACL access:
<bucket>.s3.amazonaws.com" and change nothing.

moto 5.2.5: ``Logging`` (moto/cloudfront/models.py) stores any bucket, existing or not, and never touches S3; its
buckets have no ownership controls unless given (``FakeBucket.ownership_rule`` None, GetBucketOwnershipControls
``OwnershipControlsNotFoundError``).

What this addition does: wraps ``CloudFrontBackend.create_distribution_with_tags`` and ``update_distribution``: with
logging enabled, the bucket (the name before ``.s3.``) must exist in the account and have ACLs enabled - ownership
controls ``BucketOwnerPreferred`` or ``ObjectWriter``; none set counts as ``BucketOwnerEnforced``, AWS's default for new
buckets - else AWS's errors above; after the call it adds the awslogsdelivery FULL_CONTROL grant to the bucket's ACL
when missing. The caller's S3 permissions are not evaluated.

References: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logging-legacy-s3.html
            https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_LoggingConfig.html
            https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
"""

from moto.cloudfront.exceptions import CloudFrontException
from moto.cloudfront.models import CloudFrontBackend
from moto.s3.exceptions import MissingBucket
from moto.s3.models import FakeAcl, FakeGrant, FakeGrantee, s3_backends
from moto.utilities.utils import get_partition

AWSLOGSDELIVERY = "c4c1ede66af53448b93c283ce9448c4ba468c9432aa01d700d3878632f77d2d0"
ACLS_ENABLED = ("BucketOwnerPreferred", "ObjectWriter")
_ORIGINAL = {}


class InvalidArgument(CloudFrontException):
    def __init__(self, message: str) -> None:
        super().__init__("InvalidArgument", message)


def _enabled(value) -> bool:
    return value is True or str(value).lower() == "true"


def _log_bucket(backend: CloudFrontBackend, config: dict):
    """The S3 bucket the configuration logs to (None when logging is off); AWS's errors for a bucket it can't use."""
    logging = (config or {}).get("Logging") or {}
    if not isinstance(logging, dict) or not _enabled(logging.get("Enabled")):
        return None
    domain = str(logging.get("Bucket") or "")
    name = domain.split(".s3.", 1)[0] if ".s3." in domain else domain
    s3 = s3_backends[backend.account_id][get_partition("us-east-1")]
    try:
        bucket = s3.get_bucket(name)
    except MissingBucket as error:
        raise InvalidArgument(f"The S3 bucket that you specified for CloudFront logs doesn't exist: {domain}") from error
    ownership = bucket.ownership_rule or "BucketOwnerEnforced"
    if isinstance(ownership, dict):
        ownership = (ownership.get("Rules") or [{}])[0].get("ObjectOwnership", "BucketOwnerEnforced")
    if ownership not in ACLS_ENABLED:
        raise InvalidArgument(f"The S3 bucket that you specified for CloudFront logs does not enable ACL access: {domain}")
    return bucket


def grant_log_delivery(bucket) -> None:
    """Add awslogsdelivery FULL_CONTROL to the bucket's ACL unless it has it."""
    acl = bucket.acl or FakeAcl()
    for grant in acl.grants:
        if "FULL_CONTROL" in grant.permissions and any(g.id == AWSLOGSDELIVERY for g in grant.grantees):
            return
    acl.grants.append(FakeGrant([FakeGrantee(grantee_id=AWSLOGSDELIVERY)], ["FULL_CONTROL"]))
    bucket.acl = acl


def _create_distribution_with_tags(self, distribution_config, tags):
    bucket = _log_bucket(self, distribution_config)
    result = _ORIGINAL["create_distribution_with_tags"](self, distribution_config, tags)
    if bucket is not None:
        grant_log_delivery(bucket)
    return result


def _update_distribution(self, dist_config, _id, if_match):
    bucket = _log_bucket(self, dist_config)
    result = _ORIGINAL["update_distribution"](self, dist_config, _id, if_match)
    if bucket is not None:
        grant_log_delivery(bucket)
    return result


def apply() -> None:
    """Check the log bucket of CreateDistribution(WithTags) and UpdateDistribution, and grant awslogsdelivery."""
    _ORIGINAL["create_distribution_with_tags"] = CloudFrontBackend.create_distribution_with_tags
    _ORIGINAL["update_distribution"] = CloudFrontBackend.update_distribution
    CloudFrontBackend.create_distribution_with_tags = _create_distribution_with_tags
    CloudFrontBackend.update_distribution = _update_distribution
