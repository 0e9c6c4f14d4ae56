"""The HTTP adapter: read a request, route it, write the :class:`Response`.

Routes:

    GET  /                      the query page
    GET  /static/NAME           its script, style sheet and icon
    GET  /sparql                service description, or a query with ?query=
    POST /sparql                query= or update= (form), application/sparql-query,
                                application/sparql-update
    GET  /graphs?graph=IRI      Graph Store Protocol (also ?default); PUT, POST, DELETE
    GET  /id/PATH               linked data for https://w3id.org/diplograph/id/PATH
    GET  /ontology              the ontology, https://w3id.org/diplograph/ontology (also
                                /ontology/VERSION and /ontology.ttl, .owl, .jsonld, .nt, .html)
    GET  /network.json          nodes and edges for the picture (?from, ?to, ?undated)
    OPTIONS *                   CORS preflight
"""

from __future__ import annotations

import contextlib
import json
import logging
import traceback
from http.server import BaseHTTPRequestHandler
from importlib import resources
from urllib.parse import parse_qs, urlsplit

from diplograph import __version__
from diplograph.errors import DiplographError
from diplograph.server.errors import Refusal
from diplograph.server.html import HTML_TYPE, POLICY
from diplograph.server.network import CATEGORIES, network_response
from diplograph.server.ontology import is_ontology_path, ontology_response
from diplograph.server.response import Response, text

log = logging.getLogger("diplograph.server")

MAX_QUERY_BODY = 1 << 20  # 1 MiB: a query or an update
MAX_GRAPH_BODY = 64 << 20  # 64 MiB: a graph sent to the Graph Store Protocol
STATIC = {
    "app.js": "text/javascript; charset=utf-8",
    "app.css": "text/css; charset=utf-8",
    "icon.svg": "image/svg+xml",
}
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "X-Diplograph-Truncated, Content-Type, Link",
}
PREFLIGHT = {
    "Access-Control-Allow-Methods": "GET, HEAD, POST, PUT, DELETE, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Authorization, Content-Type",
    "Access-Control-Max-Age": "86400",
}
FORM = "application/x-www-form-urlencoded"


def _static(name: str) -> bytes:
    return (resources.files("diplograph.server") / "static" / name).read_bytes()


