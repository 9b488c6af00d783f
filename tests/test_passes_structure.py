"""The structural passes on small invented pages: features, classes, region, headline, end, valve."""

from __future__ import annotations

import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean import Settings, clean, clean_and_explain
from newsclean.passes.lines import Features, guess_language, stopwords
from newsclean.passes.structure import BAD, GOOD, NEAR, SHORT, revise

P1 = "The harbour board approved the new ferry timetable on Monday after a long debate about winter crossings."
P2 = "Ferries will leave every forty minutes from March, and the last boat will sail an hour later than now."
P3 = "The board said the change would cost less than the extra buses the town had asked for last year."
P4 = "A public meeting on the new fares will be held in the town hall next month, the chairman said."
P5 = "Fishermen at the quay said they welcomed the later sailing, since it lets them land the evening catch."
MENU = ["Harbour Life", "Tide Tables", "Boat Sales", "Town Crier Picks", "Weather Desk", "Quay Cams"]


def page(*blocks: str) -> str:
    return "\n\n".join(blocks) + "\n"


def codes(text: str, **options) -> dict[str, str]:
    """Removed line text -> rule code."""
    return {d.line: d.code for d in clean_and_explain(text, **options).decisions}


# -- features and language ----------------------------------------------------

def test_features_are_computed_from_the_stripped_line():
    f = Features(["  The board met on Monday.  ", "Home | News | Sport", "", "www.example.com/page"])
    assert f.tokens[0] == 5 and f.end[0]
    assert f.seps[1] >= 2 and not f.end[1]
    assert f.tokens[2] == 0
    assert f.links[3] >= 1


def test_cjk_characters_count_as_words_and_their_punctuation_ends_sentences():
    f = Features(["港口委员会周一批准了新的渡轮时刻表。"])
    assert f.words[0] >= 8
    assert f.end[0]


def test_stop_word_lists_cover_the_main_languages():
    lists = stopwords()
    for code in ("en", "de", "fr", "es", "it", "pt", "nl", "pl"):
        assert len(lists[code]) >= 80, code


@pytest.mark.parametrize("text,code", [
    (P1 + " " + P2, "en"),
    ("Der Hafenrat hat am Montag den neuen Fahrplan für die Fähren beschlossen, nachdem es eine lange Debatte gab.", "de"),
    ("Le conseil du port a approuvé lundi le nouvel horaire des ferries après un long débat sur les traversées.", "fr"),
    ("Rada portu zatwierdziła nowy rozkład, ale nie jest jeszcze jasne, czy to się uda i kiedy będzie gotowy.", "pl"),
    ("El consejo del puerto aprobó el lunes el nuevo horario de los transbordadores tras un largo debate sobre los cruces.", "es"),
])
def test_language_is_guessed_from_stop_words(text, code):
    f = Features([text])
    assert guess_language(f, [0], 5, 0.08) == code


MIXED = [P1, P2, "Der Hafenrat hat am Montag den neuen Fahrplan für die Fähren beschlossen.",
         "Le conseil du port a approuvé lundi le nouvel horaire des ferries.", "Tide Tables", "Quay Cams",
         "El consejo del puerto aprobó el lunes el nuevo horario.", "und die der das", "le la les des", "the of and"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(MIXED), min_size=1, max_size=14),
       st.lists(st.integers(min_value=0, max_value=13), max_size=14))
def test_language_kept_up_to_date_as_lines_go_is_the_language_of_the_lines_left(lines, removal_order):
    from newsclean.passes.structure import _LanguageGuess

    f = Features(lines)
    guess = _LanguageGuess(f, 5, 0.08)
    kept = list(range(len(lines)))
    assert guess.language(kept) == guess_language(f, kept, 5, 0.08)
    for i in removal_order:
        if i in kept and len(kept) > 1:
            kept.remove(i)
            assert guess.language(kept) == guess_language(f, kept, 5, 0.08)


def test_unknown_script_has_no_language():
    f = Features(["港口委员会周一批准了新的渡轮时刻表，最后一班船将比现在晚一个小时开出。"])
    assert guess_language(f, [0], 5, 0.08) is None


