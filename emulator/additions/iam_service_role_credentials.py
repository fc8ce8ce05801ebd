"""A role's temporary credentials as the EC2 or ECS service hands them to an instance or a task.

AWS: a service principal (``ec2.amazonaws.com`` for an instance profile's role, ``ecs-tasks.amazonaws.com`` for a
task role, ...) assumes the role for the workload, and only if the role's trust policy allows that principal
``sts:AssumeRole``, under its conditions (``aws:SourceAccount``, ``aws:SourceArn``: the confused-deputy protection);
the workload then signs its requests with the role session's credentials, authorized against the role's policies.

moto 5.2.5: an instance profile or task role gives the workload no credentials, and ``STSBackend.assume_role``
(moto/sts/models.py) issues credentials for any role ARN, existing or not, without reading its trust policy.

This addition answers ``POST /_atelier/role-credentials`` (``emulator.iam.role_credentials``): the trust policy is
evaluated for the service principal and the source account / ARN the caller names; allowed, the answer carries the
credentials of a session of the role in moto's STS backend (so requests signed with them act as the role when
enforcement is on); refused, 403 and no credentials. Disabled, the endpoint answers 404.

Reference: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2.html,
https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html,
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html
"""

from emulator import iam


def apply() -> None:
    """Answer ``/_atelier/role-credentials``."""
    iam.ENFORCER.role_credentials_installed = True
