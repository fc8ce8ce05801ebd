"""A load balancer's ``CanonicalHostedZoneId`` is its region's Elastic Load Balancing hosted zone.

AWS: DescribeLoadBalancers gives each load balancer the Route 53 hosted zone of its DNS name, one per region and
kind: Application Load Balancers (and Classic ones) share one zone id per region (us-east-1 ``Z35SXDOTRQ7X7K``,
eu-west-1 ``Z32O12XQLNTSW2``, ...), Network Load Balancers another (us-east-1 ``Z26RNL4JYFTOTI``, ...). A Route 53 alias
record to the load balancer names that zone id as its ``AliasTarget.HostedZoneId`` (and Route 53 refuses another,
see ``route53_alias_targets``).

moto 5.2.5: ``FakeLoadBalancer.__init__`` (moto/elbv2/models.py) sets ``canonical_hosted_zone_id`` to
``Z2P70J7EXAMPLE`` for every load balancer of every region and type.

What this addition does: wraps ``ELBv2Backend.create_load_balancer`` to set the zone id of the load balancer's region
and type from ``ZONES`` (AWS's table, below); a region not in the table keeps moto's value. ``zone_ids()`` gives the
table to ``route53_alias_targets``.

Reference: https://docs.aws.amazon.com/general/latest/gr/elb.html (Service endpoints: "Route 53 Hosted Zone ID")
"""

from typing import Any

from moto.elbv2.models import ELBv2Backend

_ORIGINAL: dict = {}

# region: (Application and Classic Load Balancers, Network Load Balancers)
ZONES: dict[str, tuple[str, str]] = {
    "us-east-1": ("Z35SXDOTRQ7X7K", "Z26RNL4JYFTOTI"),
    "us-east-2": ("Z3AADJGX6KTTL2", "ZLMOA37VPKANP"),
    "us-west-1": ("Z368ELLRRE2KJ0", "Z24FKFUX50B4VW"),
    "us-west-2": ("Z1H1FL5HABSF5", "Z18D5FSROUN65G"),
    "ca-central-1": ("ZQSVJUPU6J1EY", "Z2EPGBW3API2WT"),
    "eu-central-1": ("Z215JYRZR1TBD5", "Z3F0SRJ5LGBH90"),
    "eu-west-1": ("Z32O12XQLNTSW2", "Z2IFOLAFXWLO4F"),
    "eu-west-2": ("ZHURV8PSTC4K8", "ZD4D7Y8KGAS4G"),
    "eu-west-3": ("Z3Q77PNBQS71R4", "Z1CMS0P5QUZ6D5"),
    "eu-north-1": ("Z23TAZ7KFP5F5A", "Z1UDT6IFJ4EJM"),
    "ap-northeast-1": ("Z14GRHDCWA56QT", "Z31USIVHYNEOWT"),
    "ap-northeast-2": ("ZWKZPGTI48KDX", "ZIBE1TIR4HY56"),
    "ap-southeast-1": ("Z1LMS91P8CMLE5", "ZKVM4W9LS7TM"),
    "ap-southeast-2": ("Z1GM3OXH4ZPM65", "ZCT6FZBF4DROD"),
    "ap-south-1": ("ZP97RAFLXTNZK", "ZVDDRBQ08TROA"),
    "sa-east-1": ("Z2P70J7HTTTPLU", "ZTK26PT1VY4CU"),
}


def zone_id(region: str, balancer_type: str | None) -> str | None:
    """The hosted zone id of a load balancer of this type (application, network, gateway) in this region."""
    zones = ZONES.get(region)
    if zones is None:
        return None
    return zones[1] if balancer_type == "network" else zones[0]


def zone_ids() -> set[str]:
    """Every Elastic Load Balancing hosted zone id of the table."""
    return {zone for pair in ZONES.values() for zone in pair}


def _create_load_balancer(self, *args: Any, **kwargs: Any):
    balancer = _ORIGINAL["create_load_balancer"](self, *args, **kwargs)
    zone = zone_id(self.region_name, getattr(balancer, "type", None))
    if zone is not None:
        balancer.canonical_hosted_zone_id = zone
    return balancer


def apply() -> None:
    """Wrap moto's create_load_balancer."""
    _ORIGINAL.setdefault("create_load_balancer", ELBv2Backend.create_load_balancer)
    ELBv2Backend.create_load_balancer = _create_load_balancer
