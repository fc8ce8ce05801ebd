"""UpdateRole changes only the fields it is given.

AWS: UpdateRole takes ``RoleName`` and, optionally, ``Description`` and ``MaxSessionDuration``; a field left out
keeps its value.

moto 5.2.5: ``IamResponse.update_role`` (moto/iam/responses.py) passes ``Description`` as None and
``MaxSessionDuration`` as 3600 when they are absent, and ``IAMBackend.update_role`` (moto/iam/models.py) stores both.
amazon.aws ``iam_role`` sends the two in separate UpdateRole calls, so setting ``max_session_duration`` erased the
``description`` set just before: the role never converged (changed=true on every run).

Reference: https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateRole.html
"""

from moto.core.responses import EmptyResult
from moto.iam.responses import IamResponse


def _update_role(self) -> EmptyResult:
    """UpdateRole: the given fields, the role's current values for the others."""
    role = self.backend.get_role(self._get_param("RoleName"))
    description = self._get_param("Description")
    max_session_duration = self._get_param("MaxSessionDuration")
    self.backend.update_role(
        role.name,
        role.description if description is None else description,
        role.max_session_duration if max_session_duration is None else max_session_duration,
    )
    return EmptyResult()


def apply() -> None:
    """Replace moto's UpdateRole handler."""
    IamResponse.update_role = _update_role
