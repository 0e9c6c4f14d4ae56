"""The build's progress bar: articles done, words per second, time left; on a terminal only."""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from diplograph.model import Extraction


def count_articles(inputs: Iterable[str]) -> int | None:
    """How many articles ``inputs`` hold, when that is cheap to know: JSON Lines files (their
    non-blank lines) and one-article files (.txt, .html). None for folders, feeds, JSON files
    and standard input (the bar then shows no total and no time left)."""
    total = 0
    for raw in inputs:
        path = Path(raw)
        suffix = path.suffix.lower()
        if raw == "-" or not path.is_file():
            return None
        if suffix in {".jsonl", ".ndjson"}:
            with path.open("rb") as handle:
                total += sum(1 for line in handle if line.strip())
        elif suffix in {".txt", ".html", ".htm"}:
            total += 1
        else:
            return None
    return total


@contextlib.contextmanager
def build_progress(
    inputs: Iterable[str], *, force: bool = False
) -> Iterator[Callable[[Extraction], None] | None]:
    """A callback for ``api.build(progress=...)`` drawing a bar on standard error while the
    block runs; None (nothing drawn) when standard error is not a terminal, unless ``force``."""
    if not (force or sys.stderr.isatty()):
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    total = count_articles(list(inputs))
    columns = [
        TextColumn("building"),
        BarColumn(),
        MofNCompleteColumn() if total else TextColumn("{task.completed} articles"),
        TextColumn("{task.fields[rate]} words/s"),
        TimeElapsedColumn(),
    ]
    if total:
        columns += [TextColumn("left"), TimeRemainingColumn()]
    bar = Progress(*columns, console=Console(stderr=True), transient=True)
    task = bar.add_task("build", total=total, rate="-")
    first: list[float] = []  # when the first article came: the rate leaves start-up out
    words = 0

    def advance(extraction: Extraction) -> None:
        nonlocal words
        now = time.monotonic()
        if not first:
            first.append(now)
            bar.update(task, advance=1)
            return
        words += len(extraction.article.text.split())
        bar.update(task, advance=1, rate=f"{words / max(now - first[0], 1e-6):,.0f}")

    with bar:
        yield advance


__all__ = ["build_progress", "count_articles"]
