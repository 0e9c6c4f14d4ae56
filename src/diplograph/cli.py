"""Command line: each command is a thin layer over one function of ``diplograph.api``."""

from __future__ import annotations

import contextlib
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup

from diplograph import __version__, api
from diplograph.errors import DiplographError
from diplograph.export import ENTITY_COLUMNS, EVENT_COLUMNS
from diplograph.guard import Limits
from diplograph.nlp.pipeline import DEFAULT_MODEL
from diplograph.propgraph import PG_FORMATS
from diplograph.push import DEFAULT_BATCH_SIZE, DEFAULT_GRAPH_PREFIX
from diplograph.push import Protocol as PushProtocol
from diplograph.query import (
    DEFAULT_CELL_WIDTH,
    KEYED,
    format_result,
    named_queries,
    rows_to_csv,
    rows_to_jsonl,
    rows_to_table,
)
from diplograph.rdf.io import FORMATS
from diplograph.rdf.store import DEFAULT_STORE

_LIMITS = Limits()  # the defaults, shown in --help


class _Argument(TyperArgument):
    """An argument shown by its metavar (``INPUTS...``, ``[GRAPHS...]``): typer's own help
    adds its Python type (``<list[str]>``) and wraps required ones in braces."""

    def _shown(self) -> str:
        name = self.metavar or (self.name or "").upper()
        return name if name.endswith("...") or self.nargs == 1 else f"{name}..."

    def display_type_rich(self, ctx) -> str | None:
        return None

    def make_metavar(self, *args) -> str:
        return self._shown()

    def get_usage_pieces(self, ctx) -> list[str]:
        return [self._shown() if self.required else f"[{self._shown()}]"]


#: an option's metavar, by the type label typer would show (``<int range>``: ``int``)
_METAVARS = {"str": "TEXT", "int": "INTEGER", "float": "NUMBER", "path": "PATH"}


def _metavar(label: str) -> str:
    """``<str>`` -> ``TEXT``, ``<int range>`` -> ``INTEGER``, ``<list[str]>`` -> ``TEXT``,
    ``<table|json>`` -> ``[table|json]``."""
    label = label.strip("<>").split()[0] if label.strip("<>") else ""
    while label.startswith("list[") and label.endswith("]"):
        label = label[5:-1]
    if "|" in label:
        return f"[{label}]"
    return _METAVARS.get(label, label.upper() or "VALUE")


def _clean_params(params: list, ctx) -> list:
    """Flags (``--help``, ``--all``) without a metavar, the other options' in capitals
    (``TEXT``, ``[table|json]``), arguments as ``_Argument``: no typer type labels."""
    for param in params:
        if isinstance(param, TyperArgument) and not isinstance(param, _Argument):
            param.__class__ = _Argument
        elif param.param_type_name == "option" and param.metavar is None:
            if getattr(param, "is_flag", False):
                param.metavar = ""
            elif hasattr(param, "display_type"):  # typer 0.2x labels types as <str>
                param.metavar = _metavar(param.display_type(ctx) or "")
    return params


class _Command(TyperCommand):
    def get_params(self, ctx) -> list:
        return _clean_params(super().get_params(ctx), ctx)


class _Group(TyperGroup):
    def get_params(self, ctx) -> list:
        return _clean_params(super().get_params(ctx), ctx)


app = typer.Typer(
    name="diplograph",
    help="Turn diplomacy news into a linked-data knowledge graph, and query it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=_Group,
)


class ResultFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    tsv = "tsv"


ExportFormat = Enum(
    "ExportFormat",
    {**{suffix[1:]: suffix[1:] for suffix in FORMATS}, **{name: name for name in PG_FORMATS}},
    type=str,
)


class TableFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    table = "table"


WidthOption = Annotated[
    int | None,
    typer.Option(
        "--width",
        min=1,
        metavar="N",
        help=f"Cut table cells at N characters, ending in … (default {DEFAULT_CELL_WIDTH}).",
    ),
]
FullOption = Annotated[
    bool, typer.Option("--full", help="Show table cells whole, however long (no cutting).")
]


def _cell_width(width: int | None, full: bool, fmt: str) -> int | None:
    """The cell width of ``--format table`` output: ``--width N``, none for ``--full``."""
    if width is not None and full:
        _fail("give --width N or --full, not both")
    if (width is not None or full) and fmt != "table":
        _fail(f"--width and --full shape --format table, not --format {fmt}")
    return None if full else width or DEFAULT_CELL_WIDTH