def test_result_reports_the_language():
    assert clean_and_explain(page(P1, P2, P3)).language == "en"


# -- classification and revision ----------------------------------------------

def test_a_long_paragraph_with_dashes_and_a_closing_ornament_is_prose_not_a_menu():
    dashes = ("The ferry – the oldest on the coast – will run again in March, and the board – after a long "
              "debate about the winter crossings and the cost of the new engines, which the town had asked "
              "for since the storm of last year damaged the old pier and the ticket office – said that the "
              "first boat will leave at seven in the morning and the last one an hour later than it does now ❖")
    text = page(MENU[0], " | ".join(MENU), P1, P2, dashes)
    assert dashes in clean(text)
    assert " | ".join(MENU) not in clean(text)


def test_a_paragraph_about_copyright_is_prose_and_the_copyright_line_is_not():
    case = ("The harbour museum said on Friday that it would go to court over the copyright of the old ferry "
            "posters, which a printer in the next town has been selling for years without asking the family "
            "of the painter, and the board expects the case to take most of the winter.")
    footer = "© 2031 Harbour Gazette. All rights reserved."
    notice = ("The stories and photographs on this site may not be copied or shared without the written "
              "permission of the publisher and of the authors, who keep the right to be named in every copy "
              "(c) 2031 Harbour Gazette Media Group.")
    text = page(P1, P2, notice, case, P3, footer)
    out = clean(text)
    assert case in out and P3 in out
    assert footer not in out and notice not in out


def test_revision_makes_a_short_line_between_prose_good_and_between_furniture_bad():
    assert revise([GOOD, SHORT, GOOD]) == [GOOD, GOOD, GOOD]
    assert revise([BAD, SHORT, BAD]) == [BAD, BAD, BAD]
    assert revise([GOOD, SHORT, BAD]) == [GOOD, BAD, BAD]
    assert revise([BAD, NEAR, GOOD]) == [BAD, GOOD, GOOD]
    assert revise([BAD, NEAR, SHORT, BAD]) == [BAD, BAD, BAD, BAD]


def _neighbour(classes, j, step, ignore_near, reach=6):
    """The neighbour as jusText defines it: the nearest good or bad line (or any line
    that is not short) at most ``reach`` lines away on one side; bad when there is none."""
    for k in range(j + step, j + step * (reach + 1), step):
        if not 0 <= k < len(classes):
            break
        c = classes[k]
        if c in (BAD, GOOD) or (c == NEAR and not ignore_near):
            return c
    return BAD


def _revise_line_by_line(cf):
    """Each short line judged on its own: its run of short lines, and the neighbours of the run."""
    out = list(cf)
    for j, c in enumerate(cf):
        if c == SHORT:
            first = last = j
            while first > 0 and cf[first - 1] == SHORT:
                first -= 1
            while last + 1 < len(cf) and cf[last + 1] == SHORT:
                last += 1
            near = (_neighbour(cf, first, -1, True), _neighbour(cf, last, 1, True))
            anyc = (_neighbour(cf, first, -1, False), _neighbour(cf, last, 1, False))
            out[j] = GOOD if near == (GOOD, GOOD) else BAD if near == (BAD, BAD) or BAD in anyc else GOOD
        elif c == NEAR:
            out[j] = BAD if _neighbour(cf, j, -1, True) == _neighbour(cf, j, 1, True) == BAD else GOOD
    return out


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([BAD, SHORT, SHORT, SHORT, NEAR, GOOD]), max_size=40))
def test_revision_finds_each_lines_neighbours_as_a_line_by_line_search_does(cf):
    assert revise(cf) == _revise_line_by_line(cf)


# -- region ---------------------------------------------------------------------

def test_menu_before_and_footer_after_the_article_go():
    text = page(*MENU, P1, P2, P3, P4, *MENU)
    got = codes(text)
    for item in MENU:
        assert got.get(item) in ("NC902", "NC903")
    assert clean(text) == page(P1, P2, P3, P4)


