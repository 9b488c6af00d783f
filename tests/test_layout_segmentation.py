"""How the layout stage cuts a page into blocks: one behaviour per test, on small invented pages."""

from __future__ import annotations

import textwrap

from newsclean import clean, clean_and_explain
from newsclean.layout import MARKDOWN, NODES, WRAPPED, Layout, detect, segment
from newsclean.pipeline import split_lines


def texts(page: str, layout: Layout) -> list[str]:
    units = segment(split_lines(page)[0], layout)
    return [t for t, blank in zip(units.texts, units.blank) if not blank]


LYNX = """\
   [1]Home [2]News [3]Sport [4]Weather

   The island ferry will run again from Monday after three weeks of repairs
   to the pier, the harbour board said on Friday. Engineers replaced two of
   the pier's timber piles and rebuilt the ramp that cars use to board.

References

   1. https://example.org/
"""


def test_the_numbers_a_text_browser_gives_links_are_not_words():
    got = texts(LYNX, Layout(WRAPPED, 76))
    assert got[0] == "Home News Sport Weather"
    assert got[1].startswith("The island ferry will run again") and got[1].endswith("cars use to board.")
    # the output keeps the page's own text
    assert "[1]Home" in clean(LYNX, layout="wrapped") or "[1]Home" not in clean(LYNX, layout="wrapped", plain=True)


TABLE = """\
Home           The council approved the new ferry timetable on Monday      Weather
News           after a long debate about the winter crossings, and the     Tides
Sport          first boats will leave at six from the north pier. The      Jobs
Obituaries     timetable will be reviewed after the first month, the
Letters        council said, and the fares will stay as they were until
               the end of the year.
                                                                           Cars
               The harbour master said the change would cost less than     Homes
               the extra buses the town had asked for last year, and
               that the ferry company had agreed to run a later boat on
               Fridays and Saturdays during the summer.
"""


def test_a_table_laid_out_in_columns_is_read_column_by_column():
    assert clean_and_explain(TABLE).layout.name == WRAPPED
    got = texts(TABLE, Layout(WRAPPED))
    article = [x for x in got if x.startswith("The ")]
    assert article == [
        "The council approved the new ferry timetable on Monday after a long debate about the winter crossings, "
        "and the first boats will leave at six from the north pier. The timetable will be reviewed after the "
        "first month, the council said, and the fares will stay as they were until the end of the year.",
        "The harbour master said the change would cost less than the extra buses the town had asked for last "
        "year, and that the ferry company had agreed to run a later boat on Fridays and Saturdays during the "
        "summer.",
    ]
    assert {"Home", "Letters", "Weather", "Homes"} <= set(got)


def test_a_column_block_names_its_lines_and_columns():
    result = clean_and_explain(TABLE, layout="wrapped")
    for d in result.decisions:
        if d.line == "Weather":
            assert d.where == "1:76-82"
    assert "The council approved" in result.text


WRAPPED_MARKDOWN = """\
# Ferry returns

The island ferry will run again from Monday after three weeks of repairs to
the pier, the [harbour board](https://example.org/board) said on Friday. The
engineers replaced two of the timber piles.

* [Home](https://example.org/)
* [News](https://example.org/news)
"""


def test_wrapped_markdown_paragraphs_are_one_block_and_list_items_their_own():
    got = texts(WRAPPED_MARKDOWN, Layout(MARKDOWN, 76))
    assert got == [
        "Ferry returns",
        "The island ferry will run again from Monday after three weeks of repairs to the pier, the harbour board "
        "said on Friday. The engineers replaced two of the timber piles.",
        "Home",
        "News",
    ]


WRAPPED_TABLE_AND_LINKS = """\
The council approved the new ferry timetable on Monday after a long debate about
the winter crossings, and the first boats will leave at six from the north pier,
the harbour master said; the crews who will run them this year number exactly
74.

| The harbour board said the change would cost less than the extra buses the
town had asked for last year, and that the later boat would run on Fridays.

The mayor called the plan "[a good day for the
island](https://example.org/news/2031/03/the-mayor-on-the-new-ferry-timetable-and-the-fares)"
and thanked the crews who had kept the old boats running through the winter.
"""


def test_wrapped_markdown_joins_a_wrapped_table_row_a_number_and_a_broken_link():
    got = texts(WRAPPED_TABLE_AND_LINKS, Layout(MARKDOWN, 80))
    assert len(got) == 3, got
    assert got[0].endswith("the crews who will run them this year number exactly 74.")
    assert got[1].startswith("The harbour board said") and got[1].endswith("run on Fridays.")
    assert got[2] == ('The mayor called the plan "a good day for the island" and thanked the crews who had kept '
                      'the old boats running through the winter.')