def _write_rows(rows: list[dict], columns: list[str], fmt: TableFormat, width: int | None):
    if fmt is TableFormat.jsonl:
        sys.stdout.write(rows_to_jsonl(rows))
    elif fmt is TableFormat.csv:
        sys.stdout.write(rows_to_csv(rows, columns))
    else:
        sys.stdout.write(rows_to_table(rows, columns, width))


def _fail(message: str, code: int = 2) -> None:
    typer.echo(f"diplograph: error: {message}", err=True)
    raise typer.Exit(code)


def _run(function, *args, **kwargs):
    try:
        return function(*args, **kwargs)
    except DiplographError as exc:
        _fail(exc.message, exc.exit_code)
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
        metavar="DIR",
        help=f"Store folder (an Oxigraph database); default {DEFAULT_STORE} when no file is given.",
    ),
]


EndpointOption = Annotated[
    str | None,
    typer.Option(
        "--endpoint",
        metavar="URL",
        help="A remote SPARQL endpoint to query instead (SPARQL 1.1 Protocol).",
    ),
]
UserOption = Annotated[
    str | None,
    typer.Option(
        "--user",
        metavar="USER",
        envvar="DIPLOGRAPH_USER",
        help="User name, for Basic or Digest auth.",
    ),
]
PasswordOption = Annotated[
    str | None,
    typer.Option(
        "--password",
        metavar="PASSWORD",
        envvar="DIPLOGRAPH_PASSWORD",
        help="Password (or DIPLOGRAPH_PASSWORD).",
    ),
]


def _endpoint(url: str | None, user: str | None, password: str | None) -> api.Endpoint | None:
    return None if url is None else api.Endpoint(url, user=user, password=password)


@app.command(cls=_Command)
def build(
    inputs: Annotated[
        list[str],  # str, not Path: "-" (standard input) must reach read_articles as "-"
        typer.Argument(
            metavar="INPUT...",
            help="Articles: .txt, .jsonl, .json, .html, feeds, folders; - for stdin.",
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", metavar="FILE", help="Graph file: .ttl .trig .nq .nt .jsonld .rdf"
        ),
    ] = None,
    store: StoreOption = None,
    model: Annotated[
        str, typer.Option(metavar="PIPELINE", help="Installed spaCy pipeline to use.")
    ] = DEFAULT_MODEL,
    published: Annotated[
        str | None,
        typer.Option(
            metavar="YYYY-MM-DD",
            help="Publication date for articles without one (else read from their dateline).",
        ),
    ] = None,
    jobs: Annotated[
        int, typer.Option(min=1, metavar="N", help="Processes that parse and read (one per core).")
    ] = 1,
    scheduler: Annotated[
        str | None,
        typer.Option(
            metavar="ADDRESS",
            help="A Dask scheduler (tcp://HOST:PORT) whose workers parse and read.",
        ),
    ] = None,
) -> None:
    """Read articles and write their knowledge graph: into a store (default) or a file.

    In a store each article is its own named graph, committed as it is read:
    building an article again replaces it, and a bad article stops the build
    with the articles before it kept. On a terminal a progress bar shows the
    articles done, words per second and the time left.

    An article without a publication date (and no --published) is dated from a
    dateline that opens it ("KYIV, March 3, 2025 (Reuters) -"); a dateline without a
    year takes it from a date the article writes in full within 45 days of it. The
    build then says how many were dated so, and warns once about those left undated.
    """
    from diplograph.ingest import parse_date
    from diplograph.progress import DateTally, build_progress

    if output is not None and store is not None:
        _fail("give -o FILE or --store DIR, not both")
    date = _run(parse_date, published, "--published") if published else None
    target = output if output is not None else store or DEFAULT_STORE
    dates = DateTally()
    try:
        with build_progress(inputs) as bar:
            count = api.build(
                inputs,
                output,
                store=store,
                model=model,
                published=date,
                jobs=jobs,
                scheduler=scheduler,
                progress=dates.observe(bar),
            )
    except DiplographError as exc:
        _fail(exc.message, exc.exit_code)
    except KeyboardInterrupt:
        if output is not None:
            _fail("interrupted; nothing was written", 130)
        _fail(f"interrupted; {target} keeps the articles committed before", 130)
    typer.echo(f"{count} article{'s' if count != 1 else ''} -> {target}", err=True)
    for line in dates.lines():
        typer.echo(line, err=True)