def test_a_box_of_headlines_inside_the_article_goes():
    box = ["Bridge Repairs Delayed Again", "Council Election Results", "New Dock Opens Downtown"]
    text = page(P1, P2, *box, P3, P4)
    assert clean(text) == page(P1, P2, P3, P4)
    assert {codes(text)[x] for x in box} == {"NC912"}


def test_a_single_subheading_inside_the_article_stays():
    text = page(P1, P2, "Fares and tickets", P3, P4)
    assert clean(text) == text


def test_separated_link_rows_inside_the_article_go():
    text = page(P1, P2, "Harbour Cam | Tide Tables | Boat Sales", P3, P4)
    assert codes(text) == {"Harbour Cam | Tide Tables | Boat Sales": "NC911"}


# -- headline and head ------------------------------------------------------------

def test_headline_echoing_the_title_line_is_kept_with_byline_and_date():
    text = page("Ferry timetable changes approved | Harbour Life | The Harbour Times", *MENU,
                "Ferry timetable changes approved", "By Mara Quint", "12 March 2024 09:41", P1, P2, P3)
    assert clean(text) == page("Ferry timetable changes approved", "By Mara Quint", "12 March 2024 09:41", P1, P2, P3)


def test_headline_echoing_the_first_paragraph_is_kept():
    text = page(*MENU, "Harbour board approves later ferry timetable", P1, P2, P3)
    assert clean(text) == page("Harbour board approves later ferry timetable", P1, P2, P3)


def test_clean_articles_and_short_articles_come_through_whole():
    short = page("Harbour board approves later ferries", P1, P2, P3)
    assert clean(short) == short
    longer = page("Harbour board approves later ferries", "By Mara Quint", P1, P2, "Fares", P3, P4, P5)
    assert clean(longer) == longer


# -- article end ------------------------------------------------------------------

def test_comments_after_an_end_marker_go():
    c1 = "I have taken that ferry for twenty years and it has never once been on time in the winter months."
    c2 = "The later boat is good news for anyone who works in the city and has to get home after the shops close."
    text = page(P1, P2, P3, P4, "Responses", c1, c2)
    got = codes(text)
    assert got["Responses"] == "NC920" and got[c1] == "NC921" and got[c2] == "NC921"


def test_an_article_that_mentions_comments_is_not_cut():
    text = page(P1, "Comments from the minister drew criticism from the ferry operators on Tuesday evening.", P2, P3)
    assert clean(text) == text


def test_an_end_marker_near_the_top_does_not_cut_the_article():
    text = page("Responses", P1, P2, P3, P4)
    assert "NC921" not in codes(text).values()


# -- safety valve, settings, rule selection ----------------------------------------

def test_nothing_goes_when_no_line_reads_like_prose():
    text = page(*MENU, "The ferry runs later from March.", *MENU)
    assert clean(text) == text


def test_safety_valve_withdraws_decisions_when_too_little_would_be_left():
    text = page(*MENU, P1, *MENU)
    result = clean_and_explain(text)
    assert result.text == text
    assert not [d for d in result.decisions if d.code.startswith("NC9") and d.code != "NC901"]
    assert any("safety valve" in n for n in result.notes)


def test_turning_the_structure_codes_off_turns_the_passes_off():
    text = page(*MENU, P1, P2, P3, *MENU)
    assert clean(text, ignore=["NC9"]) == clean(text, ignore=["structure"])
    got = codes(text, ignore=["NC902", "NC903"])
    assert not {"NC902", "NC903"} & set(got.values())


def test_favor_shifts_thresholds():
    base = Settings()
    assert Settings(favor="precision").effective().bad_penalty > base.effective().bad_penalty
    assert Settings(favor="recall").effective().bad_penalty < base.effective().bad_penalty
    with pytest.raises(ValueError):
        Settings(favor="everything")


@pytest.mark.parametrize("favor", ["precision", "balanced", "recall"])
def test_every_favor_is_idempotent_and_keeps_clean_articles(favor):
    text = page(*MENU, "Harbour board approves later ferry timetable", P1, P2, P3, P4, *MENU)
    once = clean(text, favor=favor)
    assert clean(once, favor=favor) == once
    clean_page = page("Harbour board approves later ferries", P1, P2, P3)
    assert clean(clean_page, favor=favor) == clean_page


