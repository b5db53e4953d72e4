"""Team forming: an interdisciplinary team of experts for one inquiry.

Given candidates with fit scores (from ``ranking``), the team must meet the hub's
requirements (by default a technical AI discipline, work science or psychology, and
experience in the inquiry's sector where some candidate has it), stay within
``max_size``, and never take more of anyone's time than they have free. Among such teams
it maximises, in this order: the number of hard requirements met, the number of soft
("where available") requirements met, and the total of ``fit - member_cost``. A team
meeting every hard requirement is therefore found whenever the pool allows one.

Solving
-------
* Candidates without the hours a member gives, and (by default) candidates with a
  conflict of interest, are not eligible.
* **Exact pruning**: the objective and the constraints depend on a candidate only through
  its fit and its *signature*, the set of requirements it covers. An optimal team never
  needs more than ``max_size`` candidates of one signature, and can always use the best
  ones (swap any other for a better one of the same signature that is not yet in the team:
  the coverage stays, the fit does not drop). So keeping the ``max_size`` best candidates
  per signature loses no optimum; with R requirements at most ``2**R * max_size``
  candidates remain, whatever the size of the pool.
* **Exact**: a small mixed-integer programme over the pruned candidates (HiGHS through
  ``scipy.optimize.milp``; enumeration if that is unavailable).
* **Heuristic** (``method="greedy"``, and ``"auto"`` when many requirements leave a large
  pruned pool): greedy cover (the candidate meeting most unmet requirements, best fit
  first), fill the free places by fit, then swap, add and drop single members while the
  objective improves. It runs in O(iterations x size x pruned pool) and returns feasible
  teams; the bench reports its gap to the exact solution.
"""

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np

from humaine.matching.config import MatchingConfig, load_config
from humaine.matching.conflicts import Conflict, rules_from
from humaine.matching.taxonomy import Taxonomy

EXACT_LIMIT = 200
SECTOR_OF_INQUIRY = "inquiry"
CORE, CONSULTATION = "core", "consultation"
KINDS = (CORE, CONSULTATION)


@dataclass(frozen=True)
class TeamCandidate:
    """An expert as team forming sees them: fit, what they cover, capacity, conflicts."""

    id: Hashable
    fit: float
    disciplines: frozenset[str] = frozenset()
    sectors: frozenset[str] = frozenset()
    free_hours: float = 0.0
    # their best similarity to the inquiry or one of its parts (the fit floor reads it)
    topical: float = 1.0
    conflicts: tuple[Conflict, ...] = ()
    # staff decided (with a recorded reason) that the conflicts do not bar them
    overridden: bool = False
    evidence: str = ""


@dataclass(frozen=True)
class Requirement:
    """A place the team must fill: someone of these disciplines and/or with this sector,
    as a core member or for a consultation (``slot``)."""

    key: str
    label: Mapping[str, str] = field(default_factory=dict)
    disciplines: frozenset[str] = frozenset()
    sector: str | None = None
    min_count: int = 1
    hard: bool = True
    slot: str = CORE

    def covers(self, candidate: TeamCandidate) -> bool:
        if not self.disciplines and not self.sector:
            return False
        if self.disciplines and not (self.disciplines & candidate.disciplines):
            return False
        return not self.sector or self.sector in candidate.sectors


def on_conflict(rules: Mapping) -> str:
    """The hub's handling of conflicts of interest: ``exclude`` (default) or ``flag``.

    ``policy`` is the key's earlier name, still read from a hub's own settings file.

    >>> on_conflict({"policy": "flag"}), on_conflict({})
    ('flag', 'exclude')
    """
    return rules_from(rules).on_conflict


