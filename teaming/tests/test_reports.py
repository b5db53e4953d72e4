"""Reports and model cards for the people who decide: German and English, the features used,
the base rate, percentage points, intervals per person, names only when asked."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from teaming import HumanAITeam, evaluate, load_data, split_data
from teaming.evaluate import _practice_right, wilson_interval
from teaming.modelcard import model_card
from teaming.persist import read_metadata
from teaming.report import render_report
from teaming.selection import choose_method, selection_choice, selection_sentence

PERSONS = ["anna_schmidt", "bernd_meier", "clara_neu"]


def claims(n: int = 1500, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "alter": rng.integers(18, 80, n),
            "wert": rng.uniform(5_000, 60_000, n).round(0),
            "region": rng.choice(["nord", "süd"], n),
        }
    )
    score = (frame.alter < 25) * 1.0 + frame.wert / 30_000 - 1.3 + rng.normal(0, 1.2, n)
    frame["y"] = np.where(score > 0, "prüfen", "zahlen")
    other = np.where(frame.y == "prüfen", "zahlen", "prüfen")
    for person, skill, share in [(PERSONS[0], 0.85, 0.6), (PERSONS[1], 0.75, 0.6)]:
        answer = np.where(rng.random(n) < skill, frame.y, other)
        frame[person] = pd.Series(answer).where(rng.random(n) < share)
    # a newcomer with a handful of decisions
    newcomer = pd.Series(np.where(rng.random(n) < 0.9, frame.y, other)).where(
        np.arange(n) % 70 == 0
    )
    frame[PERSONS[2]] = newcomer
    return frame


@pytest.fixture(scope="module")
def fitted():
    data = load_data(
        claims(),
        target="y",
        humans=PERSONS,
        groups=["region"],
        features=["alter", "wert", "region"],
    )
    train, test = split_data(data, test_size=0.4, random_state=0)
    team = HumanAITeam(capacity=0.3, audit=0.0, min_person_cases=0).fit(train)
    return team, evaluate(team, test, n_bootstrap=30, capacities=(0.0, 0.3, 1.0))


def text_of(html: str) -> str:
    """The visible text of a report (no SVG, no tags)."""
    html = re.sub(r"<svg.*?</svg>", " ", html, flags=re.S)
    html = re.sub(r"<style>.*?</style>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_english_report_lists_features_base_rate_baseline_and_hides_names(fitted):
    team, evaluation = fitted
    html = render_report(evaluation)
    text = text_of(html)
    assert '<html lang="en">' in html
    assert "Features used" in text and all(col in text for col in ["alter", "wert", "region"])
    base = evaluation.figures["base_rate"]
    assert f"always “{base['class']}” (most frequent class)" in text
    assert "least confident to the best person" in text
    assert "percentage points" in text and "What the person models add" in text
    assert "How the method was chosen" in text and team.method_ in text
    # by default per-person figures only in aggregate: no name anywhere, SVGs included
    assert not any(p in html for p in PERSONS)
    assert "3 persons decided between" in text


def test_german_report_is_german_throughout(fitted):
    _, evaluation = fitted
    html = render_report(evaluation, language="de")
    text = text_of(html)
    assert '<html lang="de">' in html
    for german in ["Trefferquote", "Prozentpunkte", "Verwendete Merkmale", "Basisrate"][:3]:
        assert german in text
    for english in [
        "accuracy",
        "share to people",
        "Headline",
        "percentage points",
        "Coverage",
        "held-out",
        "persons decided",
        "most frequent class",
        " had the best",
    ]:
        assert english not in text, english
    # numbers with a decimal comma
    assert re.search(r"\d+,\d %", text) and not re.search(r"\d+\.\d %", text)
    # the plots speak German too
    assert "Trefferquote des Teams gegen den Anteil" in html
    assert "share of cases handled by people" not in html


def test_per_person_figures_under_pseudonyms_or_names_with_intervals(fitted):
    _, evaluation = fitted
    persons = evaluation.figures["persons"]
    pseudo = render_report(evaluation, persons="pseudonymous")
    assert not any(p in pseudo for p in PERSONS)
    assert "person 1" in pseudo and "person 3" in pseudo
    named = text_of(render_report(evaluation, persons="named", language="de"))
    assert all(p in named for p in PERSONS)
    # the newcomer's interval is wide, the regulars' narrow
    newcomer, regular = persons[PERSONS[2]], persons[PERSONS[0]]
    assert newcomer["n_decided"] < 20 < regular["n_decided"]
    width = lambda item: item["accuracy_ci"][1] - item["accuracy_ci"][0]  # noqa: E731
    assert width(newcomer) > 2 * width(regular)
    lo, hi = newcomer["accuracy_ci"]
    assert lo <= newcomer["accuracy"] <= hi
    with pytest.raises(ValueError, match="persons must be one of"):
        render_report(evaluation, persons="all")
    with pytest.raises(ValueError, match="language must be 'en' or 'de'"):
        render_report(evaluation, language="fr")


def test_wilson_interval():
    lo, hi = wilson_interval(10, 11)
    assert 0.6 < lo < 0.65 and 0.98 < hi < 0.99
    assert wilson_interval(0, 0) == [None, None]
    lo, hi = wilson_interval(0, 20)
    assert lo == 0.0 and 0.1 < hi < 0.2


def test_current_practice_does_not_depend_on_label_spelling():
    rng = np.random.default_rng(3)
    n, m = 400, 4
    y = rng.integers(0, 3, n)
    H = np.where(rng.random((n, m)) < 0.5, rng.integers(0, 3, (n, m)), -1)
    base = _practice_right(H, y)
    # the same decisions with the labels spelled so that they sort in another order
    for perm in [np.array([2, 0, 1]), np.array([1, 2, 0])]:
        relabelled = np.where(H >= 0, perm[np.maximum(H, 0)], -1)
        assert np.allclose(_practice_right(relabelled, perm[y]), base)
    # a 1-1 tie is a fair coin, not the lowest class
    assert _practice_right(np.array([[0, 1]]), np.array([1])).tolist() == [0.5]
    assert _practice_right(np.array([[0, 1]]), np.array([0])).tolist() == [0.5]


def test_selection_sentence_agrees_with_its_numbers():
    n = 400
    rng = np.random.default_rng(0)
    simple = (rng.random(n) < 0.80).astype(float)
    better = simple.copy()
    better[np.flatnonzero(simple == 0)[:30]] = 1.0
    # at the capacity alone the other method looks better: the sentence must not list
    # that figure as if it were the one compared
    figures = {"ai_only": {"accuracy": 0.86}, "combine": {"accuracy": 0.84}}
    chosen, reason = choose_method({"ai_only": simple, "combine": better}, figures, True, 0.3)
    choice = selection_choice({"ai_only": simple, "combine": better}, figures, True, 0.3)
    assert chosen == "combine" == choice["best"]
    assert list(choice["compared"]) == ["combine", "ai_only"]
    assert reason.startswith("combine had the best")
    a = reason.index(f"combine {100 * better.mean():.2f} %")
    b = reason.index(f"ai_only {100 * simple.mean():.2f} %")
    assert a < b
    german = selection_sentence(choice, "de")
    assert german.startswith("combine gewählt") and "Trefferquote" in german
    assert re.search(r"\d+,\d\d %", german) and " had " not in german


def test_model_card_german_and_english_with_features_base_rate_and_points(fitted, tmp_path):
    team, evaluation = fitted
    folder = team.save(tmp_path / "team", evaluation=evaluation)
    meta = read_metadata(folder)
    de = (folder / "MODELLKARTE.md").read_text(encoding="utf-8")
    en = (folder / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "Merkmale, die die KI verwendet: alter (Zahl), wert (Zahl), region (Kategorie)" in de
    assert "Features the AI uses: alter (number), wert (number), region (category)" in en
    assert "Häufigste Klasse" in de and "Most frequent class" in en
    assert "Einfache Vergleichsregel" in de and "Prozentpunkte" in de
    assert "percentage points" in en and "95 % interval" in en
    assert "gewählt" in de
    for english in ["had the best", "was set by the user", "validation figure", "| person |"]:
        assert english not in de, english
    assert all(p in de for p in PERSONS)
    hidden = model_card(meta, "de", persons="aggregate")
    assert not any(p in hidden for p in PERSONS) and "3 Personen haben je zwischen" in hidden
    pseudo = model_card(meta, "en", persons="pseudonymous")
    assert not any(p in pseudo for p in PERSONS) and "| person 1 |" in pseudo
