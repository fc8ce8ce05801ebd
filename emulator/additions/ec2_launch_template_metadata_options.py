"""Instances launched from a launch template get the template's instance metadata options.

AWS: RunInstances with ``LaunchTemplate`` launches with every setting of the template version it names (its default
version when none is named), ``MetadataOptions`` included (``HttpTokens``, ``HttpPutResponseHopLimit``,
``HttpEndpoint``, ``HttpProtocolIpv6``, ``InstanceMetadataTags``); a parameter given to RunInstances itself overrides
the template's. Auto Scaling launches its instances from the group's launch template the same way, so a template
with ``HttpTokens: required`` gives IMDSv2-only instances, which DescribeInstances reports in ``MetadataOptions``.

moto 5.2.5: ``Instance.__init__`` (moto/ec2/models/instances.py) builds ``MetadataOptions`` from the RunInstances
``MetadataOptions`` parameter only, and ``InstanceBackend.run_instances`` takes user data, instance type, key name,
security groups, block devices and tags from the template but not its ``MetadataOptions``: an instance launched from a
template (by RunInstances or by an Auto Scaling group) reports moto's defaults, ``HttpTokens: optional`` and
``HttpPutResponseHopLimit: 1``.

What this addition does: wraps ``InstanceBackend.run_instances``: when the launch names a template and no
``MetadataOptions`` of its own, the template version's ``MetadataOptions`` (the version moto's
``_get_template_from_args`` resolves, as for the block devices) are passed on as the launch's. ``MetadataOptions``
given to RunInstances replace the template's as a whole.

References: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RunInstances.html
            https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_LaunchTemplateInstanceMetadataOptionsRequest.html
            https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_InstanceMetadataOptionsResponse.html
            https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-launch-templates.html
"""

from typing import Any

from moto.ec2.models.instances import InstanceBackend

_originals: dict = {}


def _run_instances(self, image_id: str, count: int, user_data: Any, security_group_names: list[str], **kwargs: Any):
    if kwargs.get("launch_template") and not kwargs.get("metadata_options"):
        options = self._get_template_from_args(kwargs["launch_template"]).data.get("MetadataOptions")
        if options:
            kwargs["metadata_options"] = dict(options)
    return _originals["run_instances"](self, image_id, count, user_data, security_group_names, **kwargs)


def apply() -> None:
    """Wrap moto's run_instances."""
    _originals["run_instances"] = InstanceBackend.run_instances
    InstanceBackend.run_instances = _run_instances
