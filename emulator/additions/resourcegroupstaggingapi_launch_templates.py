"""Launch templates are in the tagging API, of the resource type ``ec2:launch-template``.

AWS: the Resource Groups Tagging API lists EC2 launch templates with their tags
(``arn:<partition>:ec2:<region>:<account>:launch-template/lt-...``), so GetResources with the
``ResourceTypeFilters`` entry ``ec2:launch-template`` (or ``ec2``) finds them.

moto 5.2.5: ``EC2Backend.iter_tagged_resources`` (moto/ec2/models/__init__.py) lists instances, subnets, groups and
other EC2 resources, not launch templates: GetResources never returns one.

What this addition does: wraps ``EC2Backend.iter_tagged_resources`` to also yield the region's launch templates with
their tags. (atelier.infra's orphans play finds a tier that runs, or ran, on EC2 by its launch template: a tier moved
to Fargate has its former Auto Scaling group, launch template and instance role removed through it.)

Reference: https://docs.aws.amazon.com/resourcegroupstagging/latest/APIReference/supported-services.html
"""

from collections.abc import Iterator

from moto.core.resource_tagging import TaggedResource
from moto.ec2.models import EC2Backend

RESOURCE_TYPE = "ec2:launch-template"


def _with_launch_templates(original):
    def iter_tagged_resources(self) -> Iterator[TaggedResource]:
        yield from original(self)
        for template in self.launch_templates.values():
            yield TaggedResource(
                arn=f"arn:{self.partition}:ec2:{self.region_name}:{self.account_id}:launch-template/{template.id}",
                tags=dict(self.tags.get(template.id, {})),
                resource_type=RESOURCE_TYPE,
            )

    iter_tagged_resources.atelier_launch_templates = True
    return iter_tagged_resources


def apply() -> None:
    """Wrap moto's EC2Backend.iter_tagged_resources (once)."""
    if not getattr(EC2Backend.iter_tagged_resources, "atelier_launch_templates", False):
        EC2Backend.iter_tagged_resources = _with_launch_templates(EC2Backend.iter_tagged_resources)
