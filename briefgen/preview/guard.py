"""The preview's front door: only this machine's own names as Host, no foreign Origin, a token.

An ASGI middleware (not a per-route check) so no route can forget it. The Host check stops DNS
rebinding (a hostile page whose name resolves to 127.0.0.1); the Origin check stops other
pages in the user's browser from posting to the API; the token stops other local users and
programs that cannot read the URL the user was given.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from starlette.types import ASGIApp, Receive, Scope, Send

TOKEN_HEADER = "x-briefgen-token"
LOOPBACK_NAMES = ("127.0.0.1", "localhost")


@dataclass
class Gate:
    """What the guard admits; `port` is set once the socket is bound (it may be chosen then)."""

    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    port: int = 0
    extra_hosts: tuple[str, ...] = ()  # a --host other than loopback

    def hosts(self) -> set[str]:
        names: Iterable[str] = (*LOOPBACK_NAMES, *self.extra_hosts)
        return {f"{_bracketed(name)}:{self.port}" for name in names}

    def origins(self) -> set[str]:
        return {f"http://{host}" for host in self.hosts()}

    def token_ok(self, offered: str | None) -> bool:
        return offered is not None and secrets.compare_digest(offered, self.token)


def _bracketed(name: str) -> str:
    return f"[{name}]" if ":" in name else name


class GuardMiddleware:
    def __init__(self, app: ASGIApp, gate: Gate) -> None:
        self.app = app
        self.gate = gate

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        refusal = self.refusal(scope, headers)
        if refusal is None:
            await self.app(scope, receive, send)
            return
        body = json.dumps({"error": refusal}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 403,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    def refusal(self, scope: Scope, headers: dict[str, str]) -> str | None:
        if headers.get("host", "").lower() not in self.gate.hosts():
            return "this server answers only to its own address (Host)"
        origin = headers.get("origin")
        if origin is not None and origin.lower() not in self.gate.origins():
            return "requests from other sites are refused (Origin)"
        if scope["path"].startswith("/api/"):
            query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
            offered = headers.get(TOKEN_HEADER) or next(iter(query.get("token", [])), None)
            if not self.gate.token_ok(offered):
                return "missing or wrong token: open the URL briefgen preview printed"
        return None
