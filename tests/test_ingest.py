"""Tests for diplograph.ingest: readers, boilerplate stripping, dates and coded errors."""

from __future__ import annotations

import datetime as dt
import doctest
import io
import json
import sys
from pathlib import Path

import pytest

import diplograph.ingest.boilerplate
import diplograph.ingest.dateline
import diplograph.ingest.dates
import diplograph.ingest.feeds
import diplograph.ingest.files
import diplograph.ingest.htmltext
import diplograph.ingest.plain
import diplograph.ingest.reader
from diplograph.errors import DiplographError
from diplograph.ingest import parse_date, read_articles, strip_boilerplate
from diplograph.ingest.boilerplate import load_patterns
from diplograph.ingest.dateline import dateline_date, parse_dateline
from diplograph.ingest.files import slugify
from diplograph.ingest.plain import split_title

DATA = Path(__file__).parent / "data" / "ingest"
BUNDLED = Path("/work/shared/corpus/zhao-leji-pyongyang.txt")


def read_one(path: Path, **options: object):
    articles = list(read_articles([path], **options))
    assert len(articles) == 1
    return articles[0]


def raises(code: str, *where: str):
    """Collect an expected DiplographError and check its code and the places it names."""

    class Check:
        def __enter__(self):
            self.context = pytest.raises(DiplographError)
            self.info = self.context.__enter__()
            return self.info

        def __exit__(self, *exc):
            handled = self.context.__exit__(*exc)
            assert self.info.value.code == code, str(self.info.value)
            message = str(self.info.value)
            assert message.startswith(f"{code}: ")
            assert "\n" not in message
            for part in where:
                assert part in message, message
            return handled

    return Check()


# strip_boilerplate


@pytest.mark.parametrize(
    "line",
    [
        "Post a Comment",
        "Previous Post Next Post",
        "Newer Post Older Post",
        "Contact Form",
        "Share this article",
        "Share this article: Facebook | Twitter | WhatsApp | Email",
        "Share on Facebook",
        "Share on X",
        "Facebook | Twitter | LinkedIn",
        "Read more: How the talks began",
        "Read more",
        "Related: Profile of the envoy | Timeline",
        "Advertisement",
        "ADVERTISEMENT",
        "- Advertisement -",
        "Subscribe to our newsletter for daily briefings",
        "Sign up for our morning email",
        "Follow us on social media",
        "Click here to watch the press conference",
        "All rights reserved.",
        "© 2024 Example Media Group",
        "Leave a comment",
        "Comments",
        "3 Comments",
        "Home",
        "Home » World » Europe",
        "Tags: diplomacy, trade",
        "Print",
        "Email",
        "https://example.org/news/story",
        "Photo: Example Agency",
        "Image: A handout picture of the talks",
        "(Reporting by A. Writer; Editing by B. Editor)",
        "(Additional reporting by C. Reporter in Geneva)",
    ],
)
def test_strip_boilerplate_drops_chrome_line(line):
    text = f"Envoys met in Geneva on Monday.\n\n{line}\n\nThey will meet again in May."
    assert (
        strip_boilerplate(text) == "Envoys met in Geneva on Monday.\n\nThey will meet again in May."
    )


@pytest.mark.parametrize(
    "line",
    [
        "SINGAPORE (Example Wire) — Ministers met on Monday.",
        "GENEVA, May 4 (Example Wire) —",
        "15:30 — The delegation left the venue.",
        "Home affairs ministers also attended the meeting.",
        "Shares in exporters rose after the announcement.",
        "Reporting by state media was limited.",
        "The talks were held at home in the capital.",
        "Related talks are planned for next month.",
        "Print media were barred from the briefing.",
        "* Ministers agree to a ceasefire",
        "Read more about the accord in the annex, "
        + " ".join(["officials"] * 20)
        + " said, adding that the text would be published.",
    ],
)
def test_strip_boilerplate_keeps_content_line(line):
    text = f"First paragraph.\n\n{line}\n\nLast paragraph."
    assert strip_boilerplate(text) == text