STEPS = """\
Setting up the tide gauge takes about an hour with two people.

1. Bolt the bracket to the pier's ladder rail, two rungs below the lowest tide
mark, and tighten the nuts by hand before you use the spanner.

2. Hang the gauge from the bracket and run its cable up the ladder to the box
on the railing, clipping it to every third rung so that waves cannot pull it.
- Check the cable for cuts before you clip it: salt water finds every one of
them within a week.
- Keep the spare clips.
"""


def test_a_numbered_or_bulleted_paragraph_wrapped_without_a_hanging_indent_is_one_block():
    got = texts(STEPS, Layout(WRAPPED, 79))
    assert got[1].startswith("1. Bolt") and got[1].endswith("use the spanner.")
    assert got[2].startswith("2. Hang") and got[2].endswith("cannot pull it.")
    assert got[3].startswith("- Check") and got[3].endswith("within a week.")
    assert got[4] == "- Keep the spare clips."


COLUMNS = """\
  • Ferry fares rise Ferry fares go up by ten            Browse by Port
    pence from Monday, the board said.                   North Pier
  • Pier repairs The pier's ramp is to be rebuilt        South Quay
    over the summer, after years of complaints.          Old Dock
  • New boats Two new boats arrive in the spring         Related Posts
    to replace the ones that broke down.                   • Tide tables
                                                             for May
Why the ferry is late again                                • Pier works
                                                             finish late
The harbour board blamed the tides for the third           • Crew rota
delay this week, but the crews say the ramp is at            changes
fault. The new timetable starts on Monday, and the       Weather
board says it will hold.                                 Tides
"""


def test_indented_lines_in_a_column_start_no_column_of_their_own():
    # the items' second lines, indented under their text, do not make a column that would cut
    # "The harbour board" after "The "
    got = texts(COLUMNS, Layout(WRAPPED, 79))
    assert ("The harbour board blamed the tides for the third delay this week, but the crews say the ramp is at "
            "fault. The new timetable starts on Monday, and the board says it will hold.") in got
    assert "Why the ferry is late again" in got


INTERVIEW_NODES = """\
What drew you to the part of the harbour master?

Ines Varga:
 She keeps the whole town running and nobody notices until the ferry is late.

Ingredients:
Two cups of flour
"""


def test_a_bold_label_and_the_text_after_it_are_one_block_of_nodes():
    got = texts(INTERVIEW_NODES, Layout(NODES))
    assert "Ines Varga: She keeps the whole town running and nobody notices until the ferry is late." in got
    assert "Ingredients:" in got and "Two cups of flour" in got  # a heading over a list stays apart


def test_text_nodes_are_recognised_on_a_page_mostly_made_of_menus():
    # a long site menu, one link per line, and an article whose links and bold words split its
    # sentences: six of about 170 lines carry on the sentence above
    menu = "\n".join(f"Section {n}" for n in range(150))
    article = ("The harbour board met on\n the ferry timetable\n on Monday. The new boats\n arrive in May\n"
               ", the board said. Fares rise\n by ten pence\n from June, and\n the pier reopens\n in July.\n")
    page = menu + "\n" + article + "\n".join(f"Footer link {n}" for n in range(15)) + "\n"
    lines = split_lines(page)[0]
    assert detect(lines, page).name == NODES
    assert detect(menu + "\n", menu + "\n").name != NODES  # the menu alone is one block per line


def test_an_article_wrapped_among_long_unwrapped_comments_is_read_wrapped():
    article = textwrap.fill(
        "The harbour board met on Monday to settle the ferry timetable for the summer, and after a long debate "
        "about the winter crossings it agreed that the first boat will leave at six from the north pier. The "
        "crews had asked for a later start, but the board said that the early boat carries most of the people "
        "who work in the town, and that the ramp on the south quay will be closed for repairs until June. Fares "
        "rise by ten pence from the first of May, the first rise in four years, and season tickets stay at the "
        "price they have been since the new boats arrived. The board will review the timetable after a month, "
        "when the first figures for the number of people on each crossing are in, and it has promised to hold "
        "a public meeting in the town hall before it makes any change to the times of the early and late boats, "
        "which are the ones that matter most to the people who live on the island and work on the mainland.", 78)
    comments = "\n".join(
        f"{who} wrote: I have taken that ferry every morning for twenty years and it has never once left on time "
        f"in the winter, whatever the timetable says, and I do not expect this one to be different."
        for who in ("Ann", "Piotr", "Maeve", "Tomas", "Ines", "Oskar", "Lena", "Ravi", "Bea", "Noor"))
    page = "Ferry timetable settled\n\n" + article + "\n\nComments\n\n" + comments + "\n"
    layout = detect(split_lines(page)[0], page)
    assert layout.name == WRAPPED
    first = article.split("\n\n")[0]
    assert " ".join(first.split()) in texts(page, layout)


