"""The server's refusals: each a status and a coded message that says what would work.

Codes start with ``S`` so they never collide with the library's ``E`` codes
(:mod:`diplograph.errors`); the messages are what an HTTP client reads as the body.
"""

from __future__ import annotations

from diplograph.errors import DiplographError


class Messages:
    """Message templates, filled with ``str.format``; the codes are stable."""

    S001 = "diplograph serve: give graph files or --store DIR (one of them, not both)"
    S002 = "invalid SPARQL {kind}: {detail}"
    S003 = (
        "SERVICE is disabled on this server: a query may not reach other addresses; "
        "the operator can allow it with --allow-service"
    )
    S004 = (
        "LOAD is disabled on this server: an update may not read files or addresses; "
        "the operator can allow it with --allow-load"
    )
    S005 = (
        "this server is read-only: updates and graph writes need the server to be started "
        "with --update-token TOKEN and the request to send 'Authorization: Bearer TOKEN'"
    )
    S006 = "updates and graph writes need 'Authorization: Bearer TOKEN' with the server's token"
    S007 = (
        "the query ran longer than the server's limit of {seconds:g} s (--timeout) and was "
        "abandoned; narrow it (more specific patterns, LIMIT) or ask the operator for more time"
    )
    S008 = "the server is busy: {running} queries are still running; try again in a few seconds"
    S009 = "no acceptable format for {what}: Accept was {accept!r}; this server offers {offers}"
    S010 = "unsupported request body type {type!r} for {method} {path}; send {expected}"
    S011 = "the request body is {size} bytes; the limit is {limit} bytes"
    S012 = "give a query: {path}?query=SPARQL (GET) or a POST with query= or update="
    S013 = "{detail}"
    S014 = "{path}: no such page; try / (query page), /sparql, /graphs, /id/... or /ontology"
    S015 = "no graph named <{iri}> on this server"
    S016 = "nothing is known about <{iri}> on this server"
    S017 = "the store cannot be written ({detail})"
    S018 = "the query failed while running: {detail}"
    S019 = "{param}: expected a date YYYY-MM-DD, got {value!r}"
    S020 = (
        "{what} holds more than {limit} triples, this server's limit for one answer "
        "(--max-rows {limit}); the operator can raise it (diplograph serve --max-rows N), or "
        "read the graph in pages with CONSTRUCT ... LIMIT/OFFSET at /sparql or in full with "
        "diplograph export"
    )
    S021 = "limit: expected a whole number of actors from 1 to {most}, got {value!r}"
    S022 = "from {start} is after to {end}: give a period whose start comes first"
    S023 = (
        "the query was stopped: {how}, most likely past the server's memory bound of "
        "{memory} MiB per query (--max-memory); narrow it (more specific patterns, LIMIT)"
    )
    S024 = "{detail}; send a smaller query or ask the operator to raise the limit"
    S025 = "the store folder cannot be read now: {detail}"


class Refusal(Exception):
    """A request the server answers with ``status`` and a plain-text message."""

    def __init__(self, status: int, code: str, headers: dict[str, str] | None = None, **values):
        self.status = status
        self.code = code
        self.message = getattr(Messages, code).format(**values)
        self.headers = headers or {}
        super().__init__(f"{code}: {self.message}")

    @classmethod
    def rebuilt(cls, status: int, code: str, message: str, headers: dict[str, str]) -> Refusal:
        """A refusal made elsewhere (a worker process), from its parts."""
        refusal = cls.__new__(cls)
        refusal.status, refusal.code, refusal.message = status, code, message
        refusal.headers = headers
        Exception.__init__(refusal, f"{code}: {message}")
        return refusal


def configuration_error(code: str, **values) -> DiplographError:
    """A :class:`DiplographError` (the CLI prints it and exits 2) from a server message."""
    return DiplographError(code, getattr(Messages, code).format(**values))
