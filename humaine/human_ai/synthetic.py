"""Generated data sets with simulated human decisions, one per sector.

The product ships no third-party data: the demo scenarios, the tests and the benchmarks
use these generators. Every number is drawn from the distributions written below, with a
fixed seed, so a data set is the same on every machine. The true outcome follows a
logistic model of the case's features; each simulated person decides a share of the cases
and is right with a probability that depends on the case (their *skill map*), which is
what a human-AI team should learn:

- **insurance** (claims handling, target ``berechtigt`` ja/nein): *Anna Berger* is strong
  on young drivers, *Bernd Krause* weak on high amounts, *Carla Nowak* says "ja" too
  readily, *Deniz Yilmaz* is new (few decisions), *Emil Hoffmann* is steady.
- **health** (emergency triage, target ``dringlichkeit`` sofort/dringend/normal): *Frieda
  Lang* is strong with older patients, *Gül Aydin* under-triages high heart rates, *Hanna
  Schulz* is steady, *Ivo Petrov* is new.
- **industry** (surface inspection, target ``befund`` in_ordnung/nacharbeit/ausschuss):
  *Jonas Weber* is strong on thin plates, *Katrin Wolf* misses faint stains, *Lars Brandt*
  grades too strictly, *Mira Koch* is steady.

Decisions come wide (one column per person, empty where the person did not decide the
case) or long (:func:`long_decisions`: case id, person, decision).

>>> cases = make("insurance", 200, seed=1)
>>> len(cases), "berechtigt" in cases, sorted(PERSONS["insurance"])[0] in cases
(200, True, True)
>>> long = long_decisions(cases, "insurance")
>>> list(long.columns)
['fall_nr', 'bearbeiter', 'entscheidung']
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["PERSONS", "SECTORS", "SPECS", "long_decisions", "make"]


@dataclass(frozen=True)
class Spec:
    target: str
    id: str
    classes: tuple[str, ...]
    text: str
    group: str
    time: str
    cost: str | None


SPECS = {
    "insurance": Spec(
        "berechtigt", "fall_nr", ("ja", "nein"), "schilderung", "region", "eingang", "schadenhoehe"
    ),
    "health": Spec(
        "dringlichkeit",
        "fall_nr",
        ("sofort", "dringend", "normal"),
        "beschwerde",
        "geschlecht",
        "ankunft",
        None,
    ),
    "industry": Spec(
        "befund",
        "teil_nr",
        ("in_ordnung", "nacharbeit", "ausschuss"),
        "notiz",
        "linie",
        "pruefzeit",
        None,
    ),
}
SECTORS = tuple(SPECS)
PERSONS = {
    "insurance": ("Anna Berger", "Bernd Krause", "Carla Nowak", "Deniz Yilmaz", "Emil Hoffmann"),
    "health": ("Frieda Lang", "Gül Aydin", "Hanna Schulz", "Ivo Petrov"),
    "industry": ("Jonas Weber", "Katrin Wolf", "Lars Brandt", "Mira Koch"),
}
# Share of all cases each person decided (the newcomer decided few).
SHARE = {
    "insurance": (0.35, 0.35, 0.3, 0.04, 0.3),
    "health": (0.4, 0.4, 0.4, 0.05),
    "industry": (0.4, 0.4, 0.35, 0.35),
}


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _times(rng, n: int, start: str = "2024-01-01", days: int = 540) -> np.ndarray:
    offsets = np.sort(rng.integers(0, days * 24 * 60, n))
    return (pd.Timestamp(start) + pd.to_timedelta(offsets, unit="min")).strftime("%Y-%m-%d %H:%M")


_WHEN = np.array(
    [
        "am Montag",
        "am Dienstag",
        "am Mittwoch",
        "am Donnerstag",
        "am Freitag",
        "am Wochenende",
        "gestern",
        "heute früh",
        "in der Nacht",
        "am Abend",
    ],
    dtype=object,
)
_NOTE = np.array(
    [
        "laut Angabe",
        "mit Foto",
        "ohne Zeugen",
        "Zeuge vorhanden",
        "Bericht folgt",
        "telefonisch gemeldet",
        "per App gemeldet",
        "Rückfrage offen",
    ],
    dtype=object,
)


def _texts(rng, n: int, words: dict, key: np.ndarray) -> np.ndarray:
    """Free text: a phrase for the case's kind, when, and a note (varied like real notes)."""
    out = np.empty(n, dtype=object)
    for value, phrases in words.items():
        idx = np.flatnonzero(key == value)
        first = np.asarray(phrases, dtype=object)[rng.integers(0, len(phrases), idx.size)]
        when = _WHEN[rng.integers(0, len(_WHEN), idx.size)]
        note = _NOTE[rng.integers(0, len(_NOTE), idx.size)]
        out[idx] = first + ", " + when + ", " + note
    return out


# --------------------------------------------------------------------------- insurance


