"""Cleaning on a Dask cluster: bags of page texts and dataframe columns.

Needs the optional extra: ``pip install 'newsclean[dask]'``. Nothing here is
imported by ``import newsclean``; Dask itself is imported only when these
functions are called. Work goes to the workers one partition at a time, with
the :class:`~newsclean.config.Config` (frozen and picklable) sent along.

>>> from dask.distributed import Client           # doctest: +SKIP
>>> client = Client("tcp://scheduler:8786")       # doctest: +SKIP
>>> import dask.bag as db                          # doctest: +SKIP
>>> from newsclean.dask import clean_bag           # doctest: +SKIP
>>> clean_bag(db.read_text("pages/*.txt", linedelimiter="\\0")).to_textfiles("clean/*.txt")  # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .config import Config
from .records import explanation

if TYPE_CHECKING:  # pragma: no cover
    import dask.bag
    import dask.dataframe

EXPLAIN_COLUMN_SUFFIX = "_newsclean"


def _clean_partition(texts: Any, config: Config | None, explain: bool) -> list[Any]:
    from . import clean, clean_and_explain

    if not explain:
        return [clean(text, config) for text in texts]
    out: list[Any] = []
    for text in texts:
        result = clean_and_explain(text, config)
        out.append({"text": result.text, **explanation(result)})
    return out


def clean_bag(bag: "dask.bag.Bag", config: Config | None = None, explain: bool = False) -> "dask.bag.Bag":
    """A bag of cleaned texts from a bag of page texts.

    With ``explain``, each item is ``{"text": ..., "removed": [...], "notes": [...]}``
    where ``removed`` holds one :meth:`Decision.to_dict() <newsclean.model.Decision.to_dict>` per removed line.
    """
    return bag.map_partitions(_clean_partition, config, explain)


def _clean_frame(frame: Any, column: str, config: Config | None, explain: bool, output_column: str) -> Any:
    import pandas as pd

    from . import clean, clean_and_explain

    import json

    frame = frame.copy()
    texts: list[Any] = []
    notes: list[Any] = []
    for value in frame[column]:
        if not isinstance(value, str):  # missing values stay missing
            texts.append(value)
            notes.append(None)
            continue
        if explain:
            result = clean_and_explain(value, config)
            texts.append(result.text)
            notes.append(json.dumps(explanation(result), ensure_ascii=False))
        else:
            texts.append(clean(value, config))
            notes.append(None)
    frame[output_column] = pd.Series(texts, index=frame.index, dtype=frame[column].dtype)
    if explain:
        # JSON text, not dicts: a column of dicts has no type that Dask's metadata and
        # Parquet's pandas metadata can both carry, so to_parquet (or reading the
        # files back) would fail; a string column round-trips through every reader.
        frame[output_column + EXPLAIN_COLUMN_SUFFIX] = pd.Series(notes, index=frame.index, dtype="string")
    return frame


def clean_dataframe(ddf: "dask.dataframe.DataFrame", column: str, config: Config | None = None,
                    explain: bool = False, output_column: str | None = None) -> "dask.dataframe.DataFrame":
    """A dataframe whose ``column`` of page texts is cleaned (into ``output_column`` if given).

    Every other column is kept. With ``explain``, a string column named
    ``<output column>_newsclean`` holds the JSON text of ``{"removed": [...],
    "notes": [...]}`` per row (``json.loads`` reads it back), so the frame can be
    written with ``to_parquet`` and read by any Parquet reader. Missing values
    (None, NaN) stay missing.
    """
    if column not in ddf.columns:
        raise KeyError(f"no column {column!r}; columns: {', '.join(map(str, ddf.columns))}")
    out = output_column or column
    meta = _clean_frame(ddf._meta, column, config, explain, out)
    return ddf.map_partitions(_clean_frame, column, config, explain, out, meta=meta)