@dataclass(frozen=True)
class TeamSpec:
    requirements: tuple[Requirement, ...]
    # core members at most (consultations come on top, up to ``max_consultations``)
    max_size: int = 4
    min_size: int = 1
    # hours per month of each kind of place; an expert fills a place only with the hours free
    slot_hours: Mapping[str, float] = field(default_factory=lambda: {CORE: 8.0})
    max_consultations: int = 0
    member_cost: float = 0.0
    # nobody below this topical similarity is proposed: the place stays open
    fit_floor: float = 0.0
    on_conflict: str = "exclude"

    @property
    def hours_per_member(self) -> float:
        return float(self.slot_hours.get(CORE, 8.0))


@dataclass(frozen=True)
class Alternative:
    id: Hashable
    fit: float
    conflicts: tuple[Conflict, ...] = ()
    overridden: bool = False


@dataclass(frozen=True)
class TeamMember:
    id: Hashable
    fit: float
    covers: tuple[str, ...]
    reason: Mapping[str, str]
    conflicts: tuple[Conflict, ...] = ()
    alternatives: tuple[Alternative, ...] = ()
    slot: str = CORE
    hours: float = 8.0
    overridden: bool = False


@dataclass(frozen=True)
class UnmetRequirement:
    key: str
    label: Mapping[str, str]
    hard: bool
    # whether any eligible candidate could have covered it (on its own)
    available: bool
    # why it is open: "no_fit" (nobody in the network fits it: whom to recruit),
    # "no_capacity" (those who fit have no hours free), "conflict" (those who fit and have
    # the hours have a conflict of interest), "not_chosen" (the team is full)
    why: str = "not_chosen"


@dataclass(frozen=True)
class TeamProposal:
    members: tuple[TeamMember, ...]
    unmet: tuple[UnmetRequirement, ...]
    total_fit: float
    method: str
    flagged: tuple[tuple[Hashable, tuple[Conflict, ...]], ...] = ()
    unavailable: tuple[Hashable, ...] = ()
    slot_hours: Mapping[str, float] = field(default_factory=dict)

    @property
    def satisfied(self) -> bool:
        """Whether every hard requirement is met."""
        return not any(u.hard for u in self.unmet)


# --- configuration ---------------------------------------------------------------------


def slot_hours_of(config: MatchingConfig, override: Mapping[str, float] | None = None) -> dict:
    """Hours per month of each kind of place: the hub's, overridden per inquiry.

    >>> slot_hours_of(load_config(), {"consultation": 4})
    {'core': 8.0, 'consultation': 4.0}
    """
    team = config.team
    slots = team.get("slots") or {}
    hours = {CORE: float(team.get("hours_per_member", 8))}
    for kind, entry in slots.items():
        hours[kind] = float((entry or {}).get("hours", hours.get(kind, 8)))
    for kind, value in (override or {}).items():
        if kind in hours and value is not None:
            hours[kind] = float(value)
    return hours