def _insurance(rng, n: int) -> tuple[pd.DataFrame, np.ndarray, dict[str, np.ndarray]]:
    kinds = np.array(["Glas", "Sturm", "Kollision", "Diebstahl", "Parkschaden"])
    kind = kinds[rng.choice(5, n, p=[0.25, 0.15, 0.3, 0.1, 0.2])]
    age = np.array(["18-24", "25-39", "40-64", "65+"])[rng.choice(4, n, p=[0.15, 0.35, 0.35, 0.15])]
    amount = np.round(np.exp(rng.normal(7.2, 0.9, n)), 2)
    vehicle_age = rng.integers(0, 20, n)
    region = np.array(["Nord", "Süd", "West", "Ost"])[rng.integers(0, 4, n)]
    prior = rng.poisson(0.4, n)
    logit = (
        1.2
        - 0.45 * (np.log(amount) - 7.2)
        - 0.55 * prior
        + np.where(kind == "Diebstahl", -1.3, 0.0)
        + np.where(kind == "Glas", 0.8, 0.0)
        + np.where(age == "18-24", -0.6, 0.0)
        - 0.04 * vehicle_age
    )
    justified = rng.random(n) < _sigmoid(logit)
    texts = {
        "Glas": ["Steinschlag in der Frontscheibe auf der Autobahn", "Scheibe gerissen nach Frost"],
        "Sturm": [
            "Ast auf das Dach gefallen während des Sturms",
            "Hagel hat die Motorhaube verbeult",
        ],
        "Kollision": ["Auffahrunfall an der Ampel", "Beim Abbiegen mit einem Radfahrer kollidiert"],
        "Diebstahl": [
            "Fahrzeug nachts vor dem Haus gestohlen",
            "Navigationsgerät aus dem Auto entwendet",
        ],
        "Parkschaden": ["Beule in der Tür auf dem Parkplatz", "Spiegel beim Einparken abgefahren"],
    }
    frame = pd.DataFrame(
        {
            "schadenart": kind,
            "schadenhoehe": amount,
            "fahrzeugalter": vehicle_age,
            "altersgruppe": age,
            "vorschaeden": prior,
            "region": region,
            "schilderung": _texts(rng, n, texts, kind),
        }
    )
    young, high = age == "18-24", amount > 3000
    skill = {
        "Anna Berger": np.where(young, 0.95, 0.8),
        "Bernd Krause": np.where(high, 0.6, 0.88),
        "Carla Nowak": np.full(n, 0.8),
        "Deniz Yilmaz": np.full(n, 0.75),
        "Emil Hoffmann": np.full(n, 0.84),
    }
    y = np.where(justified, 0, 1)
    return frame, y, skill


# ------------------------------------------------------------------------------ health


def _health(rng, n: int) -> tuple[pd.DataFrame, np.ndarray, dict[str, np.ndarray]]:
    age = np.clip(rng.normal(52, 20, n), 18, 99).round()
    hr = np.clip(rng.normal(88, 18, n), 40, 190).round()
    sbp = np.clip(rng.normal(132, 22, n), 60, 230).round()
    rr = np.clip(rng.normal(18, 4, n), 8, 45).round()
    temp = np.round(np.clip(rng.normal(37.1, 0.7, n), 34.5, 41.5), 1)
    pain = rng.integers(0, 11, n)
    arrival = np.array(["zu Fuß", "Rettungswagen", "Angehörige"])[
        rng.choice(3, n, p=[0.55, 0.25, 0.2])
    ]
    sex = np.array(["w", "m"])[rng.integers(0, 2, n)]
    complaint = np.array(["Brustschmerz", "Atemnot", "Bauchschmerz", "Sturz", "Fieber"])[
        rng.integers(0, 5, n)
    ]
    score = (
        0.03 * (hr - 88)
        + 0.12 * (rr - 18)
        - 0.02 * (sbp - 132)
        + 0.15 * pain
        + 0.02 * (age - 52)
        + np.where(arrival == "Rettungswagen", 1.0, 0.0)
        + np.where(complaint == "Brustschmerz", 0.9, 0.0)
        + rng.logistic(0, 0.6, n)
    )
    y = np.where(score > 2.2, 0, np.where(score > 0.6, 1, 2))
    texts = {
        "Brustschmerz": [
            "Druck auf der Brust seit einer Stunde",
            "Stechender Schmerz links in der Brust",
        ],
        "Atemnot": ["Luftnot beim Treppensteigen", "Kann kaum sprechen, ringt nach Luft"],
        "Bauchschmerz": [
            "Krampfartige Bauchschmerzen seit gestern",
            "Übelkeit und Schmerzen im Oberbauch",
        ],
        "Sturz": [
            "Auf der Treppe gestürzt, Handgelenk geschwollen",
            "Sturz vom Fahrrad, Schürfwunden",
        ],
        "Fieber": ["Fieber und Schüttelfrost seit zwei Tagen", "Hohes Fieber, Husten"],
    }
    frame = pd.DataFrame(
        {
            "alter": age,
            "puls": hr,
            "blutdruck_sys": sbp,
            "atemfrequenz": rr,
            "temperatur": temp,
            "schmerz": pain,
            "ankunftsart": arrival,
            "geschlecht": sex,
            "beschwerde": _texts(rng, n, texts, complaint),
        }
    )
    skill = {
        "Frieda Lang": np.where(age >= 70, 0.92, 0.76),
        "Gül Aydin": np.where(hr >= 110, 0.55, 0.85),
        "Hanna Schulz": np.full(n, 0.8),
        "Ivo Petrov": np.full(n, 0.72),
    }
    return frame, y, skill


