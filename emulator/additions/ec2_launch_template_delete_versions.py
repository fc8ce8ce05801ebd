"""DeleteLaunchTemplateVersions deletes versions of a launch template other than its default.

AWS: DeleteLaunchTemplateVersions takes a template (``LaunchTemplateId`` or ``LaunchTemplateName``) and up to 200
``LaunchTemplateVersion`` numbers. Each version is deleted unless it is the default version or does not exist; the
answer lists ``SuccessfullyDeletedLaunchTemplateVersions`` (template id, name, version number) and
``UnsuccessfullyDeletedLaunchTemplateVersions`` (the same plus ``ResponseError`` with ``Code``
``launchTemplateVersionIsDefaultVersion`` or ``launchTemplateVersionDoesNotExist`` and a message). A deleted version
is gone from DescribeLaunchTemplateVersions and cannot be launched; version numbers are never reused, and
``$Latest`` is the highest remaining version. amazon.aws.ec2_launch_template calls it to delete a template that has
more than one version, before DeleteLaunchTemplate.

moto 5.2.5: ``LaunchTemplates`` (moto/ec2/responses/launch_templates.py) has no ``delete_launch_template_versions``:
the call is an HTTP 500 NotImplementedError, so removing a template with two versions fails.

What this addition does: adds the response method; a deleted version stays in moto's ``LaunchTemplate.versions``
list (whose positions are the version numbers) marked deleted, ``LaunchTemplate.get_version`` refuses it with
``InvalidLaunchTemplateId.VersionNotFound``, ``$Latest`` skips it, and ``describe_launch_template_versions`` leaves
it out.

Reference: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteLaunchTemplateVersions.html
"""

from typing import Any

from moto.core.responses import ActionResult
from moto.ec2.exceptions import InvalidLaunchTemplateVersionNotFound
from moto.ec2.models.launch_templates import LaunchTemplate, LaunchTemplateBackend
from moto.ec2.responses.launch_templates import LaunchTemplates

_originals: dict = {}


def _live(template: LaunchTemplate) -> list:
    return [version for version in template.versions if not getattr(version, "atelier_deleted", False)]


def _get_version(self: LaunchTemplate, num: Any):
    if str(num).lower() == "$latest":
        return _live(self)[-1]
    version = _originals["get_version"](self, num)
    if getattr(version, "atelier_deleted", False):
        raise InvalidLaunchTemplateVersionNotFound(template_id=self.id, version=num)
    return version


def _latest_version(self: LaunchTemplate):
    return _live(self)[-1]


def _describe_launch_template_versions(self, *args: Any, **kwargs: Any) -> list:
    found = _originals["describe_launch_template_versions"](self, *args, **kwargs)
    return [(template, version) for template, version in found if not getattr(version, "atelier_deleted", False)]


def _delete_launch_template_versions(self) -> ActionResult:
    name = self._get_param("LaunchTemplateName")
    template_id = self._get_param("LaunchTemplateId")
    numbers = self._get_param("Versions", [])
    self.error_on_dryrun()
    template = (
        self.ec2_backend.get_launch_template_by_name(name) if name else self.ec2_backend.get_launch_template(template_id)
    )
    deleted, refused = [], []
    for number in numbers:
        entry = {"LaunchTemplateId": template.id, "LaunchTemplateName": template.name, "VersionNumber": int(number)}
        try:
            version = template.get_version(int(number))
        except (InvalidLaunchTemplateVersionNotFound, ValueError):
            version = None
        if version is None or int(number) < 1:
            error = {"Code": "launchTemplateVersionDoesNotExist", "Message": "The specified launch template version does not exist."}
        elif template.is_default(version):
            error = {
                "Code": "launchTemplateVersionIsDefaultVersion",
                "Message": "The default version of a launch template cannot be deleted.",
            }
        else:
            version.atelier_deleted = True
            deleted.append(entry)
            continue
        refused.append(dict(entry, ResponseError=error))
    return ActionResult(
        {"SuccessfullyDeletedLaunchTemplateVersions": deleted, "UnsuccessfullyDeletedLaunchTemplateVersions": refused}
    )


def apply() -> None:
    """Add the response method and make deleted versions invisible."""
    _originals["get_version"] = LaunchTemplate.get_version
    _originals["describe_launch_template_versions"] = LaunchTemplateBackend.describe_launch_template_versions
    LaunchTemplate.get_version = _get_version
    LaunchTemplate.latest_version = _latest_version
    LaunchTemplateBackend.describe_launch_template_versions = _describe_launch_template_versions
    LaunchTemplates.delete_launch_template_versions = _delete_launch_template_versions