def team_spec(
    config: MatchingConfig | None = None,
    *,
    sector: str | None = None,
    needs: Mapping[str, float] | None = None,
    taxonomy: Taxonomy | None = None,
    slot_hours: Mapping[str, float] | None = None,
) -> TeamSpec:
    """Build the team rules for one inquiry from the hub's configuration.

    ``sector: inquiry`` in a requirement stands for the inquiry's sector (the requirement
    is dropped when the inquiry has none). With ``add_needed_disciplines``, every
    discipline the inquiry clearly needs (``needs`` at or above the threshold) that no
    requirement covers yet becomes a soft requirement, as a consultation where
    ``discipline_slots`` says so (by default law). ``slot_hours`` overrides the hub's
    hours per kind of place for this inquiry.
    """
    config = config or load_config()
    team = config.team
    requirements = []
    for entry in team.get("requirements") or []:
        wanted_sector = entry.get("sector")
        if wanted_sector == SECTOR_OF_INQUIRY:
            wanted_sector = sector
            if not sector:
                continue
        requirements.append(
            Requirement(
                key=entry["key"],
                label=dict(entry.get("label") or {}),
                disciplines=frozenset(entry.get("disciplines") or ()),
                sector=wanted_sector,
                min_count=int(entry.get("min_count", 1)),
                hard=bool(entry.get("hard", True)),
                slot=str(entry.get("slot", CORE)),
            )
        )
    if team.get("add_needed_disciplines") and needs:
        taken = {d for r in requirements for d in r.disciplines if len(r.disciplines) == 1}
        slots = team.get("discipline_slots") or {}
        for discipline, need in sorted(needs.items(), key=lambda kv: (-kv[1], kv[0])):
            if need >= config.need_threshold and discipline not in taken:
                concept = taxonomy.disciplines.get(discipline) if taxonomy else None
                label = dict(concept.label) if concept else {"de": discipline, "en": discipline}
                requirements.append(
                    Requirement(
                        key=f"discipline:{discipline}",
                        label=label,
                        disciplines=frozenset({discipline}),
                        hard=False,
                        slot=str(slots.get(discipline, CORE)),
                    )
                )
    return TeamSpec(
        requirements=tuple(requirements),
        max_size=int(team.get("max_size", 4)),
        min_size=int(team.get("min_size", 1)),
        slot_hours=slot_hours_of(config, slot_hours),
        max_consultations=int(team.get("max_consultations", 0)),
        member_cost=float(team.get("member_cost", 0.0)),
        fit_floor=float(team.get("fit_floor", 0.0)),
        on_conflict=on_conflict(config.conflicts),
    )


# --- the optimisation on arrays ---------------------------------------------------------
# fits: (n,) float; cover: (n, R) bool; min_counts: (R,) int; hard: (R,) bool.


def objective(selection, fits, cover, min_counts, hard, member_cost=0.0) -> tuple:
    """The lexicographic objective of a selection: (hard met, soft met, total fit - cost)."""
    chosen = list(selection)
    counts = cover[chosen].sum(axis=0) if chosen else np.zeros(len(min_counts), dtype=int)
    met = counts >= min_counts
    gain = float(sum(fits[i] - member_cost for i in chosen))
    return (int((met & hard).sum()), int((met & ~hard).sum()), round(gain, 9))


# Rows may be *places*: one person as a core member (kind 0) or for a consultation
# (kind 1). ``persons`` says whose place a row is; a person takes at most one place.


def _layout(n, kinds, persons):
    kinds = np.zeros(n, dtype=int) if kinds is None else np.asarray(kinds, dtype=int)
    persons = np.arange(n) if persons is None else np.asarray(persons)
    return kinds, persons


def _core_bounds(kinds, persons, min_size: int, max_size: int) -> tuple[int, int]:
    available = len(set(persons[kinds == 0].tolist()))
    high = min(max_size, available)
    return min(min_size, high), high


def _valid(selection, kinds, persons, low, high, max_consultations) -> bool:
    chosen = list(selection)
    if len(set(persons[chosen].tolist())) < len(chosen):
        return False
    core = int((kinds[chosen] == 0).sum())
    return low <= core <= high and len(chosen) - core <= max_consultations


def solve_brute_force(
    fits,
    cover,
    min_counts,
    hard,
    max_size,
    min_size=1,
    member_cost=0.0,
    *,
    kinds=None,
    persons=None,
    max_consultations=0,
):
    """Try every team (reference for tests; exponential)."""
    n = len(fits)
    kinds, persons = _layout(n, kinds, persons)
    low, high = _core_bounds(kinds, persons, min_size, max_size)
    best, best_value = (), None
    for size in range(low, min(n, high + max_consultations) + 1):
        for team in combinations(range(n), size):
            if not _valid(team, kinds, persons, low, high, max_consultations):
                continue
            value = objective(team, fits, cover, min_counts, hard, member_cost)
            if best_value is None or value > best_value:
                best, best_value = team, value
    return best