# ----------------------------------------------------------------------------- industry


def _industry(rng, n: int) -> tuple[pd.DataFrame, np.ndarray, dict[str, np.ndarray]]:
    thickness = np.round(rng.uniform(0.5, 3.0, n), 2)
    luminosity = np.round(rng.normal(110, 18, n), 1)
    area = np.round(np.exp(rng.normal(5.5, 1.1, n)))
    edges = np.round(rng.beta(2, 5, n), 3)
    steel = np.array(["A300", "A400"])[rng.integers(0, 2, n)]
    line = np.array(["Linie 1", "Linie 2", "Linie 3"])[rng.integers(0, 3, n)]
    score = (
        0.9 * (np.log(area) - 5.5)
        - 0.03 * (luminosity - 110)
        + 2.0 * edges
        + np.where(steel == "A400", 0.4, 0.0)
        - 0.3 * thickness
        + rng.logistic(0, 0.5, n)
    )
    y = np.where(score > 1.4, 2, np.where(score > 0.0, 1, 0))
    texts = {
        0: ["keine Auffälligkeit", "Oberfläche sauber"],
        1: ["leichter Kratzer am Rand", "matter Fleck sichtbar"],
        2: ["tiefe Delle mittig", "großflächige Verfärbung"],
    }
    frame = pd.DataFrame(
        {
            "dicke_mm": thickness,
            "helligkeit": luminosity,
            "flaeche_px": area,
            "kantenindex": edges,
            "stahlsorte": steel,
            "linie": line,
            "notiz": _texts(rng, n, texts, y),
        }
    )
    skill = {
        "Jonas Weber": np.where(thickness < 1.2, 0.93, 0.78),
        "Katrin Wolf": np.where(luminosity > 125, 0.6, 0.86),
        "Lars Brandt": np.full(n, 0.78),
        "Mira Koch": np.full(n, 0.83),
    }
    return frame, y, skill


_MAKERS: dict[str, Callable] = {"insurance": _insurance, "health": _health, "industry": _industry}


def _decide(rng, y: np.ndarray, skill: np.ndarray, k: int, bias: int | None) -> np.ndarray:
    """A person's answers: right with probability ``skill``, else another class (or ``bias``)."""
    right = rng.random(y.size) < skill
    other = (y + rng.integers(1, k, y.size)) % k
    if bias is not None:
        other = np.where(y == bias, other, bias)
    return np.where(right, y, other)


def make(sector: str, n: int = 2000, *, seed: int = 0, everyone: bool = False) -> pd.DataFrame:
    """One sector's cases with the true outcome, a time column and wide decisions.

    Parameters
    ----------
    sector : {"insurance", "health", "industry"}
    n : int
        Number of cases.
    seed : int
        Seed of every draw.
    everyone : bool
        Every person's answer on every case (no empty cells): what each simulated person
        would decide if the case came to them, as the demo's deployed services need. The
        draws are the same, so the answers agree with ``everyone=False`` where it has one.

    >>> some, every = make("health", 50, seed=2), make("health", 50, seed=2, everyone=True)
    >>> bool(every["Ivo Petrov"].notna().all()), bool(some["Ivo Petrov"].notna().sum() < 50)
    (True, True)
    >>> decided = some["Ivo Petrov"].notna()
    >>> bool((some["Ivo Petrov"][decided] == every["Ivo Petrov"][decided]).all())
    True
    """
    spec = SPECS[sector]
    rng = np.random.default_rng(seed)
    frame, y, skills = _MAKERS[sector](rng, n)
    frame.insert(0, spec.id, np.arange(100001, 100001 + n))
    frame[spec.time] = _times(rng, n)
    labels = np.asarray(spec.classes, dtype=object)
    frame[spec.target] = labels[y]
    k = len(spec.classes)
    for person, share in zip(PERSONS[sector], SHARE[sector]):
        # "Carla Nowak" and "Lars Brandt" lean to one answer
        bias = {"Carla Nowak": 0, "Lars Brandt": 2}.get(person)
        answers = labels[_decide(rng, y, skills[person], k, bias)]
        decided = rng.random(n) < share
        frame[person] = answers if everyone else np.where(decided, answers, None)
    return frame


def long_decisions(cases: pd.DataFrame, sector: str) -> pd.DataFrame:
    """The wide decision columns of :func:`make` as a long table (case, person, decision)."""
    spec = SPECS[sector]
    persons = [p for p in PERSONS[sector] if p in cases]
    long = cases.melt(
        id_vars=[spec.id], value_vars=persons, var_name="bearbeiter", value_name="entscheidung"
    )
    long = long[long["entscheidung"].notna()].sort_values([spec.id, "bearbeiter"])
    return long.rename(columns={spec.id: "fall_nr"}).reset_index(drop=True)
