"""The launch template's own tags stay out of its launch data.

AWS: CreateLaunchTemplate's top-level ``TagSpecifications`` (resource type ``launch-template``) tag the template
itself. ``LaunchTemplateData.TagSpecifications`` holds only the tags applied at launch (instance, volume,
network-interface, spot-instances-request), and DescribeLaunchTemplateVersions returns that data as it was given.

moto 5.2.5: ``LaunchTemplates.create_launch_template`` (moto/ec2/responses/launch_templates.py) appends the
top-level tag specifications, ``launch-template`` included, to ``LaunchTemplateData.TagSpecifications`` of the
first version. The version's data then differs from the data the client sent, so a client that compares them to
decide whether a new version is needed (amazon.aws.ec2_launch_template does) creates a new version on every run.

What this addition does: wraps ``EC2Backend.create_launch_template`` to drop ``launch-template`` entries from the
template data's ``TagSpecifications`` (and the key when nothing else is left) before the first version is stored;
the template's own tags still come from the top-level tag specification.

Reference: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html
           https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_LaunchTemplateTagSpecificationRequest.html
"""

from typing import Any

from moto.ec2.models.launch_templates import LaunchTemplateBackend

_originals: dict = {}


def _create_launch_template(self, name: str, description: str, template_data: dict[str, Any], tag_spec: dict[str, Any]):
    specs = template_data.get("TagSpecifications")
    if specs:
        kept = [spec for spec in specs if spec.get("ResourceType") != "launch-template"]
        template_data = dict(template_data, TagSpecifications=kept)
        if not kept:
            del template_data["TagSpecifications"]
    return _originals["create_launch_template"](self, name, description, template_data, tag_spec)


def apply() -> None:
    """Wrap moto's create_launch_template."""
    _originals["create_launch_template"] = LaunchTemplateBackend.create_launch_template
    LaunchTemplateBackend.create_launch_template = _create_launch_template
