"""A datatrove pipeline step that cleans each document's text with newsclean.

Needs the optional extra: ``pip install 'newsclean[datatrove]'``. Nothing here is
imported by ``import newsclean``; datatrove is imported when this module is.

>>> from datatrove.executor import LocalPipelineExecutor          # doctest: +SKIP
>>> from datatrove.pipeline.readers import JsonlReader            # doctest: +SKIP
>>> from datatrove.pipeline.writers import JsonlWriter            # doctest: +SKIP
>>> from newsclean.datatrove import NewscleanStep                 # doctest: +SKIP
>>> LocalPipelineExecutor([JsonlReader("crawl/"), NewscleanStep(ignore=["comments"]),
...                        JsonlWriter("clean/")], tasks=4).run()  # doctest: +SKIP

Each document's ``text`` becomes the cleaned article; ``doc.metadata["newsclean"]``
holds the decisions (``{"removed": [...], "notes": [...]}``, see
:func:`newsclean.records.explanation`), and the step's stats count the documents,
the lines removed, the lines removed per rule code (``removed_NC101``, ...) and the
documents left empty. Stats from many tasks add up, as datatrove merges them.
"""

from __future__ import annotations

from typing import Any

from datatrove.data import DocumentsPipeline
from datatrove.pipeline.base import PipelineStep
from datatrove.utils.typeshelper import StatHints

from .config import Config
from .records import explanation


class NewscleanStep(PipelineStep):
    """Clean ``doc.text`` of every document, keeping why each line went.

    ``config`` (or keyword options such as ``ignore=["comments"]``, applied to
    it) says how to clean. ``metadata_key`` is where the decisions go (None: not
    kept, which is faster). With ``drop_empty``, a document left without text
    is dropped (counted as ``dropped``) instead of passed on empty.
    """

    name = "🧹 newsclean"
    type = "✂️ - FORMAT"

    def __init__(self, config: Config | None = None, *, metadata_key: str | None = "newsclean",
                 drop_empty: bool = False, **options: Any) -> None:
        super().__init__()
        config = config or Config()
        self.config = config.with_options(**options) if options else config
        self.config.compiled()  # a bad selector or rule file fails here, not in every task
        self.metadata_key = metadata_key
        self.drop_empty = drop_empty

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        from .pipeline import run as clean_page

        explain = self.metadata_key is not None
        for doc in data:
            self.stat_update(StatHints.total)
            with self.track_time():
                result = clean_page(doc.text or "", self.config, details=explain)
            doc.text = result.text
            if explain:
                doc.metadata[self.metadata_key] = explanation(result)
            self.stat_update("lines_removed", value=len(result.decisions))
            for code, n in result.stats().items():
                self.stat_update(f"removed_{code}", value=n)
            if not result.text.strip():
                self.stat_update("empty")
                if self.drop_empty:
                    self.stat_update(StatHints.dropped)
                    continue
            self.stat_update(StatHints.forwarded)
            yield doc
