#!/usr/bin/env python3
"""Render the invented pages of ``fixtures/layouts/src/*.html`` into the layouts newsclean reads.

Each source page is an article of our own with the furniture real pages carry
(cookie banner, menu, share buttons, newsletter box, related links, footer);
every element that is not the article is marked ``data-furniture``. A comment
``<!-- renderings: w3m bs4 ... -->`` in the page names the tools to render it
with. Each rendering writes two files to ``fixtures/layouts/``:

* ``<page>-<tool>.<layout>.txt``: the whole page, as the tool writes it;
* ``<page>-<tool>.<layout>.expected.txt``: what a user expects newsclean to
  keep: the article alone, in the layout's own form (wrapped text stays wrapped,
  Markdown stays Markdown, text nodes rejoined one block per line, glued lines
  cut down to their article segments), each gap left by removed furniture at
  most one blank line.

The tools (used here only, never by newsclean itself)::

    pip install html2text beautifulsoup4 lxml
    apt-get install w3m
    python scripts/render_layouts.py            # rewrite every rendering
    python scripts/render_layouts.py harbour-ferry   # the renderings of one page

Where the tool is ours (``htmltext``, ``fold72``, ``bs4``, ``lxml``, ``oneline``)
the expected text is cut from the rendering itself by where each piece of text
came from; for ``w3m`` and ``html2text`` it is the tool's rendering of the page
with the furniture taken out, found line by line in the rendering of the whole page.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Callable, Iterator

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "fixtures" / "layouts"
SRC = OUT / "src"

FURNITURE = "data-furniture"
# Elements that start a block of their own (the rest are inline: a, b, em, span, time ...).
BLOCKS = frozenset("""p h1 h2 h3 h4 h5 h6 li div blockquote figcaption figure td th tr table ul ol header footer nav
                      section article aside main body form head title html""".split())
# Blocks a one-block-per-line tool (html-text, inscriptis) sets apart with a blank line.
SPACED = frozenset("p h1 h2 h3 h4 h5 h6 blockquote figcaption table ul ol".split())

# A rendered line and where it came from: True article, False furniture, None white space only.
Line = tuple[str, "bool | None"]


# -- the page as a tree -------------------------------------------------------------------

def _document(html: str):
    import lxml.html

    return lxml.html.document_fromstring(html)


def _without_furniture(html: str) -> str:
    """The page with every furniture element taken out (the text after it stays)."""
    import lxml.html

    doc = _document(html)
    for el in list(doc.iter()):
        if isinstance(el.tag, str) and el.get(FURNITURE) is not None and el.getparent() is not None:
            el.drop_tree()
    return lxml.html.tostring(doc, encoding="unicode", doctype="<!DOCTYPE html>")


def _reserialised(html: str) -> str:
    """The page as lxml writes it (so that a page and its article alone go through the same path)."""
    import lxml.html

    return lxml.html.tostring(_document(html), encoding="unicode", doctype="<!DOCTYPE html>")


def _block_of(el):
    """The nearest block element at or above ``el``."""
    while el is not None and el.tag not in BLOCKS:
        el = el.getparent()
    return el


def _strings(el, parent_furniture: bool = False) -> Iterator[tuple[str, object, bool]]:
    """The text of ``el`` in document order as lxml's ``text_content()`` joins it: each piece
    with the element whose block it belongs to and whether it is furniture."""
    if not isinstance(el.tag, str):  # a comment: only its tail is text
        return
    furniture = parent_furniture or el.get(FURNITURE) is not None or el.tag == "head"  # the title is not the article
    if el.text:
        yield el.text, el, furniture
    for child in el:
        yield from _strings(child, furniture)
        if child.tail:
            yield child.tail, el, furniture


def _flagged_text(root) -> tuple[str, list["bool | None"]]:
    """``root.text_content()`` (the whole page, its title too) and, for each character, True (article), False (furniture) or None (white space)."""
    parts, flags = [], []
    for text, _el, furniture in _strings(root):
        parts.append(text)
        flags.extend(None if c.isspace() else not furniture for c in text)
    text = "".join(parts)
    assert text == root.text_content(), "the walk must give exactly text_content()"
    return text, flags


# -- assembling what a user expects -------------------------------------------------------

def _gap_joined(lines: list[Line]) -> str:
    """The article lines in order, trailing spaces stripped; white-space lines between two
    article lines kept, except that a gap where furniture went is at most one blank line."""
    out: list[str] = []
    pending = 0
    removed = False
    for text, article in lines:
        if article is None:
            pending += 1
        elif not article:
            removed = True
        else:
            if out:
                out.extend([""] * (min(pending, 1) if removed else pending))
            out.append(text.rstrip())
            pending, removed = 0, False
    return "\n".join(out) + "\n" if out else ""


def _aligned(page: str, article: str) -> str:
    """What a user keeps of a tool's rendering ``page``, given the same tool's rendering of
    the article alone: the article's lines are found in the page in order, and the page's
    other lines are furniture (see ``_gap_joined``)."""
    lines = [x.rstrip() for x in page.split("\n")]
    wanted = [x.rstrip() for x in article.split("\n") if x.strip()]
    flags: list[Line] = []
    k = 0
    for line in lines:
        if not line.strip():
            flags.append((line, None))
        elif k < len(wanted) and line == wanted[k]:
            flags.append((line, True))
            k += 1
        else:
            flags.append((line, False))
    if k < len(wanted):
        raise SystemExit(f"the article's line {wanted[k]!r} is not in the page as the tool renders it")
    return _gap_joined(flags)


# -- renderers: each returns (page text, expected text) -----------------------------------

def w3m(html: str) -> tuple[str, str]:
    """``w3m -dump`` at 80 columns: hard-wrapped paragraphs, "•" bullets, indented lists and quotes."""
    def dump(page: str) -> str:
        return subprocess.run(["w3m", "-dump", "-cols", "80", "-T", "text/html", "-O", "UTF-8"], input=page.encode(),
                              capture_output=True, check=True).stdout.decode("utf-8")
    page = dump(_reserialised(html))
    return page, _aligned(page, dump(_without_furniture(html)))


def _html2text(html: str, width: int) -> str:
    import html2text

    h = html2text.HTML2Text()
    h.body_width = width
    return h.handle(html)


def html2text_wrapped(html: str) -> tuple[str, str]:
    """html2text's default: Markdown with inline links, wrapped at 78 (long URLs broken after hyphens)."""
    page = _html2text(_reserialised(html), 78)
    return page, _aligned(page, _html2text(_without_furniture(html), 78))


