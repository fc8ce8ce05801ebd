"""Idempotency tokens (``ClientToken``) of EC2 create calls, as AWS honours them; shared by the ec2_*_client_token
additions (a private helper: not an addition itself).

AWS: "If you retry an API request with the same client token and the same parameters after it has completed
successfully, the result of the original request is returned. If you retry a request with the same client token,
but change one or more of the API parameters, the IdempotentParameterMismatch error is returned." Tokens are scoped
to the account and region. The emulator keeps them until ``/moto-api/reset`` (AWS: at least 24 hours).

Reference: https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-idempotency.html
"""

import functools

from moto.ec2.exceptions import EC2ClientError

# Request parameters that are not the request's arguments.
_NOT_ARGUMENTS = ("Action", "Version", "ClientToken")
_STORE = "_atelier_client_tokens"


class IdempotentParameterMismatch(EC2ClientError):
    def __init__(self) -> None:
        super().__init__(
            "IdempotentParameterMismatch",
            "Arguments on this idempotent request are inconsistent with arguments used in previous request(s).",
        )


def _arguments(querystring: dict) -> tuple:
    return tuple(sorted((k, tuple(v)) for k, v in querystring.items() if k not in _NOT_ARGUMENTS))


def idempotent(create):
    """Wrap an EC2 response method so that a ClientToken seen before in the account and region returns the first
    call's result (the same resource, in its state now) and a token seen with other arguments is refused."""

    @functools.wraps(create)
    def wrapper(self):
        token = self._get_param("ClientToken")
        if not token:
            return create(self)
        seen = self.ec2_backend.__dict__.setdefault(_STORE, {})
        key = (create.__name__, token)
        arguments = _arguments(self.querystring)
        if key in seen:
            first_arguments, result = seen[key]
            if first_arguments != arguments:
                raise IdempotentParameterMismatch()
            return result
        result = create(self)
        seen[key] = (arguments, result)
        return result

    wrapper.atelier_original = create
    return wrapper
