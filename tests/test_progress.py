"""The build's progress bar: drawn on a terminal only; totals where they are cheap to know."""

from __future__ import annotations

from diplograph.model import Article, Extraction
from diplograph.progress import build_progress, count_articles


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
