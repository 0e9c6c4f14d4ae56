"""Read and write graph files by suffix; writes are atomic (all or nothing)."""

from __future__ import annotations

import contextlib
import glob
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from rdflib import Dataset, Graph

from diplograph.errors import error
from diplograph.vocab import bind_prefixes

#: suffix -> (rdflib format, keeps named graphs)
FORMATS: dict[str, tuple[str, bool]] = {
    ".ttl": ("longturtle", False),
    ".trig": ("trig", True),
    ".nq": ("nquads", True),
    ".nt": ("nt", False),
    ".jsonld": ("json-ld", True),
    ".rdf": ("xml", False),
    ".owl": ("xml", False),
    ".xml": ("xml", False),
}
PARSE_FORMATS = {".ttl": "turtle", ".rdf": "xml", ".owl": "xml", ".xml": "xml"}


def output_format(path: Path) -> tuple[str, bool]:
    """The rdflib format and whether named graphs survive, for an output path."""
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise error(
            "E008", path=path, suffix=path.suffix or "(none)", choices=", ".join(FORMATS)
        ) from None


def union_graph(dataset: Dataset) -> Graph:
    """Every triple of every named graph, in one graph, added in sorted order."""
    graph = bind_prefixes(Graph())
    for triple in sorted({(s, p, o) for s, p, o, _ in dataset.quads((None, None, None, None))}):
        graph.add(triple)
    return graph


def _sorted_dataset(dataset: Dataset) -> Dataset:
    copy = bind_prefixes(Dataset(default_union=True))
    quads = sorted(
        (s, p, o, g.identifier if hasattr(g, "identifier") else g)
        for s, p, o, g in dataset.quads((None, None, None, None))
    )
    for s, p, o, g in quads:
        copy.graph(g).add((s, p, o))
    return copy


def serialize(dataset: Dataset, path: Path) -> bytes:
    """The dataset in the format of ``path``'s suffix, deterministic for the same input."""
    rdf_format, named = output_format(path)
    if rdf_format in {"nquads", "nt"}:
        source = dataset if rdf_format == "nquads" else union_graph(dataset)
        text = source.serialize(format=rdf_format)
        lines = sorted({line for line in text.splitlines() if line.strip()})
        return ("\n".join(lines) + "\n").encode() if lines else b""
    if rdf_format == "json-ld":
        return _canonical_json(_sorted_dataset(dataset).serialize(format=rdf_format))
    if rdf_format == "xml":
        # rdflib's RDF/XML writer walks subjects in hash order: hand it a sorted view
        graph = bind_prefixes(_SortedGraph())
        graph += union_graph(dataset)
        return graph.serialize(format=rdf_format, encoding="utf-8")
    if rdf_format == "trig":
        return _sorted_trig(dataset)
    if named:
        data = _sorted_dataset(dataset).serialize(format=rdf_format, encoding="utf-8")
    else:
        data = union_graph(dataset).serialize(format=rdf_format, encoding="utf-8")
    return data


def _sorted_trig(dataset: Dataset) -> bytes:
    """TriG with the named graphs in IRI order (rdflib's writer follows hash order)."""
    by_graph: dict[str, list] = {}
    for s, p, o, g in dataset.quads((None, None, None, None)):
        name = g.identifier if hasattr(g, "identifier") else g
        by_graph.setdefault(str(name), []).append((s, p, o, name))
    prefixes: set[str] = set()
    blocks = []
    for name in sorted(by_graph):
        single = bind_prefixes(Dataset())
        for s, p, o, graph in sorted(by_graph[name]):
            single.graph(graph).add((s, p, o))
        lines = single.serialize(format="trig").splitlines()
        prefixes.update(line for line in lines if line.startswith("@prefix"))
        body = "\n".join(line for line in lines if not line.startswith("@prefix"))
        blocks.append(body.strip("\n"))
    if not blocks:
        return b""
    return ("\n".join(sorted(prefixes)) + "\n\n" + "\n\n".join(blocks) + "\n").encode()


