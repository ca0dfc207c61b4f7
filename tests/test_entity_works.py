"""Films, albums, bands and products are not the people, organisations or places they look like."""

from __future__ import annotations

import re

from reader.entities.clean import postprocess


def kinds(text: str, *spans: tuple[str, str]) -> dict[str, set[str]]:
    """Run the cleaning on model-like spans (every occurrence of each needle) and give each name's kinds."""
    raw = []
    for needle, label in spans:
        raw += [(m.start(), m.end(), label) for m in re.finditer(re.escape(needle), text)]
    out: dict[str, set[str]] = {}
    for mention in postprocess(text, raw):
        out.setdefault(mention.text, set()).add(mention.kind)
    return out


def test_a_film_named_like_a_person_is_a_work_throughout_the_article():
    text = (
        "Jamie Foxx won praise for Ray. The film Ray tells the life of a singer.\n"
        "Ray has taken $75m at the box office."
    )
    assert kinds(text, ("Ray", "PERSON"), ("Jamie Foxx", "PERSON"))["Ray"] == {"other"}
    assert kinds(text, ("Ray", "PERSON"), ("Jamie Foxx", "PERSON"))["Jamie Foxx"] == {"person"}


def test_work_cues_after_the_name():
    text = "Fans queued for hours. The Harry Potter films made a fortune, said Daniel Radcliffe."
    assert kinds(text, ("Harry Potter", "PERSON"), ("Daniel Radcliffe", "PERSON"))["Harry Potter"] == {"other"}
    sequel = "Zack Snyder spoke on Monday. The Rebel Moon sequel opens in April."
    assert kinds(sequel, ("Rebel Moon", "PERSON"), ("Zack Snyder", "PERSON"))["Rebel Moon"] == {"other"}
    starring = "Critics liked Sideways, starring Paul Giamatti, more than any other film this year."
    assert kinds(starring, ("Sideways", "ORG"), ("Paul Giamatti", "PERSON"))["Sideways"] == {"other"}
    quoted = "He is back with a new edition of “Mad World”, which he first covered in 2003."
    assert kinds(quoted, ("Mad World", "ORG"))["Mad World"] == {"other"}


def test_what_people_make_does_not_make_them_works():
    # a possessive, a director's name before "film", a titled name: people stay people
    text = "Kylie's new album is out. A Spielberg film opened. Mr Ray said the film Ray was fine."
    found = kinds(text, ("Kylie", "PERSON"), ("Spielberg", "PERSON"), ("Ray", "PERSON"))
    assert found["Kylie"] == {"person"}
    assert found["Spielberg"] == {"person"}
    assert found["Ray"] == {"person"}
    # a club's "stars" and a company's goods are not works or products
    club = "Liverpool star Steven Gerrard scored twice. Nokia phones sold well and Intel chips too."
    found = kinds(club, ("Liverpool", "ORG"), ("Steven Gerrard", "PERSON"), ("Nokia", "ORG"), ("Intel", "ORG"))
    assert found["Liverpool"] == {"org"} and found["Nokia"] == {"org"} and found["Intel"] == {"org"}
    # sports words are not work nouns: "after the game Mourinho said"
    sport = "After the game Mourinho said the series was over."
    assert kinds(sport, ("Mourinho", "PERSON"))["Mourinho"] == {"person"}


def test_products_and_their_versions():
    text = "Many offices still run Windows XP. Windows users must upgrade, Microsoft said."
    found = kinds(text, ("Windows XP", "GPE"), ("Windows", "GPE"), ("Microsoft", "ORG"))
    assert found["Windows XP"] == {"other"}
    assert found["Windows"] == {"other"}  # the head of a versioned product in the same article
    assert found["Microsoft"] == {"org"}
    console = "Sales of the Xbox console rose in December."
    assert kinds(console, ("Xbox", "ORG"))["Xbox"] == {"other"}
    # a place with a year is an event, but the place alone stays a place
    games = "Athens 2004 was a success, and Athens is proud of it."
    found = kinds(games, ("Athens 2004", "GPE"), ("Athens", "GPE"))
    assert found["Athens"] == {"place"}


def test_bands_are_organisations():
    text = "The Scottish band Franz Ferdinand played Glasgow. Franz Ferdinand frontman Alex Kapranos sang."
    found = kinds(text, ("Franz Ferdinand", "PERSON"), ("Alex Kapranos", "PERSON"), ("Glasgow", "GPE"))
    assert found["Franz Ferdinand"] == {"org"}
    assert found["Alex Kapranos"] == {"person"}


def test_the_models_own_work_and_product_labels_hold_for_the_article():
    text = "Shrek 2 led the charts. Shrek beat every rival. Shrek was everywhere."
    spans = [(0, 7, "WORK_OF_ART"), (24, 29, "WORK_OF_ART"), (49, 54, "PERSON")]
    found: dict[str, set[str]] = {}
    for mention in postprocess(text, spans):
        found.setdefault(mention.text, set()).add(mention.kind)
    assert found["Shrek"] == {"other"}


def test_a_capitalised_common_noun_is_not_an_organisation():
    text = "Gordon Brown will deliver the Budget on Wednesday. Economists expect the budget to cut taxes."
    found = kinds(text, ("Budget", "ORG"), ("Gordon Brown", "PERSON"))
    assert found["Budget"] == {"other"}
    # an organisation that "released" something is still one, and a name without "the" is a name
    text = "The Commission released two documents. Commission officials said the commission of inquiry would meet."
    assert kinds(text, ("Commission", "ORG"))["Commission"] == {"org"}
