"""Listener SslPolicy: only on HTTPS/TLS listeners, and only a policy that exists.

AWS: ``SslPolicy`` and ``Certificates`` are "[HTTPS and TLS listeners]" properties and ``AlpnPolicy`` a "[TLS
listeners]" one: DescribeListeners shows none of them for an HTTP listener. An HTTPS/TLS listener created without
``SslPolicy`` gets ELBSecurityPolicy-2016-08 (the default outside the console); an unknown policy fails CreateListener
and ModifyListener with ``SSLPolicyNotFound``. "Changing the protocol from HTTPS to HTTP, or from TLS to TCP, removes
the security policy and default certificate properties" (ModifyListener).

moto 5.2.5: ``ELBV2Response.create_listener`` (moto/elbv2/responses.py) defaults ``SslPolicy`` to
ELBSecurityPolicy-2016-08 for every protocol and passes any name unchecked, ``FakeListener.__init__``
(moto/elbv2/models.py) keeps ``alpn_policy`` as ``[]``, so an HTTP listener is described with an
``SslPolicy`` and an empty ``AlpnPolicy``; ``ELBv2Backend.modify_listener`` keeps the policy and certificates when a
listener goes from HTTPS to HTTP (the unknown-policy check exists in ModifyListener only).

What this addition does: wraps ``create_listener`` to refuse an unknown policy on HTTPS/TLS listeners (moto's
ModifyListener text, "Policy <name> not found") and to drop ``SslPolicy`` from other listeners and the empty
``AlpnPolicy`` from all; wraps ``modify_listener`` to clear the policy and certificates when the protocol becomes
HTTP/TCP and to give the default policy to a listener that becomes HTTPS/TLS without one.

References: https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateListener.html
            https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_ModifyListener.html
            https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_Listener.html
            https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
"""

from moto.elbv2.exceptions import ELBClientError
from moto.elbv2.models import ELBv2Backend
from moto.elbv2.ssl_policies import SSL_POLICIES

SECURE_PROTOCOLS = ("HTTPS", "TLS")
DEFAULT_POLICY = "ELBSecurityPolicy-2016-08"
_ORIGINAL = {}


def _tidy(listener) -> None:
    """No SslPolicy/certificates outside HTTPS/TLS; no empty AlpnPolicy."""
    if listener.protocol not in SECURE_PROTOCOLS:
        listener.ssl_policy = None
        listener.certificate = None
        listener.certificates = []
    elif not listener.ssl_policy:
        listener.ssl_policy = DEFAULT_POLICY
    if not listener.alpn_policy:
        listener.alpn_policy = None


def _create_listener(self, load_balancer_arn, protocol, port, ssl_policy, certificate, actions, *args, **kwargs):
    if (protocol or "").upper() in SECURE_PROTOCOLS and ssl_policy and ssl_policy not in SSL_POLICIES:
        raise ELBClientError("SSLPolicyNotFound", f"Policy {ssl_policy} not found")
    listener = _ORIGINAL["create_listener"](
        self, load_balancer_arn, protocol, port, ssl_policy, certificate, actions, *args, **kwargs
    )
    _tidy(listener)
    return listener


def _modify_listener(self, *args, **kwargs):
    listener = _ORIGINAL["modify_listener"](self, *args, **kwargs)
    _tidy(listener)
    return listener


def apply() -> None:
    """Wrap CreateListener and ModifyListener."""
    for name in ("create_listener", "modify_listener"):
        _ORIGINAL[name] = getattr(ELBv2Backend, name)
    ELBv2Backend.create_listener = _create_listener
    ELBv2Backend.modify_listener = _modify_listener