class Handler(BaseHTTPRequestHandler):
    """One request; the server object (``self.server``) holds the endpoint and pages."""

    protocol_version = "HTTP/1.1"
    server_version = f"diplograph/{__version__}"
    timeout = 60  # seconds a client may take to send its request

    # --- plumbing -----------------------------------------------------------------------

    def log_message(self, format: str, *args) -> None:
        log.info("%s %s", self.address_string(), format % args)

    def _send(self, response: Response, *, head: bool = False) -> None:
        self.send_response(response.status)
        headers = {**CORS, **response.headers}
        if response.content_type:
            headers["Content-Type"] = response.content_type
        headers["Content-Length"] = str(len(response.body))
        headers.setdefault("X-Content-Type-Options", "nosniff")
        if (response.content_type or "").startswith("text/html"):
            headers.setdefault("Content-Security-Policy", POLICY)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if not head and response.body:
            self.wfile.write(response.body)

    def _dispatch(self, method: str) -> None:
        self._consumed = False
        try:
            response = self._route(method)
        except Refusal as refusal:
            response = text(refusal.status, f"diplograph: {refusal.message}", refusal.headers)
        except DiplographError as exc:  # a served store folder stayed busy (E025) or broke
            busy = exc.code == "E025"
            headers = {"Retry-After": "2"} if busy else {}
            response = text(503 if busy else 500, f"diplograph: {exc.message}", headers)
        except Exception:  # the server answers and stays up, whatever one request did
            log.error("error on %s %s\n%s", method, self.path, traceback.format_exc())
            response = text(500, "diplograph: internal error; the server log has the details")
        if not self._consumed and (self.headers.get("Content-Length") or "0").strip() != "0":
            # a body left unread would be taken for the next request: close instead
            self.close_connection = True
            response.headers["Connection"] = "close"
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client left
            self._send(response, head=method == "HEAD")

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_HEAD(self) -> None:
        self._dispatch("HEAD")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def do_OPTIONS(self) -> None:
        self._send(Response(204, b"", None, dict(PREFLIGHT)))

    def _body(self, limit: int) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            raise Refusal(411, "S013", detail="send the body with a Content-Length")
        try:
            size = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise Refusal(400, "S013", detail="Content-Length is not a number") from None
        if size > limit:
            raise Refusal(413, "S011", size=size, limit=limit)
        self._consumed = True
        return self.rfile.read(size) if size > 0 else b""

    # --- routing ------------------------------------------------------------------------

    def _route(self, method: str) -> Response:
        url = urlsplit(self.path)
        params = parse_qs(url.query, keep_blank_values=True)
        path = url.path
        if method == "HEAD":
            method = "GET"
        if path == "/sparql":
            return self._sparql(method, params)
        if path == "/graphs":
            return self._graphs(method, params)
        if method != "GET":
            raise Refusal(
                405, "S013", {"Allow": "GET, HEAD, OPTIONS"}, detail=f"{method} {path}: not allowed"
            )
        if path.startswith("/id/") and len(path) > 4:
            return self.server.pages.resource(
                path[4:], accept=self.headers.get("Accept"), wanted=params.get("format", [])
            )
        if is_ontology_path(path):
            return ontology_response(
                path, accept=self.headers.get("Accept"), wanted=params.get("format", [])
            )
        if path in {"/", "/index.html"}:
            return self._index()
        if path.startswith("/static/") and path[8:] in STATIC:
            name = path[8:]
            return Response(200, _static(name), STATIC[name], {"Cache-Control": "max-age=300"})
        if path == "/network.json":
            return network_response(self.server.endpoint, params)
        if path == "/favicon.ico":
            return Response(200, _static("icon.svg"), STATIC["icon.svg"])
        raise Refusal(404, "S014", path=path)

    def _sparql(self, method: str, params: dict[str, list[str]]) -> Response:
        endpoint = self.server.endpoint
        accept = self.headers.get("Accept")
        if method == "GET":
            if "update" in params:
                raise Refusal(405, "S013", {"Allow": "POST"}, detail="send updates with POST")
            if "query" not in params:
                if not params.get("format") and _prefers_html(accept):
                    return Response(303, b"", None, {"Location": "/"})
                return endpoint.description(
                    self._endpoint_url(), accept=accept, wanted=params.get("format", [])
                )
            return self._query(params["query"], params, accept)
        if method != "POST":
            raise Refusal(405, "S013", {"Allow": "GET, POST, OPTIONS"}, detail=f"{method} /sparql")
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if media == FORM:
            body = self._body(MAX_QUERY_BODY).decode("utf-8", "replace")
            form = parse_qs(body, keep_blank_values=True)
            for name, values in params.items():  # parameters in the URL count too
                form.setdefault(name, values)
            if "update" in form and "query" in form:
                raise Refusal(400, "S013", detail="send query= or update=, not both")
            if "update" in form:
                return self._update(form["update"], form)
            if "query" in form:
                return self._query(form["query"], form, accept)
            raise Refusal(400, "S012", path="/sparql")
        if media == "application/sparql-query":
            body = self._body(MAX_QUERY_BODY).decode("utf-8", "replace")
            return self._query([body], params, accept)
        if media == "application/sparql-update":
            body = self._body(MAX_QUERY_BODY).decode("utf-8", "replace")
            return self._update([body], params)
        raise Refusal(
            415,
            "S010",
            type=media or "(none)",
            method="POST",
            path="/sparql",
            expected=f"{FORM}, application/sparql-query or application/sparql-update",
        )

    def _query(self, texts: list[str], params: dict[str, list[str]], accept: str | None):
        if len(texts) != 1:
            raise Refusal(400, "S013", detail="send exactly one query")
        return self.server.endpoint.query(
            texts[0],
            accept=accept,
            wanted=params.get("format", []),
            default_graphs=params.get("default-graph-uri", []),
            named_graphs=params.get("named-graph-uri", []),
        )

    def _update(self, texts: list[str], params: dict[str, list[str]]) -> Response:
        endpoint = self.server.endpoint
        endpoint.authorize(self.headers.get("Authorization"))
        if len(texts) != 1:
            raise Refusal(400, "S013", detail="send exactly one update")
        if params.get("using-graph-uri") or params.get("using-named-graph-uri"):
            raise Refusal(
                400, "S013", detail="using-graph-uri is not supported; put USING in the update"
            )
        return endpoint.update(texts[0], authorization=self.headers.get("Authorization"))

    def _graphs(self, method: str, params: dict[str, list[str]]) -> Response:
        endpoint = self.server.endpoint
        if "graph" in params:
            iri = params["graph"][0]
        elif "default" in params:
            iri = None
        else:
            raise Refusal(
                400, "S013", detail="name the graph: /graphs?graph=IRI or /graphs?default"
            )
        if method == "GET":
            return endpoint.get_graph(
                iri, accept=self.headers.get("Accept"), wanted=params.get("format", [])
            )
        if method in {"PUT", "POST", "DELETE"}:
            endpoint.authorize(self.headers.get("Authorization"))
            body = self._body(MAX_GRAPH_BODY) if method != "DELETE" else b""
            return endpoint.write_graph(
                method,
                iri,
                body,
                self.headers.get("Content-Type"),
                authorization=self.headers.get("Authorization"),
            )
        raise Refusal(405, "S013", {"Allow": "GET, PUT, POST, DELETE"}, detail=f"{method} /graphs")

    def _endpoint_url(self) -> str:
        host = self.headers.get("Host")
        if not host or any(c in host for c in '<>"{}|\\^` /'):
            address, port = self.server.server_address[:2]
            host = f"{address}:{port}"
        return f"http://{host}/sparql"

    def _index(self) -> Response:
        from diplograph.query import named_queries

        config = {
            "examples": named_queries(),
            "categories": list(CATEGORIES),
            "maxRows": self.server.endpoint.settings.max_rows,
            "timeout": self.server.endpoint.settings.timeout,
        }
        # JSON inside <script>: "<" escaped so no text can close the element
        data = json.dumps(config, ensure_ascii=False).replace("<", "\\u003c")
        page = _static("index.html").decode().replace("{{CONFIG}}", data)
        return Response(200, page.encode(), HTML_TYPE, {"Cache-Control": "no-store"})


def _prefers_html(accept: str | None) -> bool:
    from diplograph.server import formats

    best = formats.negotiate((formats.HTML, *formats.GRAPH_FORMATS), accept)
    return best is formats.HTML and "text/html" in (accept or "")
