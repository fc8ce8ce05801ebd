"""CloudFront cache behaviors that use a cache policy carry no legacy cache settings.

AWS: a cache behavior (``DefaultCacheBehavior`` or an item of ``CacheBehaviors``) either names a ``CachePolicyId``
(the recommended way) or uses the legacy cache settings ``ForwardedValues``, ``MinTTL``, ``DefaultTTL``, ``MaxTTL``.
GetDistribution / GetDistributionConfig return what the behavior uses: with a ``CachePolicyId`` there is no
``ForwardedValues`` and no TTL; with the legacy settings there is no ``CachePolicyId``. ``OriginRequestPolicyId`` is
returned only when one is attached.

moto 5.2.5: ``DefaultCacheBehaviour.__init__`` (moto/cloudfront/models.py) always builds ``ForwardedValues``
(``QueryString: false``, ``Cookies: none``) and ``MinTTL`` / ``DefaultTTL`` / ``MaxTTL`` 0, so a behavior sent with
only a ``CachePolicyId`` comes back with legacy settings as well (an idempotency check comparing the config read back
with the one wanted sees a difference on every run); ``CacheBehaviour.__init__`` answers ``CachePolicyId`` and
``OriginRequestPolicyId`` as empty strings when none was given.

What this addition does: wraps both ``__init__`` methods so that a behavior with a ``CachePolicyId`` has no
``ForwardedValues`` or TTLs, and a behavior without one has no ``CachePolicyId``, and an absent
``OriginRequestPolicyId`` stays absent (None, which moto's serializer leaves out).

Reference: https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_DefaultCacheBehavior.html
           https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CacheBehavior.html
"""

from moto.cloudfront.models import CacheBehaviour, DefaultCacheBehaviour

_originals: dict = {}


def _settle(behavior, config: dict) -> None:
    if config.get("CachePolicyId"):
        behavior.forwarded_values = None
        behavior.min_ttl = None
        behavior.default_ttl = None
        behavior.max_ttl = None
    else:
        behavior.cache_policy_id = None
    if not config.get("OriginRequestPolicyId"):
        behavior.origin_request_policy_id = None


def _default_init(self, config: dict) -> None:
    _originals["default"](self, config)
    _settle(self, config)


def _path_init(self, config: dict) -> None:
    _originals["path"](self, config)
    _settle(self, config)


def apply() -> None:
    """Leave out the legacy cache settings of behaviors with a cache policy, and empty policy ids."""
    _originals.setdefault("default", DefaultCacheBehaviour.__init__)
    _originals.setdefault("path", CacheBehaviour.__init__)
    DefaultCacheBehaviour.__init__ = _default_init
    CacheBehaviour.__init__ = _path_init
