"""Route 53 alias records to CloudFront and Elastic Load Balancing: the target must exist in the zone named.

AWS: an alias record's ``AliasTarget`` names the hosted zone of its target and the target's DNS name. A CloudFront
distribution's zone is ``Z2FDTNDATAQYW2`` (every distribution); a load balancer's is its region's Elastic Load
Balancing zone (its ``CanonicalHostedZoneId``, see ``elbv2_canonical_hosted_zone_id``), and its DNS name may carry
the ``dualstack.`` prefix. CREATE / UPSERT of an alias whose name does not lie in the target zone (another zone id, a
distribution or load balancer that does not exist) is ``InvalidChangeBatch`` (400) "[Tried to create an alias that
targets <name>., type <type> in zone <zone>, but the alias target name does not lie within the target zone]", and
nothing of the batch is applied. ListResourceRecordSets answers the alias ``DNSName`` fully qualified and in lower
case (``d111111abcdef8.cloudfront.net.``), whatever case and trailing dot the change used (ansible/ansible#29858,
community.aws#192: ``amazon.aws.route53`` is idempotent for an alias only when given the value that way).

moto 5.2.5: ``Route53Backend.change_resource_record_sets`` (moto/route53/models.py) stores any ``AliasTarget`` as
sent (no check of the zone or the target, ``DNSName`` as given).

What this addition does: wraps ``change_resource_record_sets`` to check, before moto applies anything, every CREATE /
UPSERT alias whose zone is CloudFront's (a distribution of moto's CloudFront backends with that domain name) or one of
``elbv2_canonical_hosted_zone_id.ZONES`` (a load balancer of moto's ELBv2 backends with that DNS name, ``dualstack.``
removed, and that ``CanonicalHostedZoneId``), in any account; and to write every alias ``DNSName`` of the batch in
lower case with a trailing dot (DELETE too, so a delete matches what was stored). Other alias targets (S3 website
endpoints, API Gateway, records of the same zone, ...) are not checked.

References: https://docs.aws.amazon.com/Route53/latest/APIReference/API_AliasTarget.html
            https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-to-cloudfront-distribution.html
            https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-to-elb-load-balancer.html
"""

from moto.cloudfront.models import cloudfront_backends
from moto.elbv2.models import elbv2_backends
from moto.route53.exceptions import Route53ClientError
from moto.route53.models import Route53Backend

from emulator.additions import elbv2_canonical_hosted_zone_id

CLOUDFRONT_ZONE = "Z2FDTNDATAQYW2"
_ORIGINAL: dict = {}


def _normal(name: str) -> str:
    return (name or "").strip().rstrip(".").lower()


def _backends(backend_dict) -> list:
    return [backend for regions in list(backend_dict.values()) for backend in list(regions.values())]


def _distribution_exists(name: str) -> bool:
    return any(
        _normal(distribution.domain_name) == name
        for backend in _backends(cloudfront_backends)
        for distribution in list(backend.distributions.values())
    )


def _load_balancer_exists(name: str, zone_id: str) -> bool:
    name = name.removeprefix("dualstack.")
    return any(
        _normal(balancer.dns_name) == name and balancer.canonical_hosted_zone_id == zone_id
        for backend in _backends(elbv2_backends)
        for balancer in list(backend.load_balancers.values())
    )


def target_lies_in_zone(zone_id: str, dns_name: str) -> bool | None:
    """Whether an alias target exists in the zone named; None for the zones this addition does not check."""
    name = _normal(dns_name)
    if zone_id == CLOUDFRONT_ZONE:
        return _distribution_exists(name)
    if zone_id in elbv2_canonical_hosted_zone_id.zone_ids():
        return _load_balancer_exists(name, zone_id)
    return None


def _change_resource_record_sets(self, zoneid, change_list):
    problems = []
    for change in change_list or []:
        record = change.get("ResourceRecordSet") or {}
        alias = record.get("AliasTarget")
        if not alias:
            continue
        alias["DNSName"] = _normal(alias.get("DNSName")) + "."
        if (
            change.get("Action") in ("CREATE", "UPSERT")
            and target_lies_in_zone(alias.get("HostedZoneId"), alias["DNSName"]) is False
        ):
            problems.append(
                f"Tried to create an alias that targets {alias['DNSName']}, type {record.get('Type')} in zone "
                f"{alias.get('HostedZoneId')}, but the alias target name does not lie within the target zone"
            )
    if problems:
        raise Route53ClientError("InvalidChangeBatch", "[" + ", ".join(problems) + "]")
    return _ORIGINAL["change_resource_record_sets"](self, zoneid, change_list)


def apply() -> None:
    """Check alias targets and normalise their DNS names in ChangeResourceRecordSets."""
    _ORIGINAL.setdefault("change_resource_record_sets", Route53Backend.change_resource_record_sets)
    Route53Backend.change_resource_record_sets = _change_resource_record_sets
