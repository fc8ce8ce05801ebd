"""UpdateProject: change the settings of an existing CodeBuild project.

AWS: ``UpdateProject`` changes the settings given (source, artifacts, environment, serviceRole, timeoutInMinutes,
logsConfig, description, tags, ...) of the project named and keeps the others; ``tags`` given replace the project's
tags. It answers the project as ``BatchGetProjects`` describes it, with a new ``lastModified``. An unknown project is
``ResourceNotFoundException``.

moto 5.2.5: ``CodeBuildResponse`` (moto/codebuild/responses.py) has no ``update_project``: the call answers HTTP 500
(``NotImplementedError``), so a project cannot be changed in place, only deleted and created again.

What this addition does: adds ``CodeBuildResponse.update_project``, which sets the given keys of the stored
``project_metadata`` (the same ones ``CodeBuild.__init__`` in moto/codebuild/models.py stores), the service role as an
ARN (moto's rule for a role name), ``lastModified`` to now, and answers ``{"project": ...}``.

Reference: https://docs.aws.amazon.com/codebuild/latest/APIReference/API_UpdateProject.html
"""

from moto.codebuild.exceptions import ResourceNotFoundException
from moto.codebuild.responses import CodeBuildResponse
from moto.core.responses import ActionResult
from moto.core.utils import unix_time
from moto.utilities.utils import get_partition

# UpdateProject's keys that BatchGetProjects describes as they are given.
_KEYS = ("description", "source", "artifacts", "environment", "cache", "timeoutInMinutes", "queuedTimeoutInMinutes",
         "sourceVersion", "logsConfig", "vpcConfig", "tags", "encryptionKey", "secondarySources", "secondaryArtifacts",
         "badgeEnabled", "concurrentBuildLimit")


def _update_project(self) -> ActionResult:
    name = self._get_param("name")
    project = self.codebuild_backend.codebuild_projects.get(name)
    if project is None:
        raise ResourceNotFoundException(
            f"Project cannot be found: arn:{get_partition(self.region)}:codebuild:{self.region}:{self.current_account}:project/{name}"
        )
    metadata = project.project_metadata
    for key in _KEYS:
        value = self._get_param(key)
        if value is not None:
            metadata[key] = value
    role = self._get_param("serviceRole")
    if role:
        if not role.startswith("arn:"):
            role = f"arn:{get_partition(self.region)}:iam::{self.current_account}:role/service-role/{role}"
        metadata["serviceRole"] = role
        project.service_role = role
    if self._get_param("tags") is not None:
        project.tags = metadata["tags"]
    metadata["lastModified"] = unix_time()
    return ActionResult({"project": metadata})


def apply() -> None:
    """Add UpdateProject."""
    CodeBuildResponse.update_project = _update_project