def markdown(html: str) -> tuple[str, str]:
    """Markdown without wrapping, as LLM-era scrapers write it (html2text with ``body_width=0``)."""
    page = _html2text(_reserialised(html), 0)
    return page, _aligned(page, _html2text(_without_furniture(html), 0))


def _blocks(root) -> list[tuple[str, object, "bool | None"]]:
    """The page's blocks in order as (text, block element, article?), with a white-space-only
    entry (None) wherever the source had white space between blocks."""
    out: list[tuple[str, object, "bool | None"]] = []
    current = None
    for text, el, furniture in _strings(root):
        block = _block_of(el)
        if not text.strip():
            if "\n" in text or current is None or block is not current[1]:
                out.append(("", None, None))
                current = None
            else:  # a space between two inline elements of one block
                current[0].append(text)
            continue
        if current is None or block is not current[1]:
            current = ([text], block, not furniture)
            out.append(current)  # type: ignore[arg-type]
        else:
            current[0].append(text)
    return [(" ".join("".join(t).split()), b, a) if a is not None else ("", None, None) for t, b, a in out]


def htmltext(html: str) -> tuple[str, str]:
    """One block per line, as html-text or inscriptis write a page: paragraphs, headings,
    quotes and lists set apart by a blank line, the items of a list and short blocks not."""
    body = _document(html).body
    lines: list[Line] = []
    prev = None
    for text, block, article in _blocks(body):
        if article is None:
            continue
        if prev is not None and (block.tag in SPACED or prev.tag in SPACED
                                 or (block.tag == "li" and prev.tag == "li" and block.getparent() is not prev.getparent())):
            lines.append(("", None))
        lines.append((text, article))
        prev = block
    page = "\n".join(t for t, _ in lines) + "\n"
    return page, _gap_joined(lines)