BROKEN_LINKS = """\
[![](http://example.org/wp-
content/themes/harbour/images/icon-
fb.png)](http://facebook.example/harbour)

## [Ferry timetable settled after a long
debate](http://example.org/2031/05/ferry-timetable-settled-after-a-long-
debate/ "Permanent Link: Ferry timetable settled")

The harbour board met on Monday.
"""


def test_a_markdown_link_broken_over_lines_is_one_block_wrapped_or_not():
    got = texts(BROKEN_LINKS, Layout(MARKDOWN))  # no wrap width found: the brackets still tell
    assert got[0] == ""  # an image: no words
    assert got[1] == "Ferry timetable settled after a long debate"
    assert got[2] == "The harbour board met on Monday."


SIDEBAR = """\
                    Ferry timetable settled after a long debate

Home                The harbour board met on Monday to settle the     RELATED STORIES
News                timetable for the summer crossings.               14 May 31 | Ferry fares rise
Sport                                                                 13 May 31 | Pier repairs
Weather             The first boat will leave at six from the north   12 May 31 | New boats
                    pier, the board said.                             11 May 31 | Crew rota

                    Fares rise by ten pence from the first of June,
                    the first rise in four years.
"""


def test_a_story_beside_a_sidebar_runs_on_into_its_text_under_the_table():
    got = texts(SIDEBAR, Layout(WRAPPED, 70))
    # the story's cells, then its text under the table, with nothing between
    at = got.index("pier, the board said.")
    assert got[at + 1] == "Fares rise by ten pence from the first of June, the first rise in four years."
    assert got.index("The harbour board met on Monday to settle the") < at


def test_a_centred_paragraph_is_one_block():
    words = ("The harbour board settled the ferry timetable on Monday after a long debate about the winter "
             "crossings, and the first boat will leave at six from the north pier from the first of June.")
    page = "\n".join(line.center(79).rstrip() for line in textwrap.wrap(words, 79)) + "\n"
    assert len(page.splitlines()) >= 2 and page.splitlines()[-1].startswith("   ")
    assert texts(page, Layout(WRAPPED, 79)) == [words]


def test_a_short_wrapped_article_under_a_centred_title_is_read_wrapped():
    # three line breaks show the width; the centred title is longer than it only by its indentation
    menu = "\n".join(f"  • Section {n}" for n in range(30))
    title = " " * 50 + "Ferry timetable settled after a long debate"
    body = ("The harbour board settled the ferry timetable on Monday after a long debate\n"
            "about the winter crossings. The first boat will leave at six from the north\n"
            "pier, and the last one at eleven from the south quay, the board said today.\n"
            "Fares rise by ten pence from June, the first rise in four years, and season\n"
            "tickets keep their price.\n")
    page = menu + "\n\n" + title + "\n\n" + body
    layout = detect(split_lines(page)[0], page)
    assert layout.name == WRAPPED
    assert any(t.startswith("The harbour board") and t.endswith("keep their price.") for t in texts(page, layout))


def test_rows_of_a_table_in_columns_do_not_hide_a_wrapped_article():
    # the rows of the page's header table are long because of their columns, not because the
    # page is one block per line
    header = ("[logo]           ● [news] [sport] [weather]  ●   [classifieds] [jobs]      [cars]       [homes]\n"
              "   Quayside Herald                [Go elsewhere           ]  [News       ] [                    ] [Search]\n"
              "  Ferry timetable settled after a long debate                                 [Harbour] [Tides] [Ferries]\n"
              "  Home > News > Harbour > Ferries                      Monday 3 June 2031   [Print] [Email] [Share]\n")
    body = ("  The harbour board settled the ferry timetable on Monday after a long debate\n"
            "  about the winter crossings. The first boat will leave at six from the north\n"
            "  pier, and the last one at eleven from the south quay, the board said today.\n"
            "  Fares rise by ten pence from June, the first rise in four years, and season\n"
            "  tickets keep their price, the chair of the board said after the meeting.\n")
    page = header + "\n" + body
    layout = detect(split_lines(page)[0], page)
    assert layout.name == WRAPPED
    assert any(t.startswith("The harbour board") and t.endswith("after the meeting.") for t in texts(page, layout))


def test_a_glued_line_reads_the_same_with_or_without_its_indentation():
    # its bullet stays with its text either way, so cleaning a cleaned page changes nothing
    glued = Layout("glued")
    assert texts("  • Powered by WordPress\n", glued)[0] == texts("• Powered by WordPress\n", glued)[0]
    page = ("The city council approved a plan to rebuild the old bridge on Tuesday.The council met for an hour.\n\n"
            "  • Powered by WordPress\n")
    once = clean(page, layout="glued")
    assert clean(once, layout="glued") == once
