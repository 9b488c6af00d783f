"""The pipeline's passes, in the order they run.

Each pass is a function ``run(page)`` that removes lines through ``page.drop``
with the code of one of its rules; the pass's name is recorded as the stage.
"""

from __future__ import annotations

from . import patterns, repeats, structure

PASSES = (
    ("patterns", patterns.run),
    ("repeats", repeats.run),
    ("structure", structure.run),
)
