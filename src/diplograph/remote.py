"""A thin client of the SPARQL 1.1 protocols: Query, Update and the Graph Store HTTP Protocol.

Standard library only (``urllib``), with HTTP Basic and Digest authentication. Every failure
is a coded ``DiplographError`` that names the address and what the server answered:
unreachable (E031), credentials refused (E032), any other 4xx or 5xx (E033).

>>> SparqlClient("http://127.0.0.1:7878/query").url
'http://127.0.0.1:7878/query'
"""

from __future__ import annotations

import base64
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from diplograph.errors import DiplographError, Errors, error

#: what a SELECT or ASK asks for, and a CONSTRUCT or DESCRIBE
RESULTS_JSON = "application/sparql-results+json"
NTRIPLES = "application/n-triples"
ACCEPT_ANY = (
    f"{RESULTS_JSON}, application/sparql-results+xml;q=0.9, {NTRIPLES};q=0.9, text/turtle;q=0.8"
)


class HttpError(DiplographError):
    """The server answered with an error status (``status``): E032 for 401, else E033."""

    def __init__(self, code: str, message: str, status: int) -> None:
        super().__init__(code, message)
        self.status = status


@dataclass(frozen=True)
class Answer:
    """What the server sent back: status, media type (without parameters) and body."""

    status: int
    media_type: str
    body: bytes


class SparqlClient:
    """Talks to one endpoint URL: a query, update or graph store service (or all three).

    Args:
        url: the service's address (``http://host:8890/sparql-auth``, ``http://host/store``).
        user, password: credentials, sent only when the server asks (401) in the scheme it
            asks for, Digest or Basic; later requests carry them at once.
        timeout: seconds to wait for the server on each request.

    Raises:
        DiplographError: E035 when ``url`` is not an http(s) address.
    """

    def __init__(
        self,
        url: str,
        *,
        user: str | None = None,
        password: str | None = None,
        timeout: float = 60.0,
    ) -> None:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise error("E035", url=url)
        self.url = url
        self.timeout = timeout
        handlers: list[urllib.request.BaseHandler] = []
        if user is not None:
            handlers.append(_Auth(url, user, password or ""))
        self._opener = urllib.request.build_opener(*handlers)

    # SPARQL 1.1 Protocol
    def query(self, text: str, accept: str = ACCEPT_ANY) -> Answer:
        """Send a query (POST, form-encoded); the answer in the first media type it can give."""
        return self._send("POST", self.url, _form(query=text), _FORM, accept, "running a query")

    def update(self, text: str, *, action: str = "running an update") -> None:
        """Send a SPARQL Update (POST, form-encoded); ``action`` names it in errors."""
        self._send("POST", self.url, _form(update=text), _FORM, "*/*", action)

    # SPARQL 1.1 Graph Store HTTP Protocol
    def put_graph(self, graph: str, turtle: bytes, *, action: str | None = None) -> None:
        """Replace the named graph ``graph`` by ``turtle`` (N-Triples is Turtle too)."""
        self._send(
            "PUT",
            self._graph_url(graph),
            turtle,
            "text/turtle; charset=utf-8",
            "*/*",
            action or f"writing graph <{graph}>",
        )

    def get_graph(self, graph: str) -> bytes | None:
        """The named graph ``graph`` as N-Triples, or None when the store has no such graph."""
        try:
            answer = self._send(
                "GET", self._graph_url(graph), None, None, NTRIPLES, f"reading graph <{graph}>"
            )
        except HttpError as exc:
            if exc.status == 404:
                return None
            raise
        return answer.body

    def delete_graph(self, graph: str) -> None:
        """Remove the named graph ``graph`` (a missing graph is no error)."""
        try:
            self._send("DELETE", self._graph_url(graph), None, None, "*/*", f"removing <{graph}>")
        except HttpError as exc:
            if exc.status != 404:
                raise

    def _graph_url(self, graph: str) -> str:
        separator = "&" if urllib.parse.urlsplit(self.url).query else "?"
        return self.url + separator + urllib.parse.urlencode({"graph": graph})

    def _send(
        self,
        method: str,
        url: str,
        body: bytes | None,
        content_type: str | None,
        accept: str,
        action: str,
    ) -> Answer:
        request = urllib.request.Request(url, data=body, method=method)
        request.add_header("Accept", accept)
        if content_type:
            request.add_header("Content-Type", content_type)
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                media_type = response.headers.get_content_type()
                return Answer(response.status, media_type, response.read())
        except urllib.error.HTTPError as exc:
            raise _http_error(self.url, exc, action) from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            raise error("E031", url=self.url, action=action, detail=_reason(reason)) from None


