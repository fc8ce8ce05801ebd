"""Classic load balancers are of the resource type ``elasticloadbalancing:loadbalancer`` in the tagging API.

AWS: the Resource Groups Tagging API names a resource type after the service and type in its ARN; a Classic Load
Balancer (``arn:<partition>:elasticloadbalancing:<region>:<account>:loadbalancer/<name>``) is, like an Application or
Network Load Balancer, of the type ``elasticloadbalancing:loadbalancer``, so GetResources with that
``ResourceTypeFilters`` entry (or ``elasticloadbalancing``) lists it.

moto 5.2.5: ``ELBBackend.iter_tagged_resources`` (moto/elb/models.py) reports classic load balancers as
``elb:loadbalancer``, a type AWS does not have: the filters ``elasticloadbalancing:loadbalancer`` and
``elasticloadbalancing`` leave them out (and ``elb`` finds them). Their ARN's partition is always ``aws``.

What this addition does: replaces ``ELBBackend.iter_tagged_resources`` with one that yields the same resources as
``elasticloadbalancing:loadbalancer``, with the region's partition in the ARN. (atelier.infra.tagged_resources_info
relies on the resource type filters meaning what they mean on AWS.)

Reference: https://docs.aws.amazon.com/resourcegroupstagging/latest/APIReference/API_GetResources.html
           https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-tags.html
"""

from collections.abc import Iterator

from moto.core.resource_tagging import TaggedResource
from moto.elb.models import ELBBackend
from moto.utilities.utils import get_partition

RESOURCE_TYPE = "elasticloadbalancing:loadbalancer"


def _iter_tagged_resources(self) -> Iterator[TaggedResource]:
    partition = get_partition(self.region_name)
    for balancer in self.load_balancers.values():
        yield TaggedResource(
            arn=f"arn:{partition}:elasticloadbalancing:{self.region_name}:{self.account_id}:loadbalancer/{balancer.name}",
            tags=dict(balancer.tags or {}),
            resource_type=RESOURCE_TYPE,
        )


def apply() -> None:
    """Replace moto's ELBBackend.iter_tagged_resources."""
    ELBBackend.iter_tagged_resources = _iter_tagged_resources