def test_strip_boilerplate_never_drops_long_line():
    long_line = "Share this " + " ".join(["word"] * 30)
    assert strip_boilerplate(long_line) == long_line


def test_strip_boilerplate_drops_repeated_title():
    text = "Envoys Meet  in GENEVA\n\nEnvoys met on Monday.\n\nenvoys meet in geneva"
    assert strip_boilerplate(text, "Envoys Meet in Geneva") == "Envoys met on Monday."


def test_strip_boilerplate_title_ignores_quote_style():
    text = "Minister’s visit ends\n\nThe visit ended."
    assert strip_boilerplate(text, "Minister's visit ends") == "The visit ended."


def test_strip_boilerplate_long_title_dropped():
    title = " ".join(["word"] * 30)
    assert strip_boilerplate(f"{title}\n\nBody.", title) == "Body."


def test_strip_boilerplate_normalises_whitespace():
    text = "\n\n  \nFirst line.   \nSecond line.\t\n\n\n\n\nNext paragraph.\n\n\n"
    assert strip_boilerplate(text) == "First line.\nSecond line.\n\nNext paragraph."


def test_strip_boilerplate_keeps_indentation_and_wrapping():
    text = "  Indented line\nwrapped onto two lines."
    assert strip_boilerplate(text) == text


def test_strip_boilerplate_handles_crlf():
    assert strip_boilerplate("One.\r\n\r\nShare this article\r\n\r\nTwo.") == "One.\n\nTwo."


def test_strip_boilerplate_patterns_are_data():
    resource = Path(diplograph.ingest.boilerplate.__file__).parents[1] / "resources"
    assert (resource / "boilerplate.txt").is_file()
    pattern = load_patterns("# comment\n\nshare this.*\n")
    assert pattern.fullmatch("SHARE THIS page")
    assert not pattern.fullmatch("Shares fell")


def test_strip_boilerplate_rejects_bad_pattern():
    with pytest.raises(ValueError, match=r"table.txt:2: invalid regular expression"):
        load_patterns("ok\n(unclosed\n", "table.txt")


@pytest.mark.skipif(not BUNDLED.exists(), reason="shared corpus not available")
def test_strip_boilerplate_bundled_example():
    raw = BUNDLED.read_text(encoding="utf-8")
    article = read_one(BUNDLED)
    first_line = raw.split("\n", 1)[0].strip()
    assert article.title == first_line
    assert article.id == "zhao-leji-pyongyang"
    assert first_line not in article.text
    for chrome in ("Post a Comment", "Previous Post Next Post", "Contact Form"):
        assert chrome not in article.text
    raw_paragraphs = [p.strip() for p in raw.split("\n\n") if p.strip()]
    last_real = [p for p in raw_paragraphs if len(p.split()) > 25][-1]
    assert article.text.split("\n\n")[-1] == last_real
    assert article.text == article.text.strip()
    assert len(article.text.split("\n\n")) == len(raw_paragraphs) - 5


# parse_date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-04-13", dt.date(2024, 4, 13)),
        (" 2024-04-13 ", dt.date(2024, 4, 13)),
        ("2024-04-13T08:00:00Z", dt.date(2024, 4, 13)),
        ("2024-04-13T23:30:00-05:00", dt.date(2024, 4, 13)),
        ("2024-04-13 08:00", dt.date(2024, 4, 13)),
        ("Sat, 13 Apr 2024 08:00:00 GMT", dt.date(2024, 4, 13)),
        ("13 Apr 2024 08:00:00 +0900", dt.date(2024, 4, 13)),
    ],
)
def test_parse_date_accepts(value, expected):
    assert parse_date(value, "x.jsonl:1") == expected


@pytest.mark.parametrize(
    "value", ["", "yesterday", "2024-02-30", "13/04/2024", "2024-13-01", "2024"]
)
def test_parse_date_rejects_with_location(value):
    with raises("E006", "corpus.jsonl:7", repr(value)):
        parse_date(value, "corpus.jsonl:7")


