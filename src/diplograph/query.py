"""Run SPARQL over graph files: named queries, bindings, and result formats."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from rdflib import Dataset, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.query import Result

from diplograph.errors import error
from diplograph.rdf.io import read_graphs
from diplograph.vocab import ONTOLOGY_IRI, ontology_graph

RESULT_FORMATS = ("table", "json", "csv", "tsv")


def open_dataset(paths: Iterable[str | Path]) -> Dataset:
    """Graph files plus the ontology (in its own named graph) so queries see the class tree."""
    dataset = read_graphs(paths)
    ontology = dataset.graph(URIRef(ONTOLOGY_IRI))
    for triple in ontology_graph():
        ontology.add(triple)
    return dataset


def named_queries() -> dict[str, str]:
    """The bundled named queries, by name (file stem), internal ones (``_*``) excluded."""
    folder = resources.files("diplograph") / "queries"
    return {
        entry.name[:-3]: entry.read_text("utf-8")
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".rq") and not entry.name.startswith("_")
    }


def internal_query(name: str) -> str:
    return (resources.files("diplograph") / "queries" / f"_{name}.rq").read_text("utf-8")


def named_query(name: str) -> str:
    queries = named_queries()
    if name not in queries:
        raise error("E012", name=name, choices=", ".join(queries))
    return queries[name]


def run_query(dataset: Dataset, text: str, bindings: dict[str, str] | None = None) -> Result:
    """Evaluate SPARQL; values in ``bindings`` are bound as literals, never pasted into text."""
    init = {name: Literal(value) for name, value in (bindings or {}).items()}
    try:
        prepared = prepareQuery(text, initNs=dict(dataset.namespaces()))
    except Exception as exc:  # pyparsing and rdflib raise several types
        raise error("E013", detail=" ".join(str(exc).split())[:300]) from None
    try:
        result = dataset.query(prepared, initBindings=init)
        if result.type == "SELECT":
            result.bindings  # noqa: B018  (rdflib evaluates lazily: fail here, not later)
    except Exception as exc:
        raise error("E022", detail=" ".join(str(exc).split())[:300]) from None
    return result


def _cell(value) -> str:
    return "" if value is None else str(value)


def format_result(result: Result, fmt: str = "table") -> str:
    """SELECT results as an aligned table, SPARQL JSON, CSV or TSV; ASK as true/false;
    CONSTRUCT and DESCRIBE as Turtle."""
    if result.type == "ASK":
        return ("true" if result.askAnswer else "false") + "\n"
    if result.type in {"CONSTRUCT", "DESCRIBE"}:
        return result.graph.serialize(format="turtle")
    if fmt == "json":
        return result.serialize(format="json").decode() + "\n"
    if fmt == "csv":
        return result.serialize(format="csv").decode()
    if fmt == "tsv":
        return _tsv(result)
    names = [str(v) for v in result.vars]
    rows = [[_cell(row[v]) for v in result.vars] for row in result]
    widths = [max([len(n), *(len(r[i]) for r in rows)]) for i, n in enumerate(names)]
    widths = [min(w, 60) for w in widths]

    def line(cells: list[str]) -> str:
        return " | ".join(
            (c if len(c) <= w else c[: w - 1] + "\u2026").ljust(w)
            for c, w in zip(cells, widths, strict=True)
        ).rstrip()

    out = [line(names), "-+-".join("-" * w for w in widths)]
    out.extend(line(r) for r in rows)
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def _tsv(result: Result) -> str:
    """SPARQL 1.1 TSV: ``?name`` headers, terms in Turtle syntax (rdflib has no TSV writer)."""

    def term(value) -> str:
        if value is None:
            return ""
        return value.n3().replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")

    lines = ["\t".join(f"?{v}" for v in result.vars)]
    lines.extend("\t".join(term(row[v]) for v in result.vars) for row in result)
    return "\n".join(lines) + "\n"


def _csv_value(value) -> object:
    if isinstance(value, list):
        return "|".join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def rows_to_csv(rows: list[dict], columns: list[str], delimiter: str = ",") -> str:
    """Rows of dicts as CSV; list values joined with ``|``, booleans as ``true``/``false``."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _csv_value(v) for k, v in row.items()})
    return buffer.getvalue()


def rows_to_jsonl(rows: list[dict]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