@app.command(cls=_Command)
def query(
    graphs: Annotated[
        list[str] | None,
        typer.Argument(metavar="GRAPH...", help="Graph files to query (or --store)."),
    ] = None,
    text: Annotated[
        str | None, typer.Option("--query", "-q", metavar="SPARQL", help="SPARQL query text.")
    ] = None,
    file: Annotated[
        Path | None, typer.Option("--file", "-f", metavar="FILE", help="File holding the query.")
    ] = None,
    named: Annotated[
        str | None,
        typer.Option(
            "--named", "-n", metavar="NAME", help="A bundled query: " + ", ".join(named_queries())
        ),
    ] = None,
    bind: Annotated[
        list[str] | None,
        typer.Option(
            "--bind", "-b", metavar="NAME=VALUE", help="A value bound as a literal; repeatable."
        ),
    ] = None,
    fmt: Annotated[
        ResultFormat, typer.Option("--format", help="Result format.")
    ] = ResultFormat.table,
    limit: Annotated[
        int | None,
        typer.Option("--limit", help="Page size of a paged query (the bundled lists: 100 events)."),
    ] = None,
    offset: Annotated[
        int | None,
        typer.Option("--offset", help="How many of a paged query to skip (next page: 100)."),
    ] = None,
    all_rows: Annotated[
        bool, typer.Option("--all", help="Every row of a paged query, not one page.")
    ] = False,
    after: Annotated[
        str | None,
        typer.Option(
            "--after",
            metavar="KEY",
            help="The page after the row of KEY (a bundled list prints it for its next page).",
        ),
    ] = None,
    width: WidthOption = None,
    full: FullOption = False,
    store: StoreOption = None,
    endpoint: EndpointOption = None,
    user: UserOption = None,
    password: PasswordOption = None,
    allow_outbound: Annotated[
        bool,
        typer.Option(
            help="Let the query reach other addresses and files (SERVICE, LOAD, FROM on files)."
        ),
    ] = False,
) -> None:
    """Run a SPARQL query over graph files, a store or a remote endpoint.

    The query comes from --query, --file or --named; a last positional argument
    that is not a file is taken as the query text too. Without graph files the
    store is queried (on Oxigraph's engine); with --endpoint the server answers.
    The bundled lists (all but event-counts) answer a page: the newest 100 events;
    on a store or graph files they end by printing, on stderr, the key for the next page
    ("next page: --after KEY"); --limit N gives another size, --all every row (and
    --offset N skips N, as the query text does it).
    The table format cuts cells at 60 characters: --width N for another width,
    --full to show them whole.
    """
    cells = _cell_width(width, full, fmt.value)
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
        from diplograph.ingest.files import load_text

        text = _run(load_text, file)  # E001 missing, E003 binary, E009 not UTF-8
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
    files = [Path(g) for g in graphs]
    where = {"bindings": bindings, "store": store, "endpoint": _endpoint(endpoint, user, password)}
    if named in KEYED and offset is None and not all_rows:  # a page by key, from the index
        page = _run(api.page, files, named=named, **where, after=after, limit=limit)
        sys.stdout.write(_run(format_result, page.result, fmt.value, cells))
        if page.after is not None:
            typer.echo(f"next page: --after {page.after}", err=True)
        return
    options = {"offset": offset, "limit": limit, "all_rows": all_rows, "after": after}
    result = _run(
        api.query, files, text, named=named, **where, **options, allow_outbound=allow_outbound
    )
    sys.stdout.write(_run(format_result, result, fmt.value, cells))


@app.command(cls=_Command)
def events(
    graphs: Annotated[
        list[Path] | None, typer.Argument(metavar="GRAPH...", help="Graph files (or --store).")
    ] = None,
    fmt: Annotated[TableFormat, typer.Option("--format", help="Row format.")] = TableFormat.jsonl,
    store: StoreOption = None,
    endpoint: EndpointOption = None,
    user: UserOption = None,
    password: PasswordOption = None,
    min_confidence: Annotated[
        float,
        typer.Option(
            "--min-confidence",
            min=0.0,
            max=1.0,
            help="Leave out events read with less confidence (0 lists them all).",
        ),
    ] = api.DEFAULT_MIN_CONFIDENCE,
    width: WidthOption = None,
    full: FullOption = False,
) -> None:
    """The events table: who did what to whom, where, when, how sure (gold row format).

    --format table aligns the columns for reading, cutting cells at 60 characters
    (--width N for another width, --full to show them whole).
    """
    cells = _cell_width(width, full, fmt.value)
    rows = _run(
        api.events,
        graphs or [],
        store=store,
        endpoint=_endpoint(endpoint, user, password),
        min_confidence=min_confidence,
    )
    _write_rows(rows, EVENT_COLUMNS, fmt, cells)


