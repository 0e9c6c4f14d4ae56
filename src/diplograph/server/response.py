"""What a handler answers: a status, a body and its headers."""

from __future__ import annotations

from dataclasses import dataclass, field

TEXT_PLAIN = "text/plain; charset=utf-8"


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str | None = TEXT_PLAIN
    headers: dict[str, str] = field(default_factory=dict)


def text(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """A plain-text answer (errors say ``diplograph: ...`` on one line)."""
    return Response(status, (message.rstrip("\n") + "\n").encode(), TEXT_PLAIN, headers or {})