# plain text


def test_read_text_detects_title_and_strips(tmp_path):
    article = read_one(DATA / "harbour-accord.txt", published=dt.date(2024, 6, 11))
    assert article.id == "harbour-accord"
    assert article.title == "Coastal States Sign Harbour Accord in Valletta"
    assert article.published == dt.date(2024, 6, 11)
    assert article.origin == str(DATA / "harbour-accord.txt")
    paragraphs = article.text.split("\n\n")
    assert paragraphs[0].startswith("VALLETTA (Example Wire) — ")
    assert paragraphs[-1].startswith("14:05 — ")
    assert len(paragraphs) == 3
    assert "Coastal States" not in article.text
    assert not any(line != line.rstrip() for line in article.text.split("\n"))


def test_read_text_no_title_when_first_line_is_sentence(tmp_path):
    path = tmp_path / "Note 7 (Draft).txt"
    path.write_text("The envoy arrived on Monday.\n\nTalks begin today.\n", encoding="utf-8")
    article = read_one(path)
    assert article.id == "note-7-draft"
    assert article.title is None
    assert article.text == "The envoy arrived on Monday.\n\nTalks begin today."
    assert article.published is None


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Envoys Meet in Geneva\n\nBody.", "Envoys Meet in Geneva"),
        ("Envoys meet: what we know\n\nBody.", "Envoys meet: what we know"),
        ("The envoys said:\n\nBody.", None),
        ("Why did talks fail?\n\nBody.", None),
        ("Two lines\nof heading\n\nBody.", None),
        ("Only a heading\n", None),
        ("x" * 201 + "\n\nBody.", None),
        ('Minister says "no deal"\n\nBody.', 'Minister says "no deal"'),
    ],
)
def test_split_title_rules(text, title):
    assert split_title(text)[0] == title


def test_read_text_strips_bom_and_crlf(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"\xef\xbb\xbfHeadline Here\r\n\r\nBody line.\r\n")
    article = read_one(path)
    assert (article.title, article.text) == ("Headline Here", "Body line.")


def test_slugify_ids():
    assert slugify("Talks_in  Genève!") == "talks-in-geneve"
    assert slugify("urn:uuid:AB12-cd34") == "urn-uuid-ab12-cd34"


# JSON Lines and JSON


def test_read_jsonl_fields_and_origin():
    articles = list(read_articles([DATA / "wire.jsonl"], published=dt.date(2024, 1, 1)))
    assert [a.id for a in articles] == ["wire-001", "wire-002", "wire-003"]
    first, second, third = articles
    assert first.title == "Aldoria recalls ambassador from Bremia"
    assert first.source == "Example Wire"
    assert first.url == "https://news.example.org/wire-001"
    assert first.published == dt.date(2024, 3, 2)
    assert first.text == (
        "ALDOR CITY — Aldoria recalled its ambassador from Bremia on Saturday after a border "
        "incident.\n\nThe foreign ministry said the move was temporary."
    )
    assert first.origin == f"{DATA / 'wire.jsonl'}:1"
    assert second.origin.endswith("wire.jsonl:3")  # the blank line 2 is skipped
    assert second.published == dt.date(2024, 3, 5)
    assert second.title is None
    assert third.published == dt.date(2024, 1, 1)  # the argument fills a missing date only
    assert third.text == "The two governments agreed to reopen the border crossing."


def test_read_jsonl_ndjson_suffix(tmp_path):
    path = tmp_path / "feed.NDJSON"
    path.write_text('{"id": "n1", "text": "Envoys met.", "published": null}\n', encoding="utf-8")
    article = read_one(path)
    assert (article.id, article.published, article.origin) == ("n1", None, f"{path}:1")


