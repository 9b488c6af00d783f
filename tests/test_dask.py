"""Cleaning on a real Dask cluster (worker processes); skipped when dask is not installed."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys

import pytest

from newsclean import Config, clean, clean_and_explain

PAGES = [
    f"Watch CBS News\n\nCouncil votes on budget {i}\n\nThe council approved spending plan number {i} on Tuesday, "
    f"the clerk said.\nBudget hearing highlights 02:1{i % 10}\n"
    for i in range(12)
]


def test_import_newsclean_does_not_import_dask():
    code = "import sys, newsclean, newsclean.cli; print('dask' in sys.modules, 'distributed' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_clean_and_config_are_picklable():
    cfg = Config().with_options(ignore=["NC3"], favor="recall")
    fn = pickle.loads(pickle.dumps(clean))
    again = pickle.loads(pickle.dumps(cfg))
    assert again == cfg
    assert fn(PAGES[0], again) == clean(PAGES[0], cfg)
    assert "Watch CBS News" in fn(PAGES[0], again)  # NC3 ignored travels with the config


@pytest.fixture(scope="module")
def client():
    pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(processes=True, n_workers=2, threads_per_worker=1,
                                       dashboard_address=None, silence_logs=40)
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


def test_clean_bag_on_worker_processes(client):
    import dask.bag as db

    from newsclean.dask import clean_bag

    bag = db.from_sequence(PAGES, npartitions=4)
    assert clean_bag(bag).compute() == [clean(p) for p in PAGES]
    pids = set(client.run(lambda: __import__("os").getpid()).values())
    assert len(pids) == 2
    explained = clean_bag(bag, Config().with_options(ignore=["video"]), explain=True).compute()
    assert explained[3]["text"] == clean(PAGES[3], ignore=["video"])
    assert [d["code"] for d in explained[3]["removed"]] == [d.code for d in clean_and_explain(PAGES[3], ignore=["video"]).decisions]
    assert "Budget hearing highlights" in explained[3]["text"]


def test_clean_dataframe_keeps_other_columns(client):
    import dask.dataframe as dd
    import pandas as pd

    from newsclean.dask import clean_dataframe

    frame = pd.DataFrame({"id": range(len(PAGES)), "body": PAGES})
    frame.loc[5, "body"] = None
    ddf = dd.from_pandas(frame, npartitions=3)
    out = clean_dataframe(ddf, "body", output_column="article", explain=True).compute()
    assert list(out.columns) == ["id", "body", "article", "article_newsclean"]
    assert list(out["id"]) == list(range(len(PAGES)))
    assert out.loc[0, "article"] == clean(PAGES[0])
    assert out.loc[0, "body"] == PAGES[0]
    assert pd.isna(out.loc[5, "article"])
    codes = [d["code"] for d in json.loads(out.loc[0, "article_newsclean"])["removed"]]
    assert "NC101" in codes
    assert pd.isna(out.loc[5, "article_newsclean"])
    replaced = clean_dataframe(ddf, "body").compute()
    assert list(replaced.columns) == ["id", "body"]
    assert replaced.loc[1, "body"] == clean(PAGES[1])
    with pytest.raises(KeyError, match="no column 'text'"):
        clean_dataframe(ddf, "text")


def test_explained_dataframe_round_trips_through_parquet(client, tmp_path):
    """The decisions column has a type Parquet readers understand: write it, read it back."""
    dd = pytest.importorskip("dask.dataframe")
    import pandas as pd

    from newsclean.dask import clean_dataframe

    pd.DataFrame({"id": range(4), "body": PAGES[:4]}).to_parquet(tmp_path / "crawl.parquet")
    ddf = dd.read_parquet(tmp_path / "crawl.parquet")
    clean_dataframe(ddf, "body", explain=True, output_column="article").to_parquet(tmp_path / "clean")
    for back in (pd.read_parquet(tmp_path / "clean"), dd.read_parquet(tmp_path / "clean").compute()):
        back = back.sort_values("id")
        assert list(back["article"]) == [clean(p) for p in PAGES[:4]]
        removed = json.loads(back["article_newsclean"].iloc[2])["removed"]
        assert removed == [d.to_dict() for d in clean_and_explain(PAGES[2]).decisions]
