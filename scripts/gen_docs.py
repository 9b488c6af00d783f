#!/usr/bin/env python3
"""Write docs/cli.md (from --help) and docs/rules.md (from every rule's documentation).

    python scripts/gen_docs.py          # rewrite the files
    python scripts/gen_docs.py --check  # exit 1 if they are out of date (the tests do this)
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _help(args: list[str]) -> str:
    from click.testing import CliRunner

    from newsclean.cli import main

    result = CliRunner().invoke(main, args, terminal_width=90, prog_name="newsclean", env={"NO_COLOR": "1"})
    return result.output.rstrip() + "\n"


def cli_reference() -> str:
    parts = ["# Command-line reference", "", "Generated from `--help` by `scripts/gen_docs.py`; do not edit by hand.", ""]
    for title, args in (("newsclean", ["--help"]), ("newsclean rules", ["rules", "--help"]),
                        ("newsclean rule", ["rule", "--help"]), ("newsclean config", ["config", "--help"])):
        parts += [f"## `{title}`", "", "```", _help(args).rstrip(), "```", ""]
    return "\n".join(parts)


def rules_reference() -> str:
    from newsclean import render
    from newsclean.rules import builtin_catalog

    catalog = builtin_catalog()
    parts = ["# Rules", "", "Generated from the rule packs by `scripts/gen_docs.py`; `newsclean rule CODE` prints the same.", ""]
    for group in sorted(catalog.groups, key=lambda g: min((r.code for r in catalog.rules if r.group == g.name), default="")):
        rules = [r for r in catalog.rules if r.group == group.name]
        parts += [f"## {group.title} (`{group.name}`)", ""]
        parts += [f"- [{r.code} {r.name}](#{r.code.lower()}-{r.name}): {r.summary}" for r in rules]
        parts.append("")
        for r in rules:
            buf = io.StringIO()
            render.rule_doc(r, buf, color=False)
            head, _, body = buf.getvalue().partition("\n")
            parts += [f"### {head}", "", "```", body.strip("\n"), "```", ""]
    return "\n".join(parts)


FILES = {"docs/cli.md": cli_reference, "docs/rules.md": rules_reference}
CHECKED = ("docs/cli.md", "docs/rules.md")


def main() -> int:
    check = "--check" in sys.argv
    stale = []
    for rel, make in FILES.items():
        text = make()
        path = ROOT / rel
        if check:
            if rel not in CHECKED:
                continue
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(rel)
        else:
            path.write_text(text, encoding="utf-8")
    if stale:
        print(f"out of date: {', '.join(stale)}; run python scripts/gen_docs.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