@app.command(cls=_Command)
def entities(
    graphs: Annotated[
        list[Path] | None, typer.Argument(metavar="GRAPH...", help="Graph files (or --store).")
    ] = None,
    fmt: Annotated[TableFormat, typer.Option("--format", help="Row format.")] = TableFormat.jsonl,
    store: StoreOption = None,
    endpoint: EndpointOption = None,
    user: UserOption = None,
    password: PasswordOption = None,
    width: WidthOption = None,
    full: FullOption = False,
) -> None:
    """The entities table: each actor and place every article names.

    --format table aligns the columns for reading, cutting cells at 60 characters
    (--width N for another width, --full to show them whole).
    """
    cells = _cell_width(width, full, fmt.value)
    rows = _run(
        api.entities, graphs or [], store=store, endpoint=_endpoint(endpoint, user, password)
    )
    _write_rows(rows, ENTITY_COLUMNS, fmt, cells)


@app.command(cls=_Command)
def export(
    graphs: Annotated[
        list[Path] | None, typer.Argument(metavar="GRAPH...", help="Graph files (or --store).")
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            metavar="FILE",
            help="Graph file: .nq .trig .ttl .nt .jsonld .rdf (a folder for --format neo4j)",
        ),
    ] = None,
    store: StoreOption = None,
    fmt: Annotated[
        ExportFormat | None,
        typer.Option("--format", help="Format; without -o the graph goes to standard output."),
    ] = None,
) -> None:
    """Write graph files, or every article of a store, to one graph file or standard output.

    The format follows the suffix (or --format); nq streams from a store in constant memory,
    the bulk path into a triple store's loader (see docs/push.md). --format graphml, neo4j
    (a folder of neo4j-admin import CSVs), cypher (Neo4j, Memgraph, FalkorDB) or
    ladybug-cypher (LadybugDB, Kùzu) write a property graph of the actors, events, posts and
    evidence sentences instead (see docs/property-graphs.md).
    """
    value = fmt.value if fmt is not None else None
    written = _run(api.export, graphs or [], output, store=store, fmt=value)
    source = ", ".join(map(str, graphs)) if graphs else store or DEFAULT_STORE
    typer.echo(f"{source} -> {written or 'standard output'}", err=True)


@app.command(cls=_Command)
def push(
    graphs: Annotated[
        list[Path] | None,
        typer.Argument(metavar="GRAPH...", help="Graph files to push (or --store)."),
    ] = None,
    endpoint: Annotated[
        str,
        typer.Option(
            "--endpoint",
            metavar="URL",
            help="The graph store (gsp) or update (update) service: http://HOST:PORT/PATH.",
        ),
    ] = ...,
    store: StoreOption = None,
    protocol: Annotated[
        PushProtocol,
        typer.Option(help="gsp: one PUT per graph; update: DROP + INSERT DATA batches."),
    ] = PushProtocol.gsp,
    query_endpoint: Annotated[
        str | None,
        typer.Option(help="Query service that reads the push manifest (update; default: same)."),
    ] = None,
    user: UserOption = None,
    password: PasswordOption = None,
    graph_prefix: Annotated[
        str, typer.Option(help="Name article graphs PREFIX + article id on the server.")
    ] = DEFAULT_GRAPH_PREFIX,
    batch_size: Annotated[
        int, typer.Option(min=1, help="Triples per INSERT DATA request (update).")
    ] = DEFAULT_BATCH_SIZE,
    ontology: Annotated[
        bool, typer.Option(help="Push the ontology too, into its own graph.")
    ] = True,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would be sent; send nothing.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Send every graph, even those the server has.")
    ] = False,
    timeout: Annotated[
        float, typer.Option(min=0.1, help="Seconds to wait for each answer.")
    ] = 60.0,
) -> None:
    """Push graph files or a store into a triple store (SPARQL 1.1 Graph Store or Update).

    Each article goes into its own named graph, replacing what was there; graphs the server
    already holds unchanged are skipped, so a run after a failure resumes.
    """
    if graphs and store is not None:
        _fail("give graph files or --store DIR, not both")
    remote = api.Remote(
        endpoint,
        protocol,
        query_endpoint=query_endpoint,
        user=user,
        password=password,
        timeout=timeout,
    )
    with _progress_bar() as progress:
        report = _run(
            api.push,
            graphs or [],
            store=store,
            remote=remote,
            graph_prefix=graph_prefix,
            ontology=ontology,
            batch_size=batch_size,
            dry_run=dry_run,
            force=force,
            progress=progress,
        )
    if dry_run:
        for planned in report.graphs:
            verb = "unchanged" if planned.unchanged else "send"
            typer.echo(f"{verb}\t<{planned.target}>\t{planned.label}\t{planned.triples}")
    typer.echo(_push_summary(report, endpoint), err=True)