def prune(fits, cover, max_size, kinds=None, max_consultations=0) -> np.ndarray:
    """Indices of the best rows of each coverage signature and kind of place (exact).

    A team holds at most ``max_size + max_consultations`` members, and each of them can
    block at most one row of a signature (its own, or its person's); so one of the
    ``max_size + max_consultations`` best rows of a signature is always free to replace
    a worse one without losing coverage or fit.
    """
    kinds, _ = _layout(len(fits), kinds, None)
    keep = max_size + max_consultations
    order = sorted(range(len(fits)), key=lambda i: (-fits[i], i))
    kept, per_signature = [], {}
    for i in order:
        signature = (int(kinds[i]), cover[i].tobytes())
        if per_signature.get(signature, 0) < keep:
            per_signature[signature] = per_signature.get(signature, 0) + 1
            kept.append(i)
    return np.array(sorted(kept), dtype=int)


def _milp(fits, cover, min_counts, hard, max_size, min_size, member_cost, layout):
    from scipy.optimize import Bounds, LinearConstraint, milp

    kinds, persons, max_consultations = layout
    n, r = cover.shape
    low, high = _core_bounds(kinds, persons, min_size, max_size)
    gains = np.asarray(fits, dtype=float) - member_cost
    # weights that make the objective lexicographic: hard > soft > fit
    size_bound = max_size + max_consultations
    spread = 2 * size_bound * (float(np.abs(gains).max()) if n else 0.0) + 1.0
    soft_weight = spread
    hard_weight = spread * (int((~hard).sum()) + 1)
    c = -np.concatenate([gains, np.where(hard, hard_weight, soft_weight)])
    coverage = np.hstack([cover.T.astype(float), -np.diag(min_counts.astype(float))])
    core = np.concatenate([(kinds == 0).astype(float), np.zeros(r)])[None, :]
    constraints = [
        LinearConstraint(coverage, lb=np.zeros(r), ub=np.inf),
        LinearConstraint(core, lb=low, ub=high),
    ]
    if (kinds == 1).any():
        consultation = np.concatenate([(kinds == 1).astype(float), np.zeros(r)])[None, :]
        constraints.append(LinearConstraint(consultation, lb=0, ub=max_consultations))
    shared = [p for p in set(persons.tolist()) if (persons == p).sum() > 1]
    if shared:
        rows = np.array(
            [np.concatenate([(persons == p).astype(float), np.zeros(r)]) for p in shared]
        )
        constraints.append(LinearConstraint(rows, lb=0, ub=1))
    result = milp(
        c,
        constraints=constraints,
        integrality=np.ones(n + r),
        bounds=Bounds(0, 1),
        options={"mip_rel_gap": 0.0},
    )
    if not result.success:
        raise RuntimeError(result.message)
    return tuple(int(i) for i in np.flatnonzero(result.x[:n] > 0.5))


def solve_exact(
    fits,
    cover,
    min_counts,
    hard,
    max_size,
    min_size=1,
    member_cost=0.0,
    *,
    kinds=None,
    persons=None,
    max_consultations=0,
):
    """Optimal team (indices into ``fits``): exact pruning, then a MILP."""
    fits, cover = np.asarray(fits, dtype=float), np.asarray(cover, dtype=bool)
    min_counts, hard = np.asarray(min_counts, dtype=int), np.asarray(hard, dtype=bool)
    if len(fits) == 0:
        return ()
    kinds, persons = _layout(len(fits), kinds, persons)
    kept = prune(fits, cover, max_size, kinds, max_consultations)
    args = (fits[kept], cover[kept], min_counts, hard, max_size, min_size, member_cost)
    layout = (kinds[kept], persons[kept], max_consultations)
    shape = {"kinds": layout[0], "persons": layout[1], "max_consultations": max_consultations}
    try:
        team = _milp(*args, layout)
        # guard against solver tolerances: never return worse than brute force would
        if len(kept) <= 12:
            reference = solve_brute_force(*args, **shape)
            if objective(reference, *args[:4], member_cost) > objective(
                team, *args[:4], member_cost
            ):
                team = reference
    except (ImportError, RuntimeError):
        team = solve_brute_force(*args, **shape)
    return tuple(sorted(int(kept[i]) for i in team))