def test_decisions_carry_scores_in_their_detail():
    text = page(*MENU, P1, P2, P3)
    details = [d.detail for d in clean_and_explain(text).decisions if d.code == "NC902"]
    assert details and all("words" in x for x in details)


def test_a_weak_block_after_the_article_ends_it():
    promo = "Sign up for our harbour letter to get the tide tables and the ferry news every week."
    text = page(P1, P2, P3, P4, "Harbour Cam", "Tide Tables", promo)
    got = codes(text)
    assert got[promo] == "NC903" and "weak block" in clean_and_explain(text).decisions[-1].detail
    assert clean(text) == page(P1, P2, P3, P4)


def test_the_article_resumes_after_a_read_also_box():
    p6 = "The operator has promised to publish the winter timetable in September so that families can plan ahead."
    text = page(P1, P2, "Read also", "Council Election Results Are In", P3, P4, P5, p6)
    out = clean(text)
    for p in (P1, P2, P3, P4, P5, p6):
        assert p in out
    assert "Council Election Results" not in out or "Read also" not in out


def test_comment_thread_is_cut_at_its_first_signature():
    c1 = "I have taken that ferry for twenty years and it has never once been on time in the winter months."
    c2 = "The later boat is good news for anyone who works in the city and has to get home after the shops close."
    c3 = "Nobody asked the people on the island what they wanted, which is the usual way of things around here."
    text = page(P1, P2, P3, P4, P5, "Ann Lowe, 12 March 2024 at 9:14 pm", c1,
                "Tom Reed, 12 March 2024 at 9:40 pm", c2, "Sue Hart, 13 March 2024 at 7:02 am", c3)
    assert clean(text) == page(P1, P2, P3, P4, P5)


@pytest.mark.parametrize("off", [["NC902"], ["NC903"], ["NC904"], ["NC911"], ["NC912"], ["NC920"], ["NC921"]])
def test_idempotent_with_any_structure_rule_off(off):
    c1 = "I have taken that ferry for twenty years and it has never once been on time in the winter months."
    c2 = "The later boat is good news for anyone who works in the city and has to get home after the shops close."
    text = page("Ferry timetable changes approved | Harbour Life | The Harbour Times", *MENU,
                "Ferry timetable changes approved", "Harbour Cam | Tide Tables | Boat Sales", "By Mara Quint",
                P1, P2, "Bridge Repairs Delayed Again", "Council Election Results", "New Dock Opens Downtown",
                P3, P4, P5, "Responses", "Ann Lowe, 12 March 2024 at 9:14 pm", c1,
                "Tom Reed, 12 March 2024 at 9:40 pm", c2, "Sue Hart, 13 March 2024 at 7:02 am", c1, *MENU)
    once = clean(text, ignore=off)
    assert clean(once, ignore=off) == once
    assert not {d.code for d in clean_and_explain(text, ignore=off).decisions} & set(off)


# -- the page head: counts, lone labels, a name next to the date ----------------

def test_bare_counts_in_the_head_do_not_cost_the_headline():
    text = page("\n".join(MENU), "Harbour board approves later ferries for the winter months",
                "By Anna Fisher\n12 March 2024", "Share\n112\nComments\n54", P1, P2, P3, P4, P5)
    out = clean(text)
    assert "Harbour board approves later ferries" in out and "By Anna Fisher" in out
    assert "\n112\n" not in out and "\n54\n" not in out
    assert codes(text)["112"] == "NC911"


def test_a_lone_label_left_in_a_share_bar_goes_and_a_name_by_the_date_stays():
    text = page("\n".join(MENU), "Harbour board approves later ferries for the winter months",
                "12 March 2024 5:00 AM", "Anna Fisher", "Playlist\nEmbed\nKeep\nShare\nFacebook", P1, P2, P3, P4, P5)
    out = clean(text)
    assert "Anna Fisher" in out and "12 March 2024" in out
    assert "Harbour board approves later ferries" in out
    assert "Keep" not in out and codes(text)["Keep"] == "NC904"
    assert clean(out) == out


