"""Auto Scaling instances are launched from, and report, the group's launch template version.

AWS: a group with a launch template (``LaunchTemplate`` or a ``MixedInstancesPolicy``) launches each instance from the
version the group names, resolved when the instance is launched: ``$Latest`` is the newest version at that moment,
``$Default`` the default version, a number that version. Everything in that version applies (block devices, tags,
metadata options, ...), and the instance is tagged ``aws:ec2launchtemplate:id`` / ``aws:ec2launchtemplate:version``.
DescribeAutoScalingGroups ``Instances[].LaunchTemplate`` and DescribeAutoScalingInstances ``LaunchTemplate`` give
the template and the version *the instance was launched from* (``Version`` is that number as a string), so after a
new version, instances launched before still report the old one until they are replaced (an instance refresh relies
on this to tell which instances are up to date).

moto 5.2.5: ``FakeAutoScalingGroup.replace_autoscaling_group_instances`` (moto/autoscaling/models.py) takes the image,
instance type, user data and security groups from the group's version but passes ``run_instances`` only
``{"LaunchTemplateId": ...}``, so ``InstanceBackend._get_template_from_args`` (moto/ec2/models/instances.py) takes the
block devices, the template tags and the ``aws:ec2launchtemplate:version`` tag from the *default* version; and
``InstanceState.launch_template`` (moto/autoscaling/models.py) reports every instance with the template's current
``default_version_number``, whatever it was launched from.

What this addition does: replaces ``replace_autoscaling_group_instances`` with moto's own code plus the resolved
version number in the ``LaunchTemplate`` given to ``run_instances``; ``InstanceState.launch_template`` reports the
instance's ``aws:ec2launchtemplate:id`` / ``aws:ec2launchtemplate:version`` tags (set by moto's ``Instance`` from the
version it was launched from), and falls back to moto's answer for instances without them (launch configurations,
attached instances launched without a template).

References: https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_Instance.html
            https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_AutoScalingInstanceDetails.html
            https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_LaunchTemplateSpecification.html
            https://docs.aws.amazon.com/autoscaling/ec2/userguide/launch-templates.html
"""

from typing import Any

from moto.autoscaling.models import ASG_NAME_TAG, FakeAutoScalingGroup, InstanceState
from moto.moto_api._internal import mock_random as random

TEMPLATE_ID_TAG = "aws:ec2launchtemplate:id"
TEMPLATE_VERSION_TAG = "aws:ec2launchtemplate:version"

_originals: dict = {}


def _replace_autoscaling_group_instances(self, count_needed: int, propagated_tags: dict[str, str]) -> None:
    """moto's FakeAutoScalingGroup.replace_autoscaling_group_instances, launching from the group's version."""
    propagated_tags[ASG_NAME_TAG] = self.name
    propagated_tags.update(self.instance_tags)
    subnet_id = self.vpc_zone_identifier.split(",")[0] if self.vpc_zone_identifier else None
    associate_public_ip = self.launch_config.associate_public_ip_address if self.launch_config else None
    launch_template = None
    if self.ec2_launch_template:
        template = self.ec2_launch_template
        launch_template = {"LaunchTemplateId": template.id} if template.id else {"LaunchTemplateName": template.name}
        launch_template["Version"] = str(template.get_version(self.launch_template_version).number)
    reservation = self.autoscaling_backend.ec2_backend.run_instances(
        self.image_id,
        count_needed,
        self.user_data,
        self.security_groups,
        instance_type=self.instance_type,
        tags={"instance": propagated_tags},
        placement=random.choice(self.availability_zones),
        launch_config=self.launch_config,
        launch_template=launch_template,
        is_instance_type_default=False,
        associate_public_ip=associate_public_ip,
        subnet_id=subnet_id,
    )
    for instance in reservation.instances:
        instance.autoscaling_group = self
        self.instance_states.append(
            InstanceState(instance, protected_from_scale_in=self.new_instances_protected_from_scale_in)
        )


def _launch_template(self) -> dict[str, Any] | None:
    instance = self.instance
    tags = instance.ec2_backend.tags.get(instance.id, {})
    template_id, version = tags.get(TEMPLATE_ID_TAG), tags.get(TEMPLATE_VERSION_TAG)
    if not (template_id and version):
        return _originals["launch_template"].fget(self)
    template = instance.ec2_backend.launch_templates.get(template_id)
    name = template.name if template is not None else None  # a deleted template: no name
    return {"LaunchTemplateId": template_id, "LaunchTemplateName": name, "Version": version}


def apply() -> None:
    """Replace the group's launch and the instance's launch template description."""
    _originals.update(
        replace_autoscaling_group_instances=FakeAutoScalingGroup.replace_autoscaling_group_instances,
        launch_template=InstanceState.__dict__["launch_template"],
    )
    FakeAutoScalingGroup.replace_autoscaling_group_instances = _replace_autoscaling_group_instances
    InstanceState.launch_template = property(_launch_template)