def solve_greedy(
    fits,
    cover,
    min_counts,
    hard,
    max_size,
    min_size=1,
    member_cost=0.0,
    max_rounds=50,
    *,
    kinds=None,
    persons=None,
    max_consultations=0,
):
    """A fast feasible team: greedy cover, fill by fit, then single swaps/adds/drops."""
    fits, cover = np.asarray(fits, dtype=float), np.asarray(cover, dtype=bool)
    min_counts, hard = np.asarray(min_counts, dtype=int), np.asarray(hard, dtype=bool)
    n = len(fits)
    if n == 0:
        return ()
    kinds, persons = _layout(n, kinds, persons)
    pool = prune(fits, cover, max_size, kinds, max_consultations)
    low, high = _core_bounds(kinds, persons, min_size, max_size)
    team: list[int] = []

    def value(selection):
        return objective(selection, fits, cover, min_counts, hard, member_cost)

    def may_add(selection, i) -> bool:
        return i not in selection and _valid(
            [*selection, i], kinds, persons, 0, high, max_consultations
        )

    while True:
        counts = cover[team].sum(axis=0) if team else np.zeros(len(min_counts), dtype=int)
        unmet = counts < min_counts
        best, best_key = None, None
        for i in pool:
            if not may_add(team, int(i)):
                continue
            helps = cover[i] & unmet
            key = (int((helps & hard).sum()), int((helps & ~hard).sum()), fits[i], -i)
            if best_key is None or key > best_key:
                best, best_key = int(i), key
        if best is None or (best_key[0] == 0 and best_key[1] == 0):
            break
        team.append(best)
    for i in sorted(pool, key=lambda i: (-fits[i], i)):
        core = int((kinds[team] == 0).sum()) if team else 0
        if may_add(team, int(i)) and (fits[i] > member_cost or (kinds[i] == 0 and core < low)):
            team.append(int(i))
    for _ in range(max_rounds):
        current = value(team)
        moves = [[*team[:k], *team[k + 1 :], int(a)] for k in range(len(team)) for a in pool]
        moves += [[*team, int(a)] for a in pool]
        moves += [team[:k] + team[k + 1 :] for k in range(len(team))]
        improved = False
        for move in moves:
            if len(set(move)) != len(move):
                continue
            if _valid(move, kinds, persons, low, high, max_consultations) and value(move) > current:
                team, improved = move, True
                break
        if not improved:
            break
    return tuple(sorted(team))


# --- the whole proposal -----------------------------------------------------------------