def test_a_related_box_inside_the_story_goes_and_the_story_goes_on():
    tail = ("The ferry will also stop at the north quay on Sundays, the board said, once the new pier is finished.",
            "“We listened to the town,” the chairman said. “That is what this is.”", P5)
    text = page("Harbour board approves later ferries for the winter months", P1, P2, P3, P4,
                "Related coverage\nHarbour dredging plan stalls over cost of the new quay\nIsland school gets a second boat",
                *tail, "Related articles\nCouncil to vote on new parking charges at the quay\nLighthouse keepers' cottages go up for sale",
                "About us\nContact\nPrivacy")
    out = clean(text)
    for line in tail:
        assert line in out
    assert "Harbour dredging plan" not in out and "Island school gets" not in out
    assert codes(text)["Island school gets a second boat"] == "NC912"
    assert clean(out) == out


def test_a_title_case_headline_without_stop_words_is_not_a_menu():
    head = "Harbour Board Approves Later Winter Ferries"
    text = page("\n".join(MENU), head, "By Anna Fisher\n12 March 2024", P1, P2, P3, P4, P5, "About us\nContact\nPrivacy")
    out = clean(text)
    assert out.startswith(head + "\n")
    assert "Tide Tables" not in out
    assert clean(out) == out


def test_an_ingredient_list_is_part_of_the_recipe():
    ingredients = ["200 g flour", "2 tbsp sugar", "Salt", "250 ml milk", "1 tsp baking powder", "3 eggs", "Butter for the pan"]
    text = page("\n".join(MENU), "Harbour pancakes for a winter morning", "Ingredients", "\n".join(ingredients), P1, P2, P3,
                "About us\nContact\nPrivacy")
    out = clean(text)
    for line in ingredients[:6]:
        assert line in out
    assert clean(out) == out


def test_comments_closed_ends_the_story_even_under_a_long_thread():
    comments = [f"Reader {k}: I think the board should have asked the island first, and {P3[0].lower() + P3[1:]}" for k in range(12)]
    text = page("Harbour board approves later ferries for the winter months", P1, P2, P3, P4,
                "The new timetable will be printed in the spring and posted at every quay on the island.", P5,
                "Comments are now closed for this story", "\n".join(comments))
    out = clean(text)
    assert P5 in out and "Reader 3" not in out
    assert codes(text)["Comments are now closed for this story"] in ("NC920", "NC840")
    assert clean(out) == out


def test_a_page_that_opens_with_a_headline_and_then_a_menu_is_not_clean_already():
    head = "Harbour board approves later ferries for the winter months"
    text = page(head, "Video Interviews", "Tide Tables\nBoat Sales\nQuay Cams\nWeather Desk",
                "Harbour board approves later ferries", P1, P2, P3, P4, P5)
    out = clean(text)
    assert "Boat Sales" not in out and "Quay Cams" not in out
    assert P1 in out
    assert clean(out) == out


# -- the whole article (headline anchor, lists, embedded posts, comment threads, closing furniture) --

LONG_COMMENTS = [
    f"{name}\n3 May 2031 at {h}:15 pm\n{text}\nReply" for name, h, text in (
        ("Tom Hask", 8, "I have taken that ferry for twenty years and it has never once been on time in the winter, "
                        "which is why I stopped relying on it for anything that matters to me or to my family."),
        ("Brenna Solway", 9, "The later boat is good news for anyone who works in the city and has to get home after "
                             "the shops close, though I still think the fares for families are far too high."),
        ("Marguerite", 10, "Does anyone know whether the student pass also works on the weekend boats, or only on "
                           "weekdays? The notice on the website does not say and nobody answers the phone."),
        ("Tom Hask", 11, "Marguerite, the ticket office told me last week that it works on every boat, including the "
                         "Sunday ones, but you have to show your college card when you buy it at the quay."),
    )
]


def test_a_comment_heading_with_commenters_under_it_ends_a_short_article():
    text = page("Ferry timetable changes approved", P1, P2, "14 comments", *LONG_COMMENTS)
    result = clean_and_explain(text)
    assert result.text == page("Ferry timetable changes approved", P1, P2)
    assert {d.code for d in result.decisions if "Tom Hask" in d.line} == {"NC921"}


