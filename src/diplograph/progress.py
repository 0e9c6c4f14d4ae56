"""What ``build`` reports: a progress bar (articles done, words per second, time left; on a
terminal only) and, at the end, how the articles were dated."""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from diplograph.model import Article, Extraction

#: undated articles a warning names before it says how many more there are
NAMED_UNDATED = 3


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


class DateTally:
    """How the built articles were dated: counted with :meth:`add`, told by :meth:`lines`."""

    def __init__(self) -> None:
        self.articles = 0
        self.from_dateline = 0
        self.undated: list[str] = []
        self.yearless = 0  # undated, though a dateline named the day (no year known)

    def add(self, article: Article) -> None:
        """Count one article."""
        self.articles += 1
        if article.published is not None:
            self.from_dateline += article.dateline is not None
            return
        self.undated.append(article.id)
        self.yearless += article.dateline is not None

    def lines(self) -> list[str]:
        """At most two lines for standard error: the articles dated from their dateline, and
        one warning naming the undated ones (a few, then how many more)."""
        out = []
        if self.from_dateline:
            plural = "s" if self.from_dateline != 1 else ""
            out.append(f"{self.from_dateline} article{plural} dated from their dateline")
        if self.undated:
            count = len(self.undated)
            names = ", ".join(self.undated[:NAMED_UNDATED])
            if count > NAMED_UNDATED:
                names += f" and {count - NAMED_UNDATED} more"
            reason = ""
            if self.yearless:
                reason = (
                    f"; {self.yearless} {'has' if self.yearless == 1 else 'have'} a dateline"
                    " without a year and no full date near it"
                )
            out.append(
                f"warning: {count} of {self.articles} article{'s' if self.articles != 1 else ''}"
                f" {'has' if count == 1 else 'have'} no publication date ({names}){reason}:"
                ' their relative dates ("on Monday") stay unresolved; give --published YYYY-MM-DD'
            )
        return out

    def observe(
        self, progress: Callable[[Extraction], None] | None
    ) -> Callable[[Extraction], None]:
        """A ``progress`` callback for ``api.build`` that counts, then calls ``progress``."""

        def observed(extraction: Extraction) -> None:
            self.add(extraction.article)
            if progress is not None:
                progress(extraction)

        return observed


__all__ = ["DateTally", "build_progress", "count_articles"]
