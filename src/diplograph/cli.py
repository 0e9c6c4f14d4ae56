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
from diplograph.rdf.store import DEFAULT_STORE

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


StoreOption = Annotated[
    Path | None,
    typer.Option(
        "--store",
        help=f"Store folder (an Oxigraph database); default {DEFAULT_STORE} when no file is given.",
    ),
]


@app.command()
def build(
    inputs: Annotated[
        list[str],  # str, not Path: "-" (standard input) must reach read_articles as "-"
        typer.Argument(help="Articles: .txt, .jsonl, .json, .html, feeds, folders; - for stdin."),
    ],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Graph file: .ttl .trig .nq .nt .jsonld .rdf"),
    ] = None,
    store: StoreOption = None,
    model: Annotated[str, typer.Option(help="Installed spaCy pipeline to use.")] = DEFAULT_MODEL,
    published: Annotated[
        str | None, typer.Option(help="Publication date (YYYY-MM-DD) for text files without one.")
    ] = None,
    jobs: Annotated[
        int, typer.Option(min=1, help="Processes that parse and read (one per core).")
    ] = 1,
    scheduler: Annotated[
        str | None,
        typer.Option(help="A Dask scheduler (tcp://HOST:PORT) whose workers parse and read."),
    ] = None,
) -> None:
    """Read articles and write their knowledge graph: into a store (default) or a file.

    In a store each article is its own named graph, committed as it is read:
    building an article again replaces it, and a bad article stops the build
    with the articles before it kept. On a terminal a progress bar shows the
    articles done, words per second and the time left.
    """
    from diplograph.ingest import parse_date
    from diplograph.progress import build_progress

    if output is not None and store is not None:
        _fail("give -o FILE or --store DIR, not both")
    date = _run(parse_date, published, "--published") if published else None
    target = output if output is not None else store or DEFAULT_STORE
    try:
        with build_progress(inputs) as progress:
            count = api.build(
                inputs,
                output,
                store=store,
                model=model,
                published=date,
                jobs=jobs,
                scheduler=scheduler,
                progress=progress,
            )
    except DiplographError as exc:
        _fail(exc.message)
    except KeyboardInterrupt:
        if output is not None:
            _fail("interrupted; nothing was written", 130)
        _fail(f"interrupted; {target} keeps the articles committed before", 130)
    typer.echo(f"{count} article{'s' if count != 1 else ''} -> {target}", err=True)


@app.command()
def query(
    graphs: Annotated[
        list[str] | None, typer.Argument(help="Graph files to query (or --store).")
    ] = None,
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
    store: StoreOption = None,
) -> None:
    """Run a SPARQL query over graph files or a store.

    The query comes from --query, --file or --named; a last positional argument
    that is not a file is taken as the query text too. Without graph files the
    store is queried (on Oxigraph's engine).
    """
    graphs = list(graphs or [])  # str, not Path: Path("... <http://x> ...") would drop a slash
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
    if graphs and store is not None:
        _fail("give graph files or --store DIR, not both")
    result = _run(
        api.query, [Path(g) for g in graphs], text, named=named, bindings=bindings, store=store
    )
    sys.stdout.write(_run(format_result, result, fmt.value))


@app.command()
def events(
    graphs: Annotated[list[Path] | None, typer.Argument(help="Graph files (or --store).")] = None,
    fmt: Annotated[TableFormat, typer.Option("--format", help="Row format.")] = TableFormat.jsonl,
    store: StoreOption = None,
) -> None:
    """The events table: who did what to whom, where, when, how sure (gold row format)."""
    rows = _run(api.events, graphs or [], store=store)
    sys.stdout.write(
        rows_to_jsonl(rows) if fmt is TableFormat.jsonl else rows_to_csv(rows, EVENT_COLUMNS)
    )


@app.command()
def entities(
    graphs: Annotated[list[Path] | None, typer.Argument(help="Graph files (or --store).")] = None,
    fmt: Annotated[TableFormat, typer.Option("--format", help="Row format.")] = TableFormat.jsonl,
    store: StoreOption = None,
) -> None:
    """The entities table: each actor and place every article names."""
    rows = _run(api.entities, graphs or [], store=store)
    sys.stdout.write(
        rows_to_jsonl(rows) if fmt is TableFormat.jsonl else rows_to_csv(rows, ENTITY_COLUMNS)
    )


@app.command()
def export(
    graphs: Annotated[list[Path] | None, typer.Argument(help="Graph files (or --store).")] = None,
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Graph file: .nq .trig .ttl .nt .jsonld .rdf")
    ] = ...,
    store: StoreOption = None,
) -> None:
    """Write graph files, or every article of a store, to one graph file.

    The format follows the suffix; .nq streams from a store in constant memory.
    """
    written = _run(api.export, graphs or [], output, store=store)
    source = ", ".join(map(str, graphs)) if graphs else store or DEFAULT_STORE
    typer.echo(f"{source} -> {written}", err=True)


@app.command()
def remove(
    doc_ids: Annotated[list[str], typer.Argument(help="Ids of the articles to take out.")],
    store: StoreOption = None,
) -> None:
    """Take articles out of a store, by id (all or none: every id must be there)."""
    count = _run(api.remove, doc_ids, store=store)
    typer.echo(
        f"{count} article{'s' if count != 1 else ''} removed from {store or DEFAULT_STORE}",
        err=True,
    )


@app.command()
def serve(
    graphs: Annotated[
        list[str] | None, typer.Argument(help="Graph files to serve (loaded into memory).")
    ] = None,
    store: Annotated[
        Path | None, typer.Option("--store", help="An Oxigraph store folder to serve instead.")
    ] = None,
    host: Annotated[
        str, typer.Option(help="Address to listen on; 127.0.0.1 answers this machine only.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port (0: any free port).")] = 8000,
    timeout: Annotated[
        float, typer.Option(min=0.1, help="Seconds a query may run before it gets 503.")
    ] = 10.0,
    max_rows: Annotated[
        int, typer.Option(min=1, help="Most rows (or triples) a result holds; past it, cut.")
    ] = 10000,
    update_token: Annotated[
        str | None,
        typer.Option(
            envvar="DIPLOGRAPH_UPDATE_TOKEN",
            help="Allow SPARQL Update and graph writes sent with 'Authorization: Bearer TOKEN'.",
        ),
    ] = None,
    allow_service: Annotated[
        bool, typer.Option(help="Let queries use SERVICE (they reach other addresses).")
    ] = False,
    allow_load: Annotated[
        bool, typer.Option(help="Let updates use LOAD (they read files and addresses).")
    ] = False,
) -> None:
    """Serve a SPARQL endpoint, linked-data pages and a query page over graphs or a store."""
    from diplograph.server import serve as serve_graphs

    if not graphs and store is None:
        _fail("give graph files (GRAPH...) or --store DIR")
    try:
        _run(
            serve_graphs,
            graphs or [],
            store=store,
            host=host,
            port=port,
            timeout=timeout,
            max_rows=max_rows,
            update_token=update_token,
            allow_service=allow_service,
            allow_load=allow_load,
        )
    except OSError as exc:
        _fail(f"cannot listen on {host}:{port} ({exc.strerror or exc})")


if __name__ == "__main__":  # pragma: no cover
    app()