class _SortedGraph(Graph):
    """A graph whose subjects and predicate-objects come out sorted (for RDF/XML)."""

    def subjects(self, predicate=None, object=None, unique=False):
        return iter(sorted(set(super().subjects(predicate, object, unique=True))))

    def predicate_objects(self, subject=None, unique=False):
        return iter(sorted(set(super().predicate_objects(subject, unique=True))))


def _canonical_json(text: str) -> bytes:
    """JSON-LD with every node and value array sorted (rdflib emits them in hash order)."""

    def canonical(value):
        if isinstance(value, dict):
            return {key: item if key == "@list" else canonical(item) for key, item in value.items()}
        if isinstance(value, list):
            items = [canonical(item) for item in value]
            return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
        return value

    data = canonical(json.loads(text))
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path`` that replaces it only when the block succeeds.

    On failure nothing is left behind: not the temporary file, not the folders made for it.
    A process killed outright cannot clean up, so the temporary name holds its process id,
    and the next output to the same path removes the ones whose process is gone.
    The file gets the usual permissions (``0o666`` less the umask), not ``mkstemp``'s 0o600.

    Raises:
        DiplographError: E021 when the output cannot be written there (also a write that
            fails in the block: a full disk, say).
    """
    if path.is_dir():
        raise error("E021", path=path, detail="it is a folder")
    missing = [folder for folder in (path.parent, *path.parent.parents) if not folder.exists()]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _remove_orphans(path)
        prefix = f".{path.name}.{os.getpid()}."
        handle, name = tempfile.mkstemp(prefix=prefix, suffix=".part", dir=path.parent)
        os.close(handle)
    except OSError as exc:
        _remove_folders(missing)
        raise error("E021", path=path, detail=exc.strerror or exc) from None
    temporary = Path(name)
    succeeded = False
    try:
        try:
            yield temporary
        except OSError as exc:
            raise error("E021", path=path, detail=exc.strerror or exc) from None
        try:
            os.chmod(temporary, 0o666 & ~_umask())
            os.replace(temporary, path)
        except OSError as exc:
            raise error("E021", path=path, detail=exc.strerror or exc) from None
        succeeded = True
    finally:
        temporary.unlink(missing_ok=True)
        if not succeeded:
            _remove_folders(missing)


def _remove_orphans(path: Path) -> None:
    """Remove the temporary files of earlier outputs to ``path`` whose process has ended."""
    for orphan in path.parent.glob(f".{glob.escape(path.name)}.*.part"):
        pid = orphan.name[len(path.name) + 2 :].split(".", 1)[0]
        if pid.isdigit() and not _running(int(pid)):
            orphan.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _remove_folders(folders: list[Path]) -> None:
    """Remove folders made for an output that was not written, deepest first, if still empty."""
    for folder in folders:
        with contextlib.suppress(OSError):
            folder.rmdir()


def write_dataset(dataset: Dataset, path: Path) -> None:
    """Serialize ``dataset`` to ``path`` atomically."""
    data = serialize(dataset, path)
    with atomic_output(path) as temporary:
        temporary.write_bytes(data)


def read_graphs(paths: Iterable[str | Path]) -> Dataset:
    """Load graph files (TriG, N-Quads, Turtle, N-Triples, JSON-LD, RDF/XML) into one dataset.

    Files without named graphs go into a graph named after the file.
    """
    dataset = bind_prefixes(Dataset(default_union=True))
    for raw in paths:
        path = Path(raw)
        if not path.is_file():
            raise error("E001", path=path)
        suffix = path.suffix.lower()
        rdf_format, named = FORMATS.get(suffix, (None, False))
        if rdf_format is None:
            raise error("E008", path=path, suffix=suffix or "(none)", choices=", ".join(FORMATS))
        try:
            if named:
                dataset.parse(path, format=rdf_format)
            else:
                target = dataset.graph(path.resolve().as_uri())
                target.parse(path, format=PARSE_FORMATS.get(suffix, rdf_format))
        except Exception as exc:  # rdflib raises many parser-specific types
            detail = " ".join(str(exc).split())[:300]
            raise error("E011", path=path, detail=detail) from None
    return dataset