def _push_summary(report, endpoint: str) -> str:
    graphs = len(report.graphs)
    if report.dry_run:
        return (
            f"dry run: would send {graphs - report.skipped} of {graphs} graphs to {endpoint} "
            f"({report.skipped} unchanged); nothing was sent"
        )
    rate = f", {report.triples_sent / report.seconds:,.0f} triples/s" if report.sent else ""
    return (
        f"{report.sent} graph{'s' if report.sent != 1 else ''} sent "
        f"({report.triples_sent:,} triples{rate}), {report.skipped} unchanged, "
        f"to {endpoint} in {report.seconds:.1f} s"
    )


@contextlib.contextmanager
def _progress_bar():
    """A progress callback for ``push``: a bar on a terminal, nothing otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("pushing", total=None)

        def advance(planned, done: int, total: int, state: str) -> None:
            bar.update(task, completed=done, total=total, description=planned.label[:40])

        yield advance


@app.command(cls=_Command)
def remove(
    doc_ids: Annotated[
        list[str],
        typer.Argument(
            metavar="DOC_ID...",
            help="Ids of the articles to take out (as built; not file names).",
        ),
    ],
    store: Annotated[
        Path | None,
        typer.Option(
            "--store",
            metavar="DIR",
            help=f"Store folder to take them from; default {DEFAULT_STORE}.",
        ),
    ] = None,
) -> None:
    """Take articles out of a store by their ids, not by file (all or none: every id must
    be in the store). An id is a JSON or feed article's id, a text file's name without
    its suffix; the store's ids are in the doc column of: diplograph entities."""
    count = _run(api.remove, doc_ids, store=store)
    typer.echo(
        f"{count} article{'s' if count != 1 else ''} removed from {store or DEFAULT_STORE}",
        err=True,
    )


@app.command(cls=_Command)
def serve(
    graphs: Annotated[
        list[str] | None,
        typer.Argument(metavar="GRAPH...", help="Graph files to serve (loaded into memory)."),
    ] = None,
    store: Annotated[
        Path | None,
        typer.Option("--store", metavar="DIR", help="An Oxigraph store folder to serve instead."),
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
    workers: Annotated[
        int, typer.Option(min=0, help="Worker processes for queries (0: threads, unstoppable).")
    ] = 4,
    max_memory: Annotated[
        int, typer.Option(min=1, metavar="MIB", help="Memory a query's worker may take, MiB.")
    ] = 2048,
    max_query_chars: Annotated[
        int, typer.Option(min=1, help="Longest query text.")
    ] = _LIMITS.max_chars,
    max_query_depth: Annotated[
        int, typer.Option(min=1, help="Deepest nesting of groups, brackets and parentheses.")
    ] = _LIMITS.max_depth,
    max_triple_patterns: Annotated[
        int, typer.Option(min=1, help="Most triple patterns in a query.")
    ] = _LIMITS.max_triples,
    max_unions: Annotated[
        int, typer.Option(min=0, help="Most UNIONs in a query.")
    ] = _LIMITS.max_unions,
    max_subqueries: Annotated[
        int, typer.Option(min=0, help="Most subqueries in a query.")
    ] = _LIMITS.max_subqueries,
    max_path_closures: Annotated[
        int, typer.Option(min=0, help="Most property-path closures (* or +) in a query.")
    ] = _LIMITS.max_closures,
    max_negated_closures: Annotated[
        int, typer.Option(min=0, help="Most closures over a negated property set, (!p)*.")
    ] = _LIMITS.max_negated_closures,
    max_operators: Annotated[
        int, typer.Option(min=1, help="Most operator signs (+ - * / | ^ ! && = < >) in a query.")
    ] = _LIMITS.max_operators,
) -> None:
    """Serve a SPARQL endpoint, linked-data pages and a query page over graphs or a store."""
    from diplograph.server import serve as serve_graphs

    limits = Limits(
        max_chars=max_query_chars,
        max_depth=max_query_depth,
        max_triples=max_triple_patterns,
        max_unions=max_unions,
        max_subqueries=max_subqueries,
        max_closures=max_path_closures,
        max_negated_closures=max_negated_closures,
        max_operators=max_operators,
    )

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
            workers=workers,
            max_memory=max_memory,
            limits=limits,
        )
    except OSError as exc:
        _fail(f"cannot listen on {host}:{port} ({exc.strerror or exc})")


if __name__ == "__main__":  # pragma: no cover
    app()