def test_read_json_list_with_line_origins():
    articles = list(read_articles([DATA / "statements.json"]))
    assert [(a.id, a.origin.rsplit(":", 1)[1]) for a in articles] == [
        ("stmt-1", "2"),
        ("stmt-2", "8"),
    ]
    assert articles[0].published == dt.date(2024, 2, 10)
    assert articles[0].title == "Joint statement on maritime safety"


def test_read_json_single_object(tmp_path):
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"id": "one", "text": "Talks ended."}, indent=2), encoding="utf-8")
    article = read_one(path)
    assert (article.id, article.text, article.origin) == ("one", "Talks ended.", str(path))


def test_read_jsonl_stdin(monkeypatch):
    data = b'{"id": "s1", "text": "From a pipe."}\n\n{"id": "s2", "text": "Second."}\n'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    articles = list(read_articles(["-"]))
    assert [(a.id, a.origin) for a in articles] == [("s1", "<stdin>:1"), ("s2", "<stdin>:3")]


def test_read_articles_streams_jsonl(tmp_path):
    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for number in range(10_000):
            record = {"id": f"a{number}", "text": f"Article number {number} about talks."}
            handle.write(json.dumps(record) + "\n")
        handle.write("{not json\n")
    articles = read_articles([path])
    first = next(articles)  # the broken last line is not read yet
    assert first.id == "a0"
    count = 1
    with raises("E004", f"{path}:10001"):
        for _ in articles:
            count += 1
    assert count == 10_000


def test_read_articles_broken_line_yields_nothing_of_it(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        '{"id": "ok", "text": "Fine."}\n{"id": "bad", "text": "Fine.", "published": "soon"}\n',
        encoding="utf-8",
    )
    seen = []
    with raises("E006", f"{path}:2", "'soon'"):
        seen.extend(article.id for article in read_articles([path]))
    assert seen == ["ok"]


def test_read_articles_accepts_single_path():
    assert next(read_articles(DATA / "wire.jsonl")).id == "wire-001"


# HTML


def test_read_html_article_metadata_and_text():
    article = read_one(DATA / "briefing.html", published=dt.date(2000, 1, 1))
    assert article.id == "briefing"
    assert article.title == "Ministers agree on river water treaty"
    assert article.published == dt.date(2024, 5, 20)
    assert article.source == "Example Daily"
    assert article.url == "https://daily.example.org/2024/05/river-treaty"
    assert article.text == (
        "Water ministers from Corvania and Delmark agreed on Monday to share the flow of the "
        "border river under a new treaty.\n\n"
        "The treaty sets minimum flows during the dry season & creates a joint commission,\n"
        "officials said.\n\n"
        "Ratification by both parliaments is expected before the end of the year."
    )


def test_read_html_without_article_uses_body():
    article = read_one(DATA / "bulletin.htm")
    assert article.title == "Envoy visits northern islands"
    assert article.published == dt.date(2023, 11, 8)
    paragraphs = article.text.split("\n\n")
    assert paragraphs[-2].startswith("The special envoy toured")
    assert paragraphs[-1] == "She is due to report to the foreign minister next week."
    assert "Subscribe" not in article.text
    assert "Envoy visits northern islands" not in article.text


def test_read_html_main_and_fallback_date(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><meta name='date' content='not a date'></head><body>"
        "<p>Site banner</p><main><h1>Border reopens</h1><p>The border reopened.</p></main>"
        "</body></html>",
        encoding="utf-8",
    )
    article = read_one(path, published=dt.date(2024, 8, 1))
    assert (article.title, article.text) == ("Border reopens", "The border reopened.")
    assert article.published == dt.date(2024, 8, 1)