_FORM = "application/x-www-form-urlencoded"


def _form(**fields: str) -> bytes:
    return urllib.parse.urlencode(fields).encode("ascii")


def _reason(reason: object) -> str:
    if isinstance(reason, socket.timeout | TimeoutError):
        return "no answer in time"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, socket.gaierror):
        return "unknown host"
    text = getattr(reason, "strerror", None) or str(reason)
    return " ".join(str(text).split())[:200] or type(reason).__name__


def _http_error(url: str, exc: urllib.error.HTTPError, action: str) -> HttpError:
    try:
        body = exc.read()
    except OSError:
        body = b""
    if exc.code == 401:
        return HttpError("E032", Errors.E032.format(url=url, action=action), 401)
    status = f"{exc.code} {exc.reason}".strip()
    html = exc.headers.get_content_type() in {"text/html", "application/xhtml+xml"}
    detail = _summary(body, html=html) or "(no message)"
    message = Errors.E033.format(url=url, action=action, status=status, detail=detail)
    return HttpError("E033", message, exc.code)


def _summary(body: bytes, *, html: bool) -> str:
    """The server's error text on one line (markup stripped from HTML), at most 300 characters."""
    import re

    text = body.decode("utf-8", "replace")
    if html:
        text = re.sub(r"<(script|style|head)\b.*?</\1>", " ", text, flags=re.S | re.I)
        text = re.sub(r"<[^>]+>", " ", text)
    return " ".join(text.split())[:300]


class _Auth(urllib.request.BaseHandler):
    """HTTP Basic or Digest, whichever the server's 401 asks for (Digest when it offers both).

    After the first challenge every request carries the answer at once, so a request body is
    not sent twice (urllib's own handlers send every request first without credentials).
    """

    handler_order = 480  # before urllib's default error handler

    def __init__(self, url: str, user: str, password: str) -> None:
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, url, user, password)
        self._digest = urllib.request.HTTPDigestAuthHandler(manager)
        self._basic = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        self._challenge: dict[str, str] | None = None
        self._scheme: str | None = None

    def _authorization(self, request: urllib.request.Request) -> str | None:
        if self._scheme == "basic":
            return self._basic
        if self._scheme == "digest" and self._challenge is not None:
            answer = self._digest.get_authorization(request, self._challenge)
            return f"Digest {answer}" if answer else None
        return None

    def http_request(self, request: urllib.request.Request) -> urllib.request.Request:
        authorization = self._authorization(request)
        if authorization:
            request.add_unredirected_header("Authorization", authorization)
        return request

    https_request = http_request

    def http_error_401(self, request, fp, code, msg, headers):
        if getattr(request, "_diplograph_retried", False):
            return None  # refused with fresh credentials: the default handler raises 401
        challenges = headers.get_all("WWW-Authenticate") or []
        digest = next((c for c in challenges if c.lower().startswith("digest ")), None)
        basic = next((c for c in challenges if c.lower().startswith("basic")), None)
        if digest is not None:
            self._scheme = "digest"
            items = urllib.request.parse_http_list(digest[len("digest ") :])
            self._challenge = urllib.request.parse_keqv_list(items)
        elif basic is not None:
            self._scheme = "basic"
        else:
            return None
        fp.read()
        fp.close()
        request._diplograph_retried = True  # type: ignore[attr-defined]
        return self.parent.open(request, timeout=request.timeout)


__all__ = ["ACCEPT_ANY", "NTRIPLES", "RESULTS_JSON", "Answer", "HttpError", "SparqlClient"]
