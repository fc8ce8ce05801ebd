"""Route 53 CreateHostedZone: a CallerReference used already is refused, as AWS refuses it.

AWS: ``CallerReference`` is "a unique string that identifies the request and that allows failed CreateHostedZone
requests to be retried without the risk of executing the operation twice"; a second request with the reference of a
zone made already fails with ``HostedZoneAlreadyExists`` (409) "The hosted zone you are trying to create already
exists. Amazon Route 53 returns this error when a hosted zone has already been created with the specified
CallerReference." So a create whose answer was lost, retried by botocore with the same reference, makes no second zone.

moto 5.2.5: ``Route53Backend.create_hosted_zone`` (moto/route53/models.py) stores the reference and never compares
it: the retry of a lost answer makes a second zone of the same name, which AWS never would (and every later lookup of
the zone by name then finds two).

What this addition does: wraps ``create_hosted_zone`` to refuse a reference that a zone of the account holds.

Reference: https://docs.aws.amazon.com/Route53/latest/APIReference/API_CreateHostedZone.html
"""

from moto.route53.exceptions import Route53ClientError
from moto.route53.models import Route53Backend

_ORIGINAL: dict = {}


class HostedZoneAlreadyExists(Route53ClientError):
    code = "HostedZoneAlreadyExists"

    def __init__(self, name: str) -> None:
        super().__init__(
            "HostedZoneAlreadyExists",
            f"The hosted zone {name} you are trying to create already exists. Amazon Route 53 returns this error when "
            "a hosted zone has already been created with the specified CallerReference.",
        )


def _create_hosted_zone(self, name, private_zone, caller_reference=None, *args, **kwargs):
    if caller_reference and any(getattr(z, "caller_reference", None) == caller_reference for z in self.zones.values()):
        raise HostedZoneAlreadyExists(name)
    return _ORIGINAL["create_hosted_zone"](self, name, private_zone, caller_reference, *args, **kwargs)


def apply() -> None:
    """Refuse a CallerReference that a zone holds already."""
    _ORIGINAL.setdefault("create_hosted_zone", Route53Backend.create_hosted_zone)
    Route53Backend.create_hosted_zone = _create_hosted_zone