def fold72(html: str) -> tuple[str, str]:
    """The one-block-per-line page through ``fold -s -w 72``, as a mail client or a text dump writes it."""
    page, _ = htmltext(html)
    body = _document(html).body
    flagged: list[Line] = []
    for text, _block, article in _blocks(body):
        if article is not None:
            flagged.append((text, article))
    folded = subprocess.run(["fold", "-s", "-w", "72"], input=page.encode(), capture_output=True,
                            check=True).stdout.decode("utf-8")
    # each folded line inherits the flag of the line it was cut from
    out: list[Line] = []
    blocks = iter(flagged)
    current = ""
    article: "bool | None" = None
    for line in folded.split("\n")[:-1]:
        if not current:
            if not line.strip():
                out.append((line, None))
                continue
            current, article = next(blocks)
        out.append((line, article))
        current = current[len(line):]
    return folded, _gap_joined(out)


def bs4_nodes(html: str) -> tuple[str, str]:
    """BeautifulSoup's ``get_text("\\n")``: every text node on a line of its own. Expected: each
    article block's text on one line (what a browser shows), blocks set apart by a blank line
    where the page had white space between them."""
    from bs4 import BeautifulSoup

    page = BeautifulSoup(html, "html.parser").get_text("\n")
    out: list[str] = []
    space = False
    for text, _block, article in _blocks(_document(html)):
        if article is None:
            space = True
        elif article:
            if out and space:
                out.append("")
            out.append(text)
            space = False
    return page, "\n".join(out) + "\n"


def _glued(text: str, flags: list["bool | None"]) -> str:
    """What a user keeps of a glued page: on each line, every run of article text that no
    furniture interrupts, one run per output line."""
    lines: list[Line] = []
    start = 0
    for line in text.split("\n"):
        f = flags[start:start + len(line)]
        start += len(line) + 1
        if not line.strip():
            lines.append((line, None))
            continue
        i = 0
        while i < len(line):
            if f[i] is None:
                i += 1
                continue
            other = not f[i]  # a run of article text ends at furniture, a run of furniture at article text
            j = i
            while j < len(line) and f[j] is not other:
                j += 1
            if f[i]:
                end = j
                while f[end - 1] is None:
                    end -= 1
                lines.append((line[i:end], True))
            else:
                lines.append((line[i:j], False))
            i = j
    return _gap_joined(lines)


def _minified(html: str, one_line: bool) -> str:
    """The page as a minifying CMS sends it: no indentation (and with ``one_line``, no line break at all)."""
    html = re.sub(r"\n[ \t]+", "\n", html)
    if one_line:
        html = re.sub(r">\s+<", "><", html).replace("\n", " ")
    return html


def lxml_glued(html: str) -> tuple[str, str]:
    """lxml's ``text_content()``: blocks glued together where the source had no line break."""
    text, flags = _flagged_text(_document(_minified(html, one_line=False)))
    return text, _glued(text, flags)


def oneline(html: str) -> tuple[str, str]:
    """``text_content()`` of a page minified onto one line: the whole page is a single line."""
    text, flags = _flagged_text(_document(_minified(html, one_line=True)))
    return text, _glued(text, flags)


RENDERINGS: dict[str, tuple[str, Callable[[str], tuple[str, str]]]] = {
    "htmltext": ("lines", htmltext),
    "w3m": ("wrapped", w3m),
    "fold72": ("wrapped", fold72),
    "html2text": ("markdown", html2text_wrapped),
    "markdown": ("markdown", markdown),
    "bs4": ("nodes", bs4_nodes),
    "lxml": ("glued", lxml_glued),
    "oneline": ("glued", oneline),
}


def render(source: Path) -> list[Path]:
    html = source.read_text(encoding="utf-8")
    wanted = re.search(r"<!-- renderings: ([\w ]+) -->", html)
    if wanted is None:
        raise SystemExit(f"{source}: no <!-- renderings: ... --> comment")
    written = []
    for tool in wanted.group(1).split():
        layout, fn = RENDERINGS[tool]
        page, expected = fn(html)
        stem = OUT / f"{source.stem}-{tool}.{layout}"
        stem.with_name(stem.name + ".txt").write_text(page, encoding="utf-8")
        stem.with_name(stem.name + ".expected.txt").write_text(expected, encoding="utf-8")
        written.append(stem.with_name(stem.name + ".txt"))
    return written


def main(argv: list[str]) -> int:
    sources = [SRC / f"{name}.html" for name in argv] if argv else sorted(SRC.glob("*.html"))
    for source in sources:
        for path in render(source):
            print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