def propose_team(
    candidates: Sequence[TeamCandidate],
    spec: TeamSpec,
    *,
    method: str = "auto",
    n_alternatives: int = 3,
    taxonomy: Taxonomy | None = None,
) -> TeamProposal:
    """Propose a team, with a reason per member and alternatives per place.

    Conflicts are looked at first: a candidate with a conflict of interest is listed in
    ``flagged`` whatever their hours and, under ``on_conflict: exclude``, proposed only
    when staff overrode the conflict. Nobody below ``spec.fit_floor`` is proposed (the
    place stays open, ``UnmetRequirement.why``), and nobody takes a place without its hours
    free. ``method`` is ``"exact"``, ``"greedy"`` or ``"auto"`` (exact unless the pruned
    pool exceeds ``EXACT_LIMIT``).
    """
    flagged, unavailable, rows = [], [], []
    for index, candidate in enumerate(candidates):
        barred = bool(candidate.conflicts) and not candidate.overridden
        if barred and spec.on_conflict == "exclude":
            flagged.append((candidate.id, candidate.conflicts))
            continue
        kinds = [k for k in KINDS if k in spec.slot_hours and _has_hours(candidate, spec, k)]
        if not kinds:
            unavailable.append(candidate.id)
        if candidate.topical < spec.fit_floor:
            continue
        if CONSULTATION in kinds and not any(
            r.slot == CONSULTATION and r.covers(candidate) for r in spec.requirements
        ):
            kinds.remove(CONSULTATION)
        rows += [(index, kind) for kind in kinds]
    requirements = spec.requirements
    # a consultation place covers only consultation requirements; a core member covers any
    cover = np.array(
        [
            [
                r.covers(candidates[i]) and (kind == CORE or r.slot == CONSULTATION)
                for r in requirements
            ]
            for i, kind in rows
        ],
        dtype=bool,
    ).reshape(len(rows), len(requirements))
    # ties go to the consultation place: it leaves a core place free
    fits = np.array(
        [max(0.0, candidates[i].fit) + (1e-6 if kind == CONSULTATION else 0.0) for i, kind in rows],
        dtype=float,
    )
    kinds = np.array([KINDS.index(kind) for _, kind in rows], dtype=int)
    persons = np.array([i for i, _ in rows], dtype=int)
    min_counts = np.array([r.min_count for r in requirements], dtype=int)
    hard = np.array([r.hard for r in requirements], dtype=bool)
    args = (fits, cover, min_counts, hard, spec.max_size, spec.min_size, spec.member_cost)
    shape = {"kinds": kinds, "persons": persons, "max_consultations": spec.max_consultations}
    if method == "auto":
        pruned = prune(fits, cover, spec.max_size, kinds, spec.max_consultations)
        method = "exact" if len(pruned) <= EXACT_LIMIT else "greedy"
    solver = {"exact": solve_exact, "greedy": solve_greedy}[method]
    team = solver(*args, **shape)
    counts = cover[list(team)].sum(axis=0) if team else np.zeros(len(requirements), dtype=int)
    unmet = tuple(
        UnmetRequirement(
            r.key,
            r.label,
            r.hard,
            bool(cover[:, k].any()),
            _why_open(r, candidates, spec, cover[:, k]),
        )
        for k, r in enumerate(requirements)
        if counts[k] < r.min_count
    )
    context = (rows, candidates, fits, cover, min_counts, kinds, persons, requirements, spec)
    members = tuple(
        _member(i, team, context, n_alternatives, taxonomy)
        for i in sorted(team, key=lambda i: (-fits[i], i))
    )
    return TeamProposal(
        members=members,
        unmet=unmet,
        total_fit=round(float(sum(candidates[rows[i][0]].fit for i in team)), 6),
        method=method,
        flagged=tuple(flagged),
        unavailable=tuple(unavailable),
        slot_hours=dict(spec.slot_hours),
    )


def _has_hours(candidate: TeamCandidate, spec: TeamSpec, kind: str) -> bool:
    return candidate.free_hours >= spec.slot_hours[kind]


def _why_open(requirement, candidates, spec, covered_by_rows) -> str:
    fitting = [c for c in candidates if requirement.covers(c) and c.topical >= spec.fit_floor]
    if not fitting:
        return "no_fit"
    with_hours = [c for c in fitting if _has_hours(c, spec, requirement.slot)]
    if not with_hours:
        return "no_capacity"
    if not covered_by_rows.any():
        return "conflict"
    return "not_chosen"


def _member(i, team, context, n_alternatives, taxonomy) -> TeamMember:
    rows, candidates, fits, cover, min_counts, kinds, persons, requirements, spec = context
    candidate = candidates[rows[i][0]]
    kind = rows[i][1]
    covers = tuple(r.key for k, r in enumerate(requirements) if cover[i, k])
    # alternatives: whoever could take this place without losing a met requirement;
    # first those who cover everything this member covers (they fit the place as labelled)
    before = cover[list(team)].sum(axis=0) >= min_counts
    others = [j for j in team if j != i]
    taken = {persons[j] for j in others} | {persons[i]}
    valid, seen = [], set()
    for j in range(len(rows)):
        if j in team or kinds[j] != kinds[i] or persons[j] in taken or persons[j] in seen:
            continue
        after = cover[[*others, j]].sum(axis=0) >= min_counts
        if np.all(after | ~before):
            same_place = bool(np.all(cover[j] | ~cover[i]))
            valid.append((not same_place, -fits[j], j))
            seen.add(persons[j])
    options = []
    for _, _, j in sorted(valid)[:n_alternatives]:
        other = candidates[rows[j][0]]
        options.append(
            Alternative(other.id, round(float(other.fit), 6), other.conflicts, other.overridden)
        )
    return TeamMember(
        id=candidate.id,
        fit=round(float(candidate.fit), 6),
        covers=covers,
        reason=member_reason(
            candidate, candidate.fit, [r for r in requirements if r.key in covers], taxonomy, kind
        ),
        conflicts=candidate.conflicts,
        alternatives=tuple(options),
        slot=kind,
        hours=float(spec.slot_hours[kind]),
        overridden=candidate.overridden,
    )


