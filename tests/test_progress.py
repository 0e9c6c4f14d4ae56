"""The build's progress bar: drawn on a terminal only; totals where they are cheap to know."""

from __future__ import annotations

import datetime as dt

from diplograph.model import Article, Extraction
from diplograph.progress import DateTally, build_progress, count_articles


def test_progress_counts_articles_of_json_lines_and_text_files(tmp_path):
    lines = tmp_path / "news.jsonl"
    lines.write_text('{"id": "a", "text": "x"}\n\n{"id": "b", "text": "y"}\n', encoding="utf-8")
    page = tmp_path / "one.txt"
    page.write_text("Envoys met.", encoding="utf-8")
    assert count_articles([str(lines), str(page)]) == 3
    assert count_articles([str(tmp_path)]) is None  # a folder: not counted ahead
    assert count_articles(["-"]) is None


def test_progress_is_silent_off_a_terminal(tmp_path):
    with build_progress([str(tmp_path)]) as progress:  # pytest's stderr is no terminal
        assert progress is None


def test_progress_bar_advances(tmp_path, capsys):
    lines = tmp_path / "news.jsonl"
    lines.write_text('{"id": "a", "text": "x"}\n{"id": "b", "text": "y"}\n', encoding="utf-8")
    with build_progress([str(lines)], force=True) as progress:
        for doc in ("a", "b"):
            progress(Extraction(Article(doc, "Envoys met in Rome."), (), ()))
    assert capsys.readouterr().out == ""  # the bar goes to standard error


def test_date_tally_counts_dateline_dates_and_warns_once_about_undated_articles():
    day = dt.date(2025, 3, 20)
    tally = DateTally()
    assert tally.lines() == []
    calls = []
    observe = tally.observe(lambda extraction: calls.append(extraction.article.id))
    articles = [
        Article("given", "x", published=day),
        Article("wire-1", "x", published=day, dateline="RIYADH, March 20, 2025 -"),
        Article("wire-2", "x", published=day, dateline="KYIV, March 20, 2025 -"),
        Article("yearless", "x", dateline="KYIV, March 3 (Reuters) -"),
        *(Article(f"plain-{n}", "x") for n in range(3)),
    ]
    for article in articles:
        observe(Extraction(article, (), ()))
    assert calls == [article.id for article in articles]  # the bar is still called
    dated, warning = tally.lines()
    assert dated == "2 articles dated from their dateline"
    assert warning.startswith(
        "warning: 4 of 7 articles have no publication date (yearless, plain-0, plain-1 and 1 more)"
        "; 1 has a dateline without a year and no full date near it:"
    )
    assert warning.endswith("give --published YYYY-MM-DD")


def test_date_tally_says_nothing_when_every_article_has_its_own_date():
    tally = DateTally()
    tally.observe(None)(Extraction(Article("a", "x", published=dt.date(2025, 1, 1)), (), ()))
    assert tally.lines() == []
    tally.add(Article("b", "x"))
    assert tally.lines() == [
        "warning: 1 of 2 articles has no publication date (b): their relative dates"
        ' ("on Monday") stay unresolved; give --published YYYY-MM-DD'
    ]
