"""The datatrove step: cleans doc.text, keeps decisions in metadata, counts in stats."""

from __future__ import annotations

import subprocess
import sys

import pytest

from newsclean import clean, clean_and_explain

PAGE = "Watch CBS News\n\nThe harbor reopened on Monday after three weeks of repairs, officials said.\n"


def test_import_newsclean_does_not_import_datatrove():
    code = "import sys, newsclean, newsclean.cli; print('datatrove' in sys.modules, 'datasets' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split() == [
        "False", "False"]


def test_step_cleans_keeps_decisions_and_counts():
    pytest.importorskip("datatrove")
    from datatrove.data import Document

    from newsclean.datatrove import NewscleanStep

    step = NewscleanStep(ignore=["comments"])
    docs = [Document(text=PAGE, id="a"), Document(text="Watch CBS News\n", id="b")]
    out = list(step.run(iter(docs)))
    assert [d.text for d in out] == [clean(PAGE), ""]
    assert out[0].metadata["newsclean"]["removed"] == [d.to_dict() for d in clean_and_explain(PAGE).decisions]
    stats = {k: v if isinstance(v, int) else v["total"] for k, v in step.stats.to_dict()["stats"].items()}
    assert stats["total"] == 2 and stats["forwarded"] == 2 and stats["empty"] == 1
    assert stats["lines_removed"] == 2 and stats["removed_NC301"] == 2


def test_step_can_drop_empty_documents_and_skip_decisions():
    pytest.importorskip("datatrove")
    from datatrove.data import Document

    from newsclean.datatrove import NewscleanStep

    step = NewscleanStep(metadata_key=None, drop_empty=True)
    out = list(step.run(iter([Document(text=PAGE, id="a"), Document(text="Watch CBS News\n", id="b")])))
    assert [d.id for d in out] == ["a"] and "newsclean" not in out[0].metadata
    assert step.stats.to_dict()["stats"]["dropped"] == 1


def test_step_refuses_a_bad_selector_at_once():
    pytest.importorskip("datatrove")
    from newsclean.datatrove import NewscleanStep
    from newsclean.rules.select import SelectorError

    with pytest.raises(SelectorError, match="did you mean 'video'"):
        NewscleanStep(ignore=["vidoe"])
