"""CreateDistribution is idempotent by ``CallerReference``: the same request again answers the first distribution.

AWS: "If the CallerReference is a value that you already sent in a previous request to create a distribution, and
if the content of the DistributionConfig is identical to the original request (ignoring white space), the response
includes the same information returned to the original request. If the CallerReference is a value that you already
sent in a previous request to create a distribution but the content of the DistributionConfig is different from the
original request, CloudFront returns a DistributionAlreadyExists error." So a create whose response was lost
(botocore retries it with the same body) finds the distribution it made.

moto 5.2.5: ``CloudFrontBackend.create_distribution_with_tags`` (moto/cloudfront/models.py) raises
``DistributionAlreadyExists`` for any CallerReference it has seen, identical request or not: a retried create fails.

What this addition does: keeps the configuration each distribution was created with, and answers a create with a
known CallerReference and the same configuration with that distribution (its location and current ETag); another
configuration is still ``DistributionAlreadyExists``. CreateDistribution and CreateDistributionWithTags both go
through it.

Reference: https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CreateDistribution.html
"""

import copy

from moto.cloudfront.models import CloudFrontBackend

_originals: dict = {}
_REQUEST = "atelier_created_with"


def _create_distribution_with_tags(self, distribution_config, tags):
    reference = (distribution_config or {}).get("CallerReference")
    first = self._distribution_with_caller_reference(reference) if reference else None
    if first is not None and getattr(first, _REQUEST, None) == distribution_config:
        return first, first.location, first.etag
    sent = copy.deepcopy(distribution_config)
    distribution, location, etag = _originals["create_distribution_with_tags"](self, distribution_config, tags)
    setattr(distribution, _REQUEST, sent)
    return distribution, location, etag


def apply() -> None:
    """Answer a repeated create with the distribution it made."""
    _originals.setdefault("create_distribution_with_tags", CloudFrontBackend.create_distribution_with_tags)
    CloudFrontBackend.create_distribution_with_tags = _create_distribution_with_tags
