"""One listener per port: CreateListener is idempotent, a different listener on a used port is DuplicateListener.

AWS: a load balancer has at most one listener per port. CreateListener "is idempotent ... If you attempt to create
multiple listeners with the same settings, each call succeeds" (and returns the existing listener); a listener with
other settings on a port in use fails with ``DuplicateListener`` "A listener with the specified port already
exists.", and so does ModifyListener moving a listener to a port another listener uses.

moto 5.2.5: ``ELBv2Backend.create_listener`` (moto/elbv2/models.py) tests ``if port in balancer.listeners``, but
that dict is keyed by listener ARN, so the test never matches: every call creates one more listener on the same port
(and another entry in the target group's ``LoadBalancerArns``). ``modify_listener`` changes the port unchecked.

What this addition does: wraps both methods. CreateListener on a used port returns the existing listener when its
protocol, SSL policy, default certificate and default actions are the ones asked for (tags are not compared), and
raises ``DuplicateListener`` otherwise; ModifyListener to a port used by another listener of the same load balancer
raises ``DuplicateListener``.

References: https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateListener.html
            https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_ModifyListener.html
"""

import copy

from moto.elbv2.exceptions import DuplicateListenerError
from moto.elbv2.models import ELBv2Backend, FakeAction

_ORIGINAL = {}


def _same_listener(listener, protocol, ssl_policy, certificate, actions) -> bool:
    wanted = [FakeAction(copy.deepcopy(action)).data for action in actions or []]
    return (
        listener.protocol == (protocol or "").upper()
        and (listener.ssl_policy == ssl_policy or listener.protocol not in ("HTTPS", "TLS"))
        and listener.certificate == certificate
        and [action.data for action in listener.default_actions] == wanted
    )


def _create_listener(self, load_balancer_arn, protocol, port, ssl_policy, certificate, actions, *args, **kwargs):
    balancer = self.load_balancers.get(load_balancer_arn)
    if balancer is not None and port is not None:
        for listener in balancer.listeners.values():
            if str(listener.port) == str(port):
                if _same_listener(listener, protocol, ssl_policy, certificate, actions):
                    return listener
                raise DuplicateListenerError()
    return _ORIGINAL["create_listener"](
        self, load_balancer_arn, protocol, port, ssl_policy, certificate, actions, *args, **kwargs
    )


def _modify_listener(self, arn, port=None, protocol=None, ssl_policy=None, certificates=None, actions=None):
    if port is not None:
        for balancer in self.load_balancers.values():
            if arn in balancer.listeners:
                for other in balancer.listeners.values():
                    if other.arn != arn and str(other.port) == str(port):
                        raise DuplicateListenerError()
    return _ORIGINAL["modify_listener"](self, arn, port, protocol, ssl_policy, certificates, actions)


def apply() -> None:
    """Wrap CreateListener and ModifyListener with the one-listener-per-port rule."""
    for name in ("create_listener", "modify_listener"):
        _ORIGINAL[name] = getattr(ELBv2Backend, name)
    ELBv2Backend.create_listener = _create_listener
    ELBv2Backend.modify_listener = _modify_listener
