"""DescribeAvailabilityZones returns OptInStatus, GroupName and NetworkBorderGroup and filters on them.

AWS: every Availability Zone carries ``OptInStatus`` (always ``opt-in-not-required`` for Availability Zones),
``GroupName`` (the zone group, for example ``us-east-1-zg-1``) and ``NetworkBorderGroup`` (the Region for an
Availability Zone); the filters ``opt-in-status``, ``group-name`` and ``network-border-group`` select on them, the
usual way to keep Local and Wavelength Zones out of a subnet plan.

moto 5.2.5: ``Zone`` (moto/ec2/models/availability_zones_and_regions.py) has none of the three attributes, so the
response lacked them, and ``RegionsAndZonesBackend.describe_availability_zones`` ignored the three filters (a filter
on ``opt-in-status=opted-in`` returned every zone).

References: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AvailabilityZone.html
            https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeAvailabilityZones.html
"""

from moto.ec2.models.availability_zones_and_regions import RegionsAndZonesBackend, Zone

_DESCRIBE = RegionsAndZonesBackend.describe_availability_zones

# filter name -> Zone attribute this addition provides
FILTERS = {"opt-in-status": "opt_in_status", "group-name": "group_name", "network-border-group": "network_border_group"}


def _describe_availability_zones(self, filters=None, zone_names=None, zone_ids=None) -> list:
    """moto's describe, then the filters it does not know."""
    filters = dict(filters or {})
    ours = {name: filters.pop(name) for name in FILTERS if name in filters}
    zones = _DESCRIBE(self, filters or None, zone_names=zone_names, zone_ids=zone_ids)
    return [zone for zone in zones if all(getattr(zone, FILTERS[name]) in values for name, values in ours.items())]


def apply() -> None:
    """Give Zone the three attributes (all moto zones are Availability Zones) and filter on them."""
    Zone.opt_in_status = property(lambda zone: "opt-in-not-required")
    Zone.group_name = property(lambda zone: f"{zone.region_name}-zg-1")
    Zone.network_border_group = property(lambda zone: zone.region_name)
    RegionsAndZonesBackend.describe_availability_zones = _describe_availability_zones
