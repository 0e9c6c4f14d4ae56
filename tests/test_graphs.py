"""The committed example graph is what the current code builds from the bundled article."""

from __future__ import annotations

import difflib

import pytest

from conftest import EXAMPLE, EXAMPLE_PUBLISHED, ROOT

pytestmark = pytest.mark.model

COMMITTED = ROOT / "graphs" / "zhao-leji-pyongyang.ttl"
REBUILD = (
    "diplograph build src/diplograph/resources/examples/zhao-leji-pyongyang.txt "
    "--published 2024-04-13 -o graphs/zhao-leji-pyongyang.ttl"
)


def test_graphs_example_rebuild_changes_nothing(tmp_path):
    from diplograph import api

    rebuilt = tmp_path / COMMITTED.name
    api.build([EXAMPLE], rebuilt, published=EXAMPLE_PUBLISHED)
    old = COMMITTED.read_text("utf-8").splitlines()
    new = rebuilt.read_text("utf-8").splitlines()
    diff = "\n".join(list(difflib.unified_diff(old, new, "committed", "rebuilt", lineterm=""))[:40])
    assert old == new, f"graphs/ is stale; regenerate with:\n  {REBUILD}\n{diff}"