def test_read_html_bad_published_time(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(
        '<meta property="article:published_time" content="last week"><p>Envoys met.</p>',
        encoding="utf-8",
    )
    with raises("E006", str(path), "last week"):
        list(read_articles([path]))


def test_read_html_declared_charset(tmp_path):
    path = tmp_path / "latin.html"
    path.write_bytes('<meta charset="iso-8859-1"><p>Talks in Genève.</p>'.encode("iso-8859-1"))
    assert read_one(path).text == "Talks in Genève."


def test_read_html_no_text(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<html><body><nav>Home</nav><script>x()</script></body></html>")
    with raises("E017", str(path)):
        list(read_articles([path]))


# feeds


def test_read_rss_items():
    first, second = read_articles([DATA / "wire.rss"])
    assert first.id == "urn-example-wire-4411"
    assert first.title == "Corvania and Delmark open embassies"
    assert first.published == dt.date(2024, 6, 3)
    assert first.source == "Example Wire Diplomacy"
    assert first.url == "https://wire.example.org/2024/06/embassies"
    assert first.text == (
        "Corvania and Delmark opened embassies in each other's capitals on Monday.\n\n"
        "The move follows a treaty signed last year."
    )
    assert first.origin == f"{DATA / 'wire.rss'}:7"
    assert second.id == "wire-example-org-2024-06-summit-postponed"
    assert second.published == dt.date(2024, 6, 4)
    assert second.text == "The regional summit was postponed by a week, the host government said."


def test_read_atom_entries():
    first, second = read_articles([DATA / "desk.atom"], published=dt.date(2000, 1, 1))
    assert first.id == "tag-desk-example-org-2024-entry-1"
    assert first.published == dt.date(2024, 7, 1)  # published wins over updated
    assert first.url == "https://desk.example.org/trade-talks"
    assert first.text == (
        "Trade envoys from Estmark and Fallonia resumed talks on tariffs.\n\n"
        "A further round is planned for September."
    )
    assert second.title == "Ceasefire holds"
    assert second.published == dt.date(2024, 7, 2)
    assert second.text == "The ceasefire held for a third day, monitors said."
    assert second.source == "Example Desk"


def test_read_feed_sniffed_from_content(tmp_path):
    path = tmp_path / "download.dat"
    path.write_bytes((DATA / "wire.rss").read_bytes())
    assert len(list(read_articles([path]))) == 2


def test_read_feed_fallback_ids_and_default_date(tmp_path):
    path = tmp_path / "Plain Feed.xml"
    path.write_text(
        "<rss><channel><item><title>A</title><description>Talks began.</description></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    article = read_one(path, published=dt.date(2024, 9, 9))
    assert (article.id, article.published, article.source) == (
        "plain-feed-1",
        dt.date(2024, 9, 9),
        None,
    )


def test_read_feed_refuses_entities(tmp_path):
    path = tmp_path / "bomb.xml"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaa">]><rss>&a;</rss>',
        encoding="utf-8",
    )
    with raises("E016", str(path), "entity"):
        list(read_articles([path]))


# folders


def test_read_folder_walk_order(tmp_path):
    def write(relative: str, text: str) -> None:
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    write("b.txt", "Body b.")
    write("a/z.txt", "Body a/z.")
    write("a/c.jsonl", '{"id": "c1", "text": "Body c1."}\n{"id": "c2", "text": "Body c2."}\n')
    write("c.html", "<p>Body c.</p>")
    write(".hidden.txt", "Hidden file.")
    write(".git/x.txt", "Hidden folder.")
    write("notes.md", "Not an article file.")
    write("a/sub/y.txt", "Body y.")
    articles = list(read_articles([tmp_path]))
    assert [a.id for a in articles] == ["c1", "c2", "y", "z", "b", "c"]
    assert articles[0].origin == f"{tmp_path / 'a' / 'c.jsonl'}:1"


def test_read_folder_walks_lazily(tmp_path):
    (tmp_path / "a.txt").write_text("Good article.", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text("{broken", encoding="utf-8")
    articles = read_articles([tmp_path])
    assert next(articles).id == "a"
    with raises("E004", f"{tmp_path / 'b.jsonl'}:1"):
        next(articles)


def test_read_folder_empty(tmp_path):
    (tmp_path / "readme.md").write_text("Nothing here.", encoding="utf-8")
    with raises("E010", str(tmp_path)):
        list(read_articles([tmp_path]))


# errors


def test_read_articles_missing_path_raises_at_call(tmp_path):
    missing = tmp_path / "nowhere.jsonl"
    with raises("E001", str(missing)):
        read_articles([DATA / "wire.jsonl", missing])


@pytest.mark.parametrize(
    ("name", "content", "code", "where"),
    [
        ("empty.txt", b"", "E002", ""),
        ("blank.jsonl", b"\n  \n\n", "E002", ""),
        ("blank.html", b"   \n", "E002", ""),
        ("blank.rss", b"\n", "E002", ""),
        ("binary.txt", b"GIF89a\x00\x01\x02", "E003", "byte 6"),
        ("binary.jsonl", b'{"id": "a", "text": "Talks."}\n\x00\x00', "E003", "byte 30"),
        ("latin.txt", "Genève talks".encode("latin-1"), "E009", ""),
        ("latin.jsonl", '{"id": "a", "text": "Genève"}\n'.encode("latin-1"), "E009", "line 1"),
        ("bad.jsonl", b'{"id": "a", "text": "Talks."}\n{"id": "b", "text": \n', "E004", ":2:"),
        ("bad.json", b'[\n {"id": "a", "text": "Talks."},\n {"id": }\n]', "E004", ":3:"),
        ("trailing.json", b'{"id": "a", "text": "Talks."} {}', "E004", "extra data"),
        ("notext.jsonl", b'{"id": "a", "title": "T"}\n', "E005", ":1:"),
        ("noid.json", b'[{"text": "Talks."}]', "E005", "'id'"),
        ("textnum.jsonl", b'\n{"id": "a", "text": 5}\n', "E014", ":2:"),
        ("idnum.jsonl", b'{"id": 7, "text": "Talks."}\n', "E014", "'id'"),
        ("titlelist.jsonl", b'{"id": "a", "text": "Talks.", "title": ["T"]}\n', "E014", "'title'"),
        (
            "datenum.jsonl",
            b'{"id": "a", "text": "Talks.", "published": 20240413}\n',
            "E014",
            "published",
        ),
        (
            "baddate.jsonl",
            b'{"id": "a", "text": "Talks.", "published": "13/04/2024"}\n',
            "E006",
            ":1:",
        ),
        ("list.jsonl", b'["not", "an", "object"]\n', "E019", ":1:"),
        (
            "dup.jsonl",
            b'{"id": "a", "text": "Talks."}\n{"id": "a", "text": "More talks."}\n',
            "E015",
            ":2:",
        ),
        (
            "chrome.jsonl",
            b'{"id": "a", "text": "Share this article\\n\\nAdvertisement"}\n',
            "E017",
            ":1:",
        ),
        ("chrome.txt", b"Post a Comment\n\nContact Form\n", "E017", ""),
        ("broken.rss", b"<rss><channel><item></channel></rss>", "E016", "line 1"),
        ("page.xml", b"<urlset><url>x</url></urlset>", "E018", "urlset"),
        (
            "baddate.atom",
            b'<feed xmlns="http://www.w3.org/2005/Atom">\n<entry><id>e</id>'
            b"<updated>someday</updated><content>Text.</content></entry></feed>",
            "E006",
            ":2",
        ),
        (
            "notext.rss",
            b"<rss><channel>\n<item><guid>g</guid></item></channel></rss>",
            "E017",
            ":2",
        ),
    ],
)
def test_read_articles_error(tmp_path, name, content, code, where):
    path = tmp_path / name
    path.write_bytes(content)
    with raises(code, str(path), where):
        list(read_articles([path]))


def test_read_articles_duplicate_across_files(tmp_path):
    (tmp_path / "one.jsonl").write_text('{"id": "x", "text": "First."}\n', encoding="utf-8")
    other = tmp_path / "two.json"
    other.write_text('{"id": "x", "text": "Second."}', encoding="utf-8")
    with raises("E015", str(other), f"{tmp_path / 'one.jsonl'}:1"):
        list(read_articles([tmp_path / "one.jsonl", other]))


def test_read_articles_rejects_non_date_published():
    with pytest.raises(TypeError):
        read_articles([DATA / "wire.jsonl"], published="2024-01-01")


# datelines: an undated article takes its date from the dateline that opens it

DATELINES = [
    # text, (place, agency, month, day, year)
    ("WASHINGTON (AP) \u2014 The envoys met.", ("WASHINGTON", "AP", None, None, None)),
    ("KYIV, March 3 (Reuters) - Talks resumed.", ("KYIV", "Reuters", 3, 3, None)),
    ("WASHINGTON, Jan. 5 (Reuters) - Talks resumed.", ("WASHINGTON", "Reuters", 1, 5, None)),
    ("PARIS, March 3, 2025 (AFP) - France said.", ("PARIS", "AFP", 3, 3, 2025)),
    ("BEIJING, Jan. 2 (Xinhua) -- China said.", ("BEIJING", "Xinhua", 1, 2, None)),
    ("BEIJING, March 20, 2025 -- China said.", ("BEIJING", None, 3, 20, 2025)),
    ("RIYADH, March 20 Saudi officials said.", ("RIYADH", None, 3, 20, None)),
    ("LONDON, 3 March (Reuters) - Britain said.", ("LONDON", "Reuters", 3, 3, None)),
    ("UNITED NATIONS, Sept. 12 (AP) \u2014 The UN met.", ("UNITED NATIONS", "AP", 9, 12, None)),
    ("GAZA CITY, Gaza Strip (AP) \u2014 Crowds gathered.", ("GAZA CITY", "AP", None, None, None)),
    ("NEW YORK, Oct. 31st, 2024 \u2014 Envoys met.", ("NEW YORK", None, 10, 31, 2024)),
    ("Pyongyang, March 3 (KCNA) -- Kim Jong-un said.", ("Pyongyang", "KCNA", 3, 3, None)),
    ("\n  SEOUL, May 1 (Yonhap) -- Seoul said.", ("SEOUL", "Yonhap", 5, 1, None)),
    (
        "BOGOTÁ (Southern Cone Wire) \u2014 Colombians voted.",
        ("BOGOTÁ", "Southern Cone Wire", None, None, None),
    ),
    ("ST. PETERSBURG, Russia, June 3 (AP) \u2014 x", ("ST. PETERSBURG", "AP", 6, 3, None)),
]
NOT_DATELINES = [
    "The envoys met in Geneva on Monday.",
    "The envoys met. BEIJING, Jan. 2 (Xinhua) -- China said.",  # later in the body
    "China and Russia signed a pact on March 3.",
    "US officials said on March 3 that talks would go on.",
    "NATO allies agreed to meet.",
    "NOTE: this story was updated.",
    "UPDATE - talks resumed.",
    "Beijing, March 3 China said.",  # a place in lower case needs an agency and a dash
    "Washington (AP) \u2014 The envoys met.",
    "Kim Jong-un met Putin, March 3 (KCNA) -- more.",
    "U.S. officials said talks would go on.",
]


@pytest.mark.parametrize(("text", "expected"), DATELINES)
def test_dateline_parses_wire_service_styles(text, expected):
    line = parse_dateline(text)
    assert line is not None
    assert (line.place, line.agency, line.month, line.day, line.year) == expected
    assert text.lstrip().startswith(line.text)


@pytest.mark.parametrize("text", NOT_DATELINES)
def test_dateline_only_opens_an_article(text):
    assert parse_dateline(text) is None


def test_dateline_year_comes_from_a_full_date_near_it():
    line = parse_dateline("KYIV, Jan. 2 (Reuters) - Talks resumed.")
    assert dateline_date(line, "The truce of Dec. 30, 2024 held.") == dt.date(2025, 1, 2)
    assert dateline_date(line, "The truce of 28 December 2024 held.") == dt.date(2025, 1, 2)
    assert dateline_date(line, "The truce of 2025-01-01 held.") == dt.date(2025, 1, 2)
    # a far date (the 2018 summit, a deal of June 2023) settles nothing
    assert dateline_date(line, "The summit of June 12, 2018 failed; the 2023 deal too.") is None
    # the nearest full date wins
    both = "Deals of Jan. 1, 2025 and of Feb. 1, 2024."
    assert dateline_date(line, both) == dt.date(2025, 1, 2)
    # a dateline with its own year does not look further; a day that does not exist is none
    assert dateline_date(parse_dateline("KYIV, Feb. 30, 2025 - x"), "") is None


def test_read_articles_dates_an_undated_article_from_its_dateline(tmp_path):
    wire = tmp_path / "wire.txt"
    wire.write_text(
        "Envoys Meet in Riyadh\n\nRIYADH, March 20, 2025 (Reuters) - Envoys met on Monday.\n",
        encoding="utf-8",
    )
    article = read_one(wire)
    assert article.published == dt.date(2025, 3, 20)
    assert article.dateline == "RIYADH, March 20, 2025 (Reuters) -"
    # --published keeps its word; a date of the record's own too
    given = read_one(wire, published=dt.date(2025, 3, 1))
    assert (given.published, given.dateline) == (dt.date(2025, 3, 1), None)
    record = tmp_path / "wire.jsonl"
    line = {"id": "r", "published": "2025-03-21", "text": "RIYADH, March 20, 2025 - Envoys met."}
    record.write_text(json.dumps(line) + "\n", encoding="utf-8")
    assert (read_one(record).published, read_one(record).dateline) == (dt.date(2025, 3, 21), None)


def test_read_articles_keeps_a_yearless_dateline_undated(tmp_path):
    wire = tmp_path / "wire.txt"
    wire.write_text("KYIV, March 3 (Reuters) - Envoys met on Monday.\n", encoding="utf-8")
    article = read_one(wire)
    assert (article.published, article.dateline) == (None, "KYIV, March 3 (Reuters) -")
    wire.write_text(
        "KYIV, March 3 (Reuters) - Envoys met on Monday, after the truce of Feb. 27, 2025.\n",
        encoding="utf-8",
    )
    assert read_one(wire).published == dt.date(2025, 3, 3)
    plain = tmp_path / "plain.txt"
    plain.write_text("Envoys met on Monday. KYIV, March 3, 2025 - more.\n", encoding="utf-8")
    assert (read_one(plain).published, read_one(plain).dateline) == (None, None)


# documented examples


@pytest.mark.parametrize(
    "module",
    [
        diplograph.ingest.boilerplate,
        diplograph.ingest.dateline,
        diplograph.ingest.dates,
        diplograph.ingest.feeds,
        diplograph.ingest.files,
        diplograph.ingest.htmltext,
        diplograph.ingest.plain,
        diplograph.ingest.reader,
    ],
)
def test_ingest_doctests(module):
    result = doctest.testmod(module)
    assert result.attempted and not result.failed


def test_datelines_of_the_dev_corpus_never_contradict_its_dates(shared_dir):
    """The dev corpus with its publication dates taken away: every date a dateline gives is
    the one the corpus gives; year-less datelines with no full date near them stay undated."""
    from dataclasses import replace

    from diplograph.ingest.dateline import date_from_dateline

    path = shared_dir / "corpus" / "dev.jsonl"
    outcomes = []
    for article in read_articles([path]):
        dated = date_from_dateline(replace(article, published=None))
        if dated.published is not None:
            assert dated.published == article.published, dated.dateline
        outcomes.append((dated.published is not None, dated.dateline is not None))
    assert outcomes.count((True, True)) >= 1  # "Asmara, July 9, 2018 (HPA) –"
    assert outcomes.count((False, True)) >= 1  # "BEIJING, March 10 (...) --": no year
