"""CreateLaunchTemplate honours its idempotency token (``ClientToken``): a retried create returns the first template.

AWS: CreateLaunchTemplate takes a ``ClientToken``. Repeating the request with the same token and the same arguments
returns the launch template the first request made; the same token with other arguments is
``IdempotentParameterMismatch``. amazon.aws ``ec2_launch_template`` sends a token with every create, so a create
whose response was lost (botocore retries it) succeeds, as on AWS.

moto 5.2.5: ``LaunchTemplates.create_launch_template`` (moto/ec2/responses/launch_templates.py) ignores
``ClientToken``: the retry is ``InvalidLaunchTemplateName.AlreadyExistsException`` and the run fails.

Reference: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html
           https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-idempotency.html
"""

from moto.ec2.responses.launch_templates import LaunchTemplates

from ._client_token import idempotent

_CREATE = LaunchTemplates.create_launch_template


def apply() -> None:
    """Wrap the CreateLaunchTemplate response with the token check."""
    LaunchTemplates.create_launch_template = idempotent(_CREATE)