def test_the_text_under_the_headline_wins_over_a_longer_block_and_the_notes_say_so():
    comments = [f"{who} have taken that ferry for twenty years and it has never once been on time in the winter, which "
                f"is why {who} stopped relying on it for anything that matters, at home or at work in the city."
                for who in ("I", "We", "They")]
    text = page("Seven changes in the ferry timetable | The Quayside Herald", *MENU,
                "Seven changes in the ferry timetable", "The timetable starts on Monday. Here is what changes.",
                "1. An earlier first boat", "It now leaves at 5.40am.", "2. More sailings", "Every 40 minutes until 8pm.",
                "3. A later last boat", "It now leaves at 11.50pm.", "4. Bikes go free", "There is no charge before 7am.",
                "Share", *(f"{a} | {b} | {c}" for a, b, c in zip(MENU, MENU[1:], MENU[2:])),
                "www.quaysideherald.example/help", "Home | News | Sport | Weather", "Jobs | Notices | Archive",
                "Contact | Advertise | Terms", "Login | Register | Help", *comments)
    result = clean_and_explain(text)
    assert "4. Bikes go free" in result.text and "twenty years" not in result.text
    assert any(note.startswith("close choice of the article: the text under the headline (line 15)")
               for note in result.notes)


def test_embedded_posts_are_part_of_the_article_not_a_comment_thread():
    posts = [f"{what}\n— {who} (@{handle}) November 18, 2031" for what, who, handle in (
        ("Nobody told us anything. Two hundred of us standing in the rain.", "Aoife Brennan", "aoife"),
        ("The café on the pier is doing a roaring trade at least.", "Declan Roe", "droe"),
        ("Fair play to the crews. The new rota is a disgrace.", "Maura Keane", "maurakeane"),
    )]
    text = page(P1, P2, *posts, P3, P4)
    assert clean(text) == text


def test_live_blog_times_are_not_comment_signatures():
    text = page(P1, P2, "10:42 am", P3, "11:05 am", P4, "11:30 BST", P5)
    assert clean(text) == text


def test_legal_fine_print_and_appeals_close_the_article():
    fine_print = ("Nothing on this site constitutes investment advice, and we accept no liability for decisions "
                  "made on the basis of it.")
    appeal = "If you enjoyed this story, follow the Harbour Times on Facebook for more news from the waterfront."
    result = clean_and_explain(page(P1, P2, P3, P4, appeal, fine_print))
    assert result.text == page(P1, P2, P3, P4)
    assert {d.code for d in result.decisions} == {"NC922"}


def test_prose_above_the_headline_and_its_byline_is_not_the_article():
    sidebar = ("Welcome to the Harbour Times, the independent paper of the island's four harbours, written by people "
               "who live here and read by everyone who takes the ferry, since 1952 and still going.")
    text = page("Ferry timetable changes approved | The Harbour Times", sidebar,
                "Ferry timetable changes approved", "By Mara Quint | 12 March 2031", P1, P2, P3, P4)
    result = clean_and_explain(text)
    assert result.text == page("Ferry timetable changes approved", "By Mara Quint | 12 March 2031", P1, P2, P3, P4)
    assert {d.line: d.code for d in result.decisions}[sidebar] == "NC902"


def test_a_list_under_a_heading_with_a_colon_continues_the_article():
    items = ["Two ferry tickets", "A rain jacket", "Binoculars for the seals", "A flask of tea"]
    text = page(P1, P2, "What to bring:", *items, P3, P4)
    assert clean(text) == text


def test_a_live_blog_reporters_time_stamps_are_not_comment_signatures():
    text = page(P1, P2, P3, "10:09 Mara Quint", P4, "09:13 Mara Quint", P5, "08:40 Tom Hask", P1.replace("Monday", "Friday"))
    assert clean(text) == text


