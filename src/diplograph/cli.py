"""Command line: each command is a thin layer over one function of ``diplograph.api``."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from diplograph import __version__, api
from diplograph.errors import DiplographError
from diplograph.export import ENTITY_COLUMNS, EVENT_COLUMNS
from diplograph.nlp.pipeline import DEFAULT_MODEL
from diplograph.query import format_result, named_queries, rows_to_csv, rows_to_jsonl
from diplograph.rdf.io import FORMATS

app = typer.Typer(
    name="diplograph",
    help="Turn diplomacy news into a linked-data knowledge graph, and query it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class ResultFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    tsv = "tsv"


class TableFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"


def _fail(message: str, code: int = 2) -> None:
    typer.echo(f"diplograph: error: {message}", err=True)
    raise typer.Exit(code)


def _run(function, *args, **kwargs):
    try:
        return function(*args, **kwargs)
    except DiplographError as exc:
        _fail(exc.message)
    except KeyboardInterrupt:
        _fail("interrupted; nothing was written", 130)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"diplograph {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """diplograph: diplomacy news -> ontology -> RDF with provenance -> SPARQL."""


@app.command()
def build(
    inputs: Annotated[
        list[str],  # str, not Path: "-" (standard input) must reach read_articles as "-"
        typer.Argument(help="Articles: .txt, .jsonl, .json, .html, feeds, folders; - for stdin."),
    ],
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Graph file: .ttl .trig .nq .nt .jsonld .rdf")
    ],
    model: Annotated[str, typer.Option(help="Installed spaCy pipeline to use.")] = DEFAULT_MODEL,
    published: Annotated[
        str | None, typer.Option(help="Publication date (YYYY-MM-DD) for text files without one.")
    ] = None,
    jobs: Annotated[int, typer.Option(min=1, help="Parser processes.")] = 1,
) -> None:
    """Read articles and write their knowledge graph."""
    from diplograph.ingest import parse_date

    date = _run(parse_date, published, "--published") if published else None
    count = _run(api.build, inputs, output, model=model, published=date, jobs=jobs)
    typer.echo(f"{count} article{'s' if count != 1 else ''} -> {output}", err=True)


@app.command()
def query(
    graphs: Annotated[list[str], typer.Argument(help="Graph files to query.")],
    text: Annotated[str | None, typer.Option("--query", "-q", help="SPARQL query text.")] = None,
    file: Annotated[
        Path | None, typer.Option("--file", "-f", help="File holding the query.")
    ] = None,
    named: Annotated[
        str | None,
        typer.Option("--named", "-n", help="A bundled query: " + ", ".join(named_queries())),
    ] = None,
    bind: Annotated[
        list[str] | None, typer.Option("--bind", "-b", help="NAME=VALUE, bound as a literal.")
    ] = None,
    fmt: Annotated[
        ResultFormat, typer.Option("--format", help="Result format.")
    ] = ResultFormat.table,
) -> None:
    """Run a SPARQL query over graph files.

    The query comes from --query, --file or --named; a last positional argument that is
    not a file is taken as the query text too.
    """
    graphs = list(graphs)  # str, not Path: Path("... <http://x> ...") would drop a slash
    if (
        text is None
        and file is None
        and named is None
        and graphs
        and not Path(graphs[-1]).exists()
        and Path(graphs[-1]).suffix.lower() not in FORMATS
    ):
        text = graphs.pop()
    if file is not None:
        if not file.is_file():
            _fail(f"{file}: no such file or folder")
        text = file.read_text("utf-8")
    if not (text or named):
        _fail("give a query: QUERY text, --file Q.rq or --named NAME")
    bindings = {}
    for item in bind or []:
        if "=" not in item:
            _fail(f"--bind {item!r}: expected NAME=VALUE")
        name, value = item.split("=", 1)
        bindings[name.strip().lstrip("?$")] = value
    result = _run(api.query, [Path(g) for g in graphs], text, named=named, bindings=bindings)
    sys.stdout.write(_run(format_result, result, fmt.value))


@app.command()
def events(
    graphs: Annotated[list[Path], typer.Argument(help="Graph files.")],
    fmt: Annotated[TableFormat, typer.Option("--format", help="Row format.")] = TableFormat.jsonl,
) -> None:
    """The events table: who did what to whom, where, when, how sure (gold row format)."""
    rows = _run(api.events, graphs)
    sys.stdout.write(
        rows_to_jsonl(rows) if fmt is TableFormat.jsonl else rows_to_csv(rows, EVENT_COLUMNS)
    )


@app.command()
def entities(
    graphs: Annotated[list[Path], typer.Argument(help="Graph files.")],
    fmt: Annotated[TableFormat, typer.Option("--format", help="Row format.")] = TableFormat.jsonl,
) -> None:
    """The entities table: each actor and place every article names."""
    rows = _run(api.entities, graphs)
    sys.stdout.write(
        rows_to_jsonl(rows) if fmt is TableFormat.jsonl else rows_to_csv(rows, ENTITY_COLUMNS)
    )


if __name__ == "__main__":  # pragma: no cover
    app()
