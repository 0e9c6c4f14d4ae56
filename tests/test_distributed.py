"""Scale-out: a build on a Dask cluster (a LocalCluster of two worker processes here) gives
the graph the single-process build gives."""

from __future__ import annotations

import json

import pytest

from conftest import EXAMPLE, EXAMPLE_PUBLISHED, SHARED

pytestmark = pytest.mark.model


def _articles(tmp_path):
    """Six articles: the shared development corpus's first ones, else the bundled example
    under six ids."""
    corpus = SHARED / "corpus" / "dev.jsonl"
    if corpus.is_file():
        lines = corpus.read_text("utf-8").splitlines()[:6]
    else:
        text = EXAMPLE.read_text("utf-8")
        published = EXAMPLE_PUBLISHED.isoformat()
        lines = [
            json.dumps({"id": f"example-{i}", "text": text, "published": published})
            for i in range(6)
        ]
    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as local:
        yield local.scheduler_address


def test_distributed_build_equals_the_single_process_build(tmp_path, cluster, monkeypatch):
    from diplograph import api, distributed

    monkeypatch.setattr(distributed, "BATCH_SIZE", 2)  # three tasks: both workers get some
    articles = _articles(tmp_path)
    here, there = tmp_path / "here.nq", tmp_path / "there.nq"
    assert api.build([articles], here) == 6
    assert api.build([articles], there, scheduler=cluster) == 6
    assert there.read_bytes() == here.read_bytes()
    # both workers had batches, and each loaded the pipeline once
    with distributed_client(cluster) as client:
        loads = client.run(_pipeline_loads)
    assert sorted(loads.values()) == [1, 1]


def _pipeline_loads() -> int:
    from diplograph.nlp.pipeline import _load_pipeline

    return _load_pipeline.cache_info().misses


def distributed_client(address):
    from distributed import Client

    return Client(address, set_as_default=False)


def test_distributed_build_into_a_store(tmp_path, cluster):
    from diplograph import api
    from diplograph.rdf import store

    articles = _articles(tmp_path)
    api.build([articles], store=tmp_path / "one", jobs=1)
    api.build([articles], store=tmp_path / "many", scheduler=cluster)
    with store.reading(tmp_path / "one") as one, store.reading(tmp_path / "many") as many:
        assert sorted(map(str, store.data_quads(one))) == sorted(map(str, store.data_quads(many)))


def test_distributed_scheduler_not_there_is_a_clear_error(tmp_path, monkeypatch):
    from diplograph import api, distributed
    from diplograph.errors import DiplographError

    monkeypatch.setattr(distributed, "CONNECT_TIMEOUT", 1)
    with pytest.raises(DiplographError) as caught:
        api.build([_articles(tmp_path)], tmp_path / "x.nq", scheduler="tcp://127.0.0.1:9")
    assert caught.value.code == "E041"
    assert not (tmp_path / "x.nq").exists()


def test_distributed_jobs_and_scheduler_not_both(tmp_path):
    from diplograph import api
    from diplograph.errors import DiplographError

    with pytest.raises(DiplographError) as caught:
        api.build([_articles(tmp_path)], tmp_path / "x.nq", jobs=2, scheduler="tcp://x:1")
    assert caught.value.code == "E043"
