"""Quick rules: ``--drop TEXT`` and ``--drop-re PATTERN`` made into user rules.

Each value becomes one rule of the group ``quick`` with a code of its own, so
``--explain`` names it and ``--ignore`` can turn it off:

* the n-th ``--drop`` phrase is ``USR001``, ``USR002``, ... (name ``drop-1``, ...):
  a whole line equal to it (compared as rule files compare ``exact`` phrases:
  case, spacing, quotes and decoration do not matter);
* the n-th ``--drop-re`` pattern is ``USR501``, ``USR502``, ... (name ``drop-re-1``, ...):
  a regex that must match the whole normalised line, on lines of at most
  ``DEFAULT_MAX_WORDS`` words, exactly like a rule file's ``patterns``.

They are checked as a user's rule file is (a pattern that does not compile, or
that captures, is refused) and run under the same match timeout.
"""

from __future__ import annotations

from typing import Sequence

from . import QUICK_PREFIX, Group, Rule, RuleFileError, parse_rules

GROUP_NAME = "quick"
DROP_FIRST = 1
DROP_RE_FIRST = 501
MAX_EACH = 499


GROUP = {"name": GROUP_NAME, "title": "Quick rules from --drop and --drop-re", "prefix": QUICK_PREFIX}


def quick_rules(drop: Sequence[str] = (), drop_re: Sequence[str] = ()) -> list[tuple[Group, list[Rule]]]:
    """The rule packs of ``--drop`` phrases and ``--drop-re`` patterns (empty when there are none).

    Raises :class:`~newsclean.rules.RuleFileError` naming the option and the value
    when one cannot be used.
    """
    import regex

    packs = []
    for option, values, first, field, name in (("--drop", drop, DROP_FIRST, "exact", "drop"),
                                               ("--drop-re", drop_re, DROP_RE_FIRST, "patterns", "drop-re")):
        if not values:
            continue
        if len(values) > MAX_EACH:
            raise RuleFileError(f"{option}: at most {MAX_EACH} values (put more in a rule file, --rules)")
        rules = [{"code": f"{QUICK_PREFIX}{first + n:03d}", "name": f"{name}-{n + 1}", field: [value],
                  "summary": f"Lines {'equal to' if field == 'exact' else 'matching'} {value!r} ({option}).",
                  "why": f"Asked for with {option}."}
                 for n, value in enumerate(values)]
        packs.append(parse_rules({"group": GROUP, "rule": rules}, option, compile_with=regex, quick=True))
    return packs
