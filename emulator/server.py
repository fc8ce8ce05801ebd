"""The emulator's WSGI application and foreground server.

moto's own server application (``DomainDispatcherApplication``, which routes each request to a service backend by
its SigV4 credential scope) sits behind ``EmulatorMiddleware``, which answers the health check, ``/_atelier/config``,
``/_atelier/faults``, ``/_atelier/iam`` and ``/_atelier/role-credentials``, adds the configured per-call latency,
refuses what IAM enforcement does not allow (``emulator.iam``), injects the fault profile's faults
(``emulator.faults``) and writes the request log. The additions in ``emulator.additions`` are applied to moto before
the first request.
"""

import io
import json
import os
import signal
import sys
import time
from pathlib import Path

import moto
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import make_server

from emulator import additions, config, faults, iam, knobs, latency
from emulator.requestlog import RequestLogWriter, describe_request

# moto's own API (reset, state dumps, dashboard) and ours are not AWS requests: they stay out of the request log.
UNLOGGED_PATH_PREFIXES = ("/moto-api", "/_atelier/")


def _read_form_body(environ: dict) -> str | None:
    """The body of a form-encoded (query protocol) request, leaving an unread copy in wsgi.input for moto."""
    if not environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
        return None
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    body = environ["wsgi.input"].read(length)
    environ["wsgi.input"] = io.BytesIO(body)
    return body.decode("utf-8", errors="replace")


class EmulatorMiddleware:
    """Answers ``/_atelier/health``, ``/_atelier/config``, ``/_atelier/faults``, ``/_atelier/iam`` and
    ``/_atelier/role-credentials`` itself and logs every other AWS request passed on to app (or answered with an
    injected fault or an IAM refusal)."""

    def __init__(self, app, request_log: RequestLogWriter):
        self.app = app
        self.request_log = request_log

    def __call__(self, environ: dict, start_response):
        path = environ.get("PATH_INFO", "")
        if path == config.HEALTH_PATH:
            body = json.dumps({"status": "ok"}).encode()
            start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        if path == knobs.CONFIG_PATH:
            return knobs.handle(environ, start_response)
        if path == faults.FAULTS_PATH:
            return faults.handle(environ, start_response)
        if path == iam.IAM_PATH:
            return iam.handle(environ, start_response)
        if path == iam.ROLE_CREDENTIALS_PATH:
            return iam.handle_role_credentials(environ, start_response)
        if path.startswith(UNLOGGED_PATH_PREFIXES):
            return self.app(environ, start_response)

        started = time.time()
        form_body = _read_form_body(environ)
        request = describe_request(environ, form_body)
        call_latency = knobs.get_float(latency.CALL_LATENCY_KNOB)
        if call_latency:
            time.sleep(call_latency / 1000)
        if iam.ENFORCER.active:
            refused = iam.handle_request(environ, start_response, request, form_body)
            if refused is not None:
                body, status, denied = refused
                self.request_log.append(started, request, status, denied=denied)
                return body
        if faults.INJECTOR.active:
            answered = faults.handle_request(
                self.app,
                environ,
                start_response,
                request,
                form_body,
                lambda status, fault: self.request_log.append(started, request, status, fault=fault),
            )
            if answered is not None:
                return answered
        statuses = []

        def recording_start_response(status: str, headers: list, exc_info=None):
            statuses.append(int(status.split(" ", 1)[0]))
            return start_response(status, headers, exc_info)

        try:
            return self.app(environ, recording_start_response)
        finally:
            self.request_log.append(started, request, statuses[-1] if statuses else 500)


class RequestHandler(MotoRequestHandler):
    """moto's request handler, without a line in the server log for each health check."""

    def log_request(self, code="-", size="-") -> None:
        if self.path != config.HEALTH_PATH:
            super().log_request(code, size)


def create_app(request_log_path: Path) -> EmulatorMiddleware:
    """moto's server application behind the emulator middleware."""
    return EmulatorMiddleware(DomainDispatcherApplication(create_backend_app), RequestLogWriter(request_log_path))


def _write_pid_file(url: str) -> None:
    pid_file = config.pid_file()
    partial = pid_file.with_suffix(".tmp")
    partial.write_text(f"{os.getpid()}\n{url}\n", encoding="utf-8")
    partial.replace(pid_file)


def _remove_own_pid_file() -> None:
    pid_file = config.pid_file()
    try:
        if pid_file.read_text(encoding="utf-8").split()[0] == str(os.getpid()):
            pid_file.unlink()
    except (FileNotFoundError, IndexError):
        pass


def _exit_on_signal(signum: int, frame) -> None:
    sys.exit(0)


def serve(host: str, port: int) -> None:
    """Apply the additions, bind host:port, write the pid file and serve until SIGTERM or SIGINT."""
    # moto builds some URLs it returns (SQS queue URLs, for example) from MOTO_PORT.
    os.environ["MOTO_PORT"] = str(port)
    config.state_dir().mkdir(parents=True, exist_ok=True)
    faults.INJECTOR.configure(faults.Profile.from_environment())
    applied = additions.apply_all()
    server = make_server(
        host, port, create_app(config.request_log_file()), threaded=True, request_handler=RequestHandler
    )
    url = config.endpoint_url(host, port)
    signal.signal(signal.SIGTERM, _exit_on_signal)
    signal.signal(signal.SIGINT, _exit_on_signal)
    _write_pid_file(url)
    print(f"atelier emulator (moto {moto.__version__}) on {url}, pid {os.getpid()}", flush=True)
    print(f"additions: {', '.join(applied) or 'none'}", flush=True)
    print(f"request log: {config.request_log_file()}", flush=True)
    if faults.INJECTOR.active:
        print(f"fault profile: {json.dumps(faults.INJECTOR.profile.as_dict())}", flush=True)
    scale = knobs.get_float(latency.SCALE_KNOB)
    if scale:
        print(f"realistic-latency profile: provisioning scale {scale:g}", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
        _remove_own_pid_file()
        print("atelier emulator stopped", flush=True)
