"""AWS managed policies (``arn:aws:iam::aws:policy/...``) exist, so roles can attach them.

AWS: every account sees the AWS managed policies, for example ``arn:aws:iam::aws:policy/ReadOnlyAccess`` or
``arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore``; GetPolicy answers for them and AttachRolePolicy attaches
them.

moto 5.2.5: ``IAMBackend._init_aws_policies`` (moto/iam/models.py) loads them only when
``moto.settings.load_iam_aws_managed_policies()`` is true, which by default it is not (``default_user_config``
in moto/core/config.py, or ``MOTO_IAM_LOAD_MANAGED_POLICIES``). AttachRolePolicy then failed with NoSuchEntity and
amazon.aws ``iam_role`` with ``managed_policies`` could not converge.

This addition turns moto's own loading on (its bundled copy of the AWS managed policies).

Reference: https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#aws-managed-policies
"""

from moto.core.config import default_user_config


def apply() -> None:
    """Set moto's ``iam.load_aws_managed_policies`` option before the first IAM backend is created."""
    default_user_config.setdefault("iam", {})["load_aws_managed_policies"] = True