def member_reason(candidate, fit, covered, taxonomy=None, slot=CORE) -> dict[str, str]:
    """E.g. "covers psychology; worked on “acceptance of AI in claims handling”; fit 0.62"."""
    de, en = [], []
    if slot == CONSULTATION:
        de.append("zur Beratung")
        en.append("for a consultation")
    mine = sorted({d for r in covered for d in r.disciplines & candidate.disciplines})
    if mine:
        labels = [_label(d, taxonomy) for d in mine]
        de.append("deckt " + ", ".join(lbl["de"] for lbl in labels) + " ab")
        en.append("covers " + ", ".join(lbl["en"] for lbl in labels))
    elif candidate.disciplines:
        labels = [_label(d, taxonomy) for d in sorted(candidate.disciplines)]
        de.append("ergänzt " + ", ".join(lbl["de"] for lbl in labels))
        en.append("adds " + ", ".join(lbl["en"] for lbl in labels))
    for requirement in covered:
        if requirement.sector:
            label = _label(requirement.sector, taxonomy, group="sectors")
            de.append(f"Erfahrung in {label['de']}")
            en.append(f"experience in {label['en']}")
    if candidate.evidence:
        de.append(f"arbeitet zu „{candidate.evidence}“")
        en.append(f"worked on “{candidate.evidence}”")
    if candidate.overridden and candidate.conflicts:
        de.append("Interessenkonflikt vom Hub-Team mit Begründung zugelassen")
        en.append("conflict of interest allowed by the hub's staff, with a reason")
    de.append(f"Passung {fit:.2f}")
    en.append(f"fit {fit:.2f}")
    return {"de": "; ".join(dict.fromkeys(de)), "en": "; ".join(dict.fromkeys(en))}


def _label(key: str, taxonomy: Taxonomy | None, group: str = "disciplines") -> dict[str, str]:
    concept = getattr(taxonomy, group).get(key) if taxonomy else None
    if concept is None:
        plain = key.replace("_", " ")
        return {"de": plain, "en": plain}
    return {"de": concept.label_in("de"), "en": concept.label_in("en")}


def candidates_from_matches(
    matches, experts, conflicts: Mapping | None = None, overridden=frozenset()
) -> list[TeamCandidate]:
    """Join ranked experts (``ranking.Match``) with their profiles (``ranking.ExpertProfile``)
    into team candidates; the fit is the ranking score, the evidence its best segment.
    ``conflicts`` maps an expert to their conflicts with the inquiry; ``overridden`` holds
    the experts whose conflicts staff allowed."""
    profiles = {e.id: e for e in experts}
    conflicts = conflicts or {}
    return [
        TeamCandidate(
            id=m.id,
            fit=float(m.score),
            disciplines=frozenset(profiles[m.id].disciplines),
            sectors=frozenset(profiles[m.id].sectors),
            free_hours=float(profiles[m.id].free_hours),
            topical=float(m.topical),
            conflicts=tuple(conflicts.get(m.id, ())),
            overridden=m.id in overridden,
            evidence=m.evidence,
        )
        for m in matches
        if m.id in profiles
    ]
