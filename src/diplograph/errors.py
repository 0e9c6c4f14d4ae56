"""Coded, actionable errors. Each message says what was wrong, where, and what would be right."""

from __future__ import annotations

#: Exit codes of the command line, by what went wrong (docs/errors.md).
EXIT_USAGE = 2  # the command, its options or its query: fix the command line
EXIT_INPUT = 3  # a file, a folder, a store or the data in them: fix the input
EXIT_REMOTE = 4  # a server or a cluster failed or refused: check the service

_USAGE = frozenset(
    {
        *("E007", "E008", "E012", "E013", "E029", "E034", "E035", "E038"),
        *("E039", "E040", "E042", "E043", "E044", "E045", "E046", "E049", "E050"),
        *("E052", "E053"),
    }
)
_REMOTE = frozenset(["E031", "E032", "E033", "E036", "E037", "E041"])


class DiplographError(Exception):
    """An error the user can fix; the CLI prints it on one line and exits with its
    :attr:`exit_code` (2 usage, 3 input, 4 remote service)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message

    def __reduce__(self):  # pickled whole from a worker process (build --jobs, Dask)
        return type(self), (self.code, self.message)

    @property
    def exit_code(self) -> int:
        """The command line's exit code for this error's class."""
        if self.code in _USAGE:
            return EXIT_USAGE
        if self.code in _REMOTE:
            return EXIT_REMOTE
        return EXIT_INPUT


class Errors:
    """Message templates, filled with ``str.format``; the codes are stable."""

    E001 = "{path}: no such file or folder"
    E002 = "{path}: file is empty"
    E003 = "{path}: not a text file (binary content at byte {offset})"
    E004 = "{path}:{line}: invalid JSON: {detail}"
    E005 = "{path}:{line}: article is missing the required field {field!r}"
    E006 = "{where}: invalid date {value!r}; expected an ISO date such as 2024-04-13"
    E007 = "spaCy pipeline {name!r} is not installed; installed pipelines: {installed}"
    E008 = "{path}: unsupported output format {suffix!r}; choose one of {choices}"
    E009 = "{path}: not UTF-8 text ({detail})"
    E010 = "{path}: no articles found (folder holds no .txt, .jsonl, .json, .html or feed files)"
    E011 = "{path}: cannot read RDF: {detail}"
    E012 = "unknown named query {name!r}; choose one of {choices}"
    E013 = "invalid SPARQL query: {detail}"
    E014 = "{path}:{line}: field {field!r} must be {expected}"
    E015 = "{path}: duplicate article id {id!r} (first seen at {first})"
    E016 = "{path}: not well-formed XML: {detail}"
    E017 = "{where}: article {id!r} has no text left after removing markup and boilerplate"
    E018 = (
        "{path}: not an RSS or Atom feed (root element <{root}>); "
        "expected <rss>, <rdf:RDF> or <feed>"
    )
    E019 = "{path}:{line}: expected a JSON object (one article), found {found}"
    E020 = "{path}: cannot read the file ({detail})"
    E021 = "{path}: cannot write the output ({detail})"
    E022 = "the SPARQL query failed while running: {detail}"
    E023 = "{path}: no such store; make one with: diplograph build INPUT... --store {path}"
    E024 = (
        "{path}: not a diplograph store ({detail}); give the folder a build made with "
        "--store, or an empty or new folder to build into"
    )
    E025 = (
        "store {path} is in use by another process ({who}); "
        "try again when it has finished, or use another --store folder"
    )
    E026 = "{path}: cannot open the store ({detail})"
    E027 = (
        "{path}: cannot write to the store ({detail}); "
        "the articles committed before are kept, the one being written is not"
    )
    E028 = "article {id!r} is not in store {path} ({count} articles there{hint})"
    E029 = "give graph files or --store DIR, not both"
    E030 = (
        "the store changed while the query read it: a program that does not take diplograph's "
        "locks wrote it meanwhile ({detail}); run the command again"
    )
    E031 = (
        "{url}: cannot reach the server while {action} ({detail}); "
        "check the address and that the server is running"
    )
    E032 = (
        "{url}: the server refused the credentials while {action} (HTTP 401); check --user "
        "and --password (Virtuoso: a user that writes needs the SPARQL_UPDATE role)"
    )
    E033 = "{url}: the server answered HTTP {status} while {action}: {detail}"
    E034 = (
        "--graph-prefix {value!r}: expected an absolute http(s) IRI ending in / or #, "
        "such as https://example.org/graph/"
    )
    E035 = "{url}: not an endpoint address; expected http://HOST[:PORT]/PATH or https://..."
    E036 = "{url}: cannot read the server's answer to {action} ({detail})"
    E037 = (
        "{detail}; {done} of {total} graphs are complete on the server: run the same "
        "command again to resume"
    )
    E038 = "give graph files, --store DIR or --endpoint URL: one of them, not several"
    E039 = "give -o FILE (format by suffix) or --format FORMAT to write to standard output"
    E040 = "{path}: the suffix says another format than --format {fmt}; make them agree"
    E041 = (
        "cannot reach the Dask scheduler at {address} ({detail}); start one with "
        "'dask scheduler' and workers with 'dask worker {address}', or check the address"
    )
    E042 = "Dask is not installed ({detail}); install it with: pip install 'dask[distributed]'"
    E043 = (
        "give --jobs N (processes on this machine) or --scheduler ADDRESS (a Dask cluster), "
        "not both"
    )
    E044 = (
        "{option} pages a paged query (one whose rows end with 'OFFSET K LIMIT N', as the "
        "bundled listing queries do); {detail}"
    )
    E045 = "named query {query!r} needs {missing} (--bind NAME=VALUE); {takes}"
    E046 = "named query {query!r} has no binding {unknown}; {takes}"
    E047 = "{path}: not a regular file ({kind}); give a text, JSON, HTML or feed file"
    E048 = (
        "{where}: article {id!r} is {length:,} characters, over the pipeline's limit of "
        "{limit:,}; split it into smaller articles"
    )
    E049 = "the SPARQL query is too large: {detail}"
    E050 = (
        "the SPARQL query uses {what}, which {reach}; refused by the no-outbound policy "
        "(allow it with --allow-outbound, or allow_outbound=True in diplograph.api.query)"
    )
    E051 = "{path}: no CAMEO verb blocks (lines like '--- VERB [code] ---')"
    E052 = (
        "--after {key!r} is not a page key of the named query {query!r}: give the key the "
        "previous page printed ({form}, e.g. 2024-04-13~0a1b2c3d4e5f607)"
    )
    E053 = "--after pages {what}; {detail}"
    E054 = (
        "{path}: not an event classifier model ({reason}); regenerate it with "
        "`python -m diplograph.resources.train_classifier`"
    )


def error(code: str, **values: object) -> DiplographError:
    """Build the error ``code`` (``"E004"``) with its template filled in."""
    return DiplographError(code, getattr(Errors, code).format(**values))