def test_a_site_tagline_in_the_footer_that_echoes_the_title_is_not_the_headline():
    # The page's first line is the site's name, not the article's title; the footer repeats it
    # above a blurb about the site. The article stands well above the footer and goes first.
    review = ["The Wrenfield trowel weighs less than a paperback and still cuts through clay that bends cheaper blades. "
              "We dug three beds with it over a wet fortnight and the handle never loosened, which is more than we can "
              "say for the two trowels it replaced.",
              "Its blade is pressed from a single sheet of steel and sharpened along both edges, so it slices roots as "
              "easily as it scoops soil. The grip is ash wood, oiled rather than varnished, and it stayed comfortable "
              "even after an afternoon of planting onions.",
              "There are faults. The depth marks on the blade wear off within a month, and the hanging loop is too small "
              "for a garden hook. At its price, though, we would buy it again without a second thought."]
    sidebar = ["Leave a Comment", "Name (required)", "E-mail (required, never displayed)", "Post Your Comment",
               "Subscribe\nRSS / Email",
               "Browse By\n" + "\n".join(f"  • {c} ({n})" for c, n in (
                   ("Tools", 31), ("Seeds", 12), ("Guides", 44), ("Compost", 9), ("Pests", 17))),
               "Advertise Here",
               "Popular Posts\n  • Ten Seeds for a Shady Balcony (506)\n  • The Best Kneeling Pads Tested (383)\n"
               "  • Why Your Tomatoes Split (341)",
               "Recent Comments\n  • Mara: Bought one after this\n  • Olek: Mine bent in week two",
               "Friends\n" + "\n".join(f"  • Grower Link {c}" for c in "ABCDEFGHIJKL"),
               "Sponsored by\n" + "\n".join(f"  • Seed Shop {c}" for c in "ABCDEFGH")]
    footer = ["We Pick Garden Tools, Seeds and Growing Guides for Small Gardens",
              "We love small gardens as much as you do, and we test garden tools, seeds and growing guides so that busy "
              "growers with small gardens do not have to. Every review on this site is written by someone who has used "
              "the tool in a real garden for at least a month."]
    blocks = ["Garden Tools, Seeds and Growing Guides for Small Gardens", "Home\nTools\nSeeds\nGuides",
              "Review: A Light Trowel Built for Heavy Clay", "Posted on March 3, 2031 at 9:12 am as Review",
              *review, *sidebar, *footer]
    for wrap in (0, 79):  # one block per line, and hard-wrapped as a text browser writes it
        text = page(*(textwrap.fill(b, wrap) if wrap and len(b) > wrap else b for b in blocks))
        out = " ".join(clean(text).split())
        assert all(paragraph in out for paragraph in review), wrap
        assert "We love small gardens" not in out, wrap


def test_a_markdown_page_without_its_title_is_anchored_at_its_top_heading():
    # Markdown as a scraper writes it has no title line: its top heading names the article
    comments = [f"{who} have taken that ferry for twenty years and it has never once been on time in the winter, which "
                f"is why {who} stopped relying on it for anything that matters, at home or at work in the city."
                for who in ("I", "We", "They", "I", "We")]

    def link(text):
        return f"[{text}](/{text.lower().replace(' ', '-')})"
    text = page("# [The Quayside Herald](https://quayside.example/)",  # the site's name: not the headline
                "  * " + "\n  * ".join(map(link, MENU)),
                "## Seven changes in the ferry timetable",
                "The new ferry timetable starts on Monday, and it brings seven changes.",
                "The first boat now leaves at twenty to six, and the last one at ten to midnight.",
                "Boats sail every forty minutes until eight, and bikes go free before seven in the morning.",
                link("Share"), *(" | ".join(map(link, row)) for row in zip(MENU, MENU[1:], MENU[2:])),
                "Home | News | Sport | Weather", "Jobs | Notices | Archive", "Contact | Advertise | Terms",
                "Login | Register | Help", "www.quaysideherald.example/help", *comments)
    result = clean_and_explain(text)
    assert result.layout.name == "markdown"
    assert "bikes go free" in result.text and "twenty years" not in result.text
    # the headline is the article's heading (line 10), not the site's name linked to its home (line 1)
    assert any(note.startswith("close choice of the article: the text under the headline (line 10)")
               for note in result.notes)
