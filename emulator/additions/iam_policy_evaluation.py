"""IAM policies evaluated per resource, as AWS's authorization does, when enforcement is switched on.

AWS: every request is authorized for its action on the resource ARN(s) of the Service Authorization Reference's
resource types for that action (a DynamoDB table or index, a secret with its random suffix, a bucket or object, a
queue, a topic, a KMS key, a parameter, a log group or stream, an IAM role), against the caller's identity-based
policies and the resource's resource-based policy: an explicit Deny in either wins, wildcards are ``*`` and ``?``,
conditions (``StringEquals``, ``ArnLike``, ``...IfExists``, ``ForAnyValue:``, ...) on the request context
(``aws:RequestTag``, ``aws:ResourceTag``, ``aws:PrincipalArn``, ...).

moto 5.2.5, with ``INITIAL_NO_AUTH_ACTION_COUNT`` reached: ``BaseResponse.call_action`` (moto/core/responses.py)
authorizes most services against the resource ``"*"`` (only SQS, IAM roles and S3 have a ``_determine_resource``),
so a statement scoped to a table's or a secret's ARN never allows anything; ``IAMPolicyStatement._match``
(moto/iam/access_control.py) turns the pattern into a regex without escaping it (``?`` is a regex quantifier, ``.``
any character) and matches actions case-sensitively; a condition that does not hold makes the statement an explicit
Deny (``is_action_permitted`` returns DENIED) even in an Allow statement; ``NotResource``, ``IfExists``,
``ForAnyValue``, resource-based policies other than trust policies, and key policies are not evaluated; a refusal is
an XML ``AccessDenied`` whatever the service's protocol.

This addition puts ``emulator.iam``'s evaluator in force when ``POST /_atelier/iam {"enforce": true}`` switches
enforcement on (the middleware authenticates and authorizes each request before moto sees it; see
``emulator.authorization`` for the resources per service and ``emulator.policy`` for the evaluation). Disabled,
the same switch turns moto's own enforcement on.

Reference: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html,
https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
"""

from emulator import iam


def apply() -> None:
    """Let ``/_atelier/iam`` switch this evaluator on instead of moto's."""
    iam.ENFORCER.evaluator_installed = True
