"""CloudFront: a distribution's ``WebACLId`` must name an existing AWS WAF web ACL of scope CLOUDFRONT.

AWS: ``DistributionConfig.WebACLId`` is "the web ACL to associate with this distribution": for AWS WAF (v2) "use the
ACL ARN", a web ACL of scope ``CLOUDFRONT`` (created in us-east-1, ARN ``arn:aws:wafv2:us-east-1:<account>:global/
webacl/<name>/<id>``); an empty string means none. CreateDistribution / UpdateDistribution with a web ACL that does
not exist, is regional or belongs to an account the caller cannot use fail with ``InvalidWebACLId`` (HTTP 400) "Web ACL
is not accessible by the requester." and change nothing.

moto 5.2.5: ``DistributionConfig`` (moto/cloudfront/models.py) stores any ``WebACLId``.

What this addition does: wraps ``CloudFrontBackend.create_distribution_with_tags`` and ``update_distribution``: a
non-empty ``WebACLId`` must be the ARN of a web ACL of the account in moto's WAFv2 backends whose ARN is of scope
``global``; otherwise AWS's error above before anything changes. (WAF Classic web ACL ids are refused as unknown:
the emulator has no WAF Classic.) Deleting a web ACL that a distribution names is refused by
``wafv2_web_acl_associations``.

References: https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_DistributionConfig.html
            https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CreateDistribution.html (Errors)
            https://docs.aws.amazon.com/waf/latest/developerguide/cloudfront-features.html
"""

from moto.cloudfront.exceptions import CloudFrontException
from moto.cloudfront.models import CloudFrontBackend
from moto.wafv2.models import wafv2_backends

_ORIGINAL = {}


class InvalidWebACLId(CloudFrontException):
    def __init__(self) -> None:
        super().__init__("InvalidWebACLId", "Web ACL is not accessible by the requester.")


def cloudfront_web_acl_exists(account_id: str, arn: str) -> bool:
    """Whether arn is the ARN of a CLOUDFRONT-scope WAFv2 web ACL of the account."""
    if ":global/webacl/" not in arn:
        return False
    return any(arn in backend.wacls for backend in list(wafv2_backends[account_id].values()))


def _check(backend: CloudFrontBackend, config: dict) -> None:
    web_acl = (config or {}).get("WebACLId") or ""
    if web_acl and not cloudfront_web_acl_exists(backend.account_id, web_acl):
        raise InvalidWebACLId()


def _create_distribution_with_tags(self, distribution_config, tags):
    _check(self, distribution_config)
    return _ORIGINAL["create_distribution_with_tags"](self, distribution_config, tags)


def _update_distribution(self, dist_config, _id, if_match):
    _check(self, dist_config)
    return _ORIGINAL["update_distribution"](self, dist_config, _id, if_match)


def apply() -> None:
    """Check WebACLId on CreateDistribution(WithTags) and UpdateDistribution."""
    _ORIGINAL["create_distribution_with_tags"] = CloudFrontBackend.create_distribution_with_tags
    _ORIGINAL["update_distribution"] = CloudFrontBackend.update_distribution
    CloudFrontBackend.create_distribution_with_tags = _create_distribution_with_tags
    CloudFrontBackend.update_distribution = _update_distribution
