"""A launch template version created by CreateLaunchTemplateVersion keeps its user data usable.

AWS: CreateLaunchTemplateVersion takes ``LaunchTemplateData.UserData`` (base64) exactly as CreateLaunchTemplate does;
instances launched from the new version (by RunInstances or an Auto Scaling group) get that user data.

moto 5.2.5: ``LaunchTemplates.create_launch_template`` (moto/ec2/responses/launch_templates.py) wraps the user data in
``Base64EncodedString`` through ``parse_user_data``, but ``create_launch_template_version`` stores the raw string.
``LaunchTemplateVersion.user_data`` (moto/ec2/models/launch_templates.py) asserts the wrapped type, so every launch
from a second version (an Auto Scaling group scaling out, an instance refresh) fails with an AssertionError (HTTP 500).

What this addition does: wraps ``create_launch_template_version`` so that the request's ``LaunchTemplateData.UserData``
goes through ``parse_user_data`` as in ``create_launch_template`` (invalid base64 is refused with
``InvalidUserData.Malformed``, as AWS does).

Reference: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplateVersion.html
"""

from typing import Any

from moto.ec2.responses.launch_templates import LaunchTemplates
from moto.ec2.utils import parse_user_data

_originals: dict = {}


def _create_launch_template_version(self) -> Any:
    original_get_param = self._get_param

    def _get_param(name: str, *args: Any, **kwargs: Any) -> Any:
        value = original_get_param(name, *args, **kwargs)
        if name == "LaunchTemplateData" and isinstance(value, dict) and value.get("UserData") is not None:
            value = dict(value, UserData=parse_user_data(value["UserData"]))
        return value

    self._get_param = _get_param
    try:
        return _originals["create_launch_template_version"](self)
    finally:
        del self._get_param


def apply() -> None:
    """Wrap moto's create_launch_template_version response."""
    _originals["create_launch_template_version"] = LaunchTemplates.create_launch_template_version
    LaunchTemplates.create_launch_template_version = _create_launch_template_version
