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
from humaine.matching.taxonomy import Taxonomy

EXACT_LIMIT = 200
SECTOR_OF_INQUIRY = "inquiry"


@dataclass(frozen=True)
class TeamCandidate:
    """An expert as team forming sees them: fit, what they cover, capacity, employer."""

    id: Hashable
    fit: float
    disciplines: frozenset[str] = frozenset()
    sectors: frozenset[str] = frozenset()
    free_hours: float = 0.0
    employer: Hashable | None = None
    employer_kind: str = ""
    employer_sector: str = ""
    evidence: str = ""


@dataclass(frozen=True)
class Requirement:
    """A slot the team must fill: someone of these disciplines and/or with this sector."""

    key: str
    label: Mapping[str, str] = field(default_factory=dict)
    disciplines: frozenset[str] = frozenset()
    sector: str | None = None
    min_count: int = 1
    hard: bool = True

    def covers(self, candidate: TeamCandidate) -> bool:
        if not self.disciplines and not self.sector:
            return False
        if self.disciplines and not (self.disciplines & candidate.disciplines):
            return False
        return not self.sector or self.sector in candidate.sectors


@dataclass(frozen=True)
class ConflictRules:
    competitor_same_sector: bool = True
    same_organisation: bool = True
    # "exclude": never proposed (listed as flagged); "flag": may be proposed, flagged
    on_conflict: str = "exclude"


def on_conflict(rules: Mapping) -> str:
    """The hub's handling of conflicts of interest: ``exclude`` (default) or ``flag``.

    ``policy`` is the key's earlier name, still read from a hub's own settings file.

    >>> on_conflict({"policy": "flag"}), on_conflict({})
    ('flag', 'exclude')
    """
    return str(rules.get("on_conflict", rules.get("policy", "exclude")))


@dataclass(frozen=True)
class Inquirer:
    """The organisation that brought the inquiry."""

    organisation: Hashable | None = None
    sector: str | None = None


@dataclass(frozen=True)
class TeamSpec:
    requirements: tuple[Requirement, ...]
    max_size: int = 4
    min_size: int = 1
    hours_per_member: float = 8.0
    member_cost: float = 0.0
    conflicts: ConflictRules = ConflictRules()


@dataclass(frozen=True)
class Conflict:
    code: str
    reason: Mapping[str, str]


@dataclass(frozen=True)
class Alternative:
    id: Hashable
    fit: float
    conflicts: tuple[Conflict, ...] = ()


@dataclass(frozen=True)
class TeamMember:
    id: Hashable
    fit: float
    covers: tuple[str, ...]
    reason: Mapping[str, str]
    conflicts: tuple[Conflict, ...] = ()
    alternatives: tuple[Alternative, ...] = ()


@dataclass(frozen=True)
class UnmetRequirement:
    key: str
    label: Mapping[str, str]
    hard: bool
    # whether any eligible candidate could have covered it (on its own)
    available: bool


@dataclass(frozen=True)
class TeamProposal:
    members: tuple[TeamMember, ...]
    unmet: tuple[UnmetRequirement, ...]
    total_fit: float
    method: str
    flagged: tuple[tuple[Hashable, tuple[Conflict, ...]], ...] = ()
    unavailable: tuple[Hashable, ...] = ()

    @property
    def satisfied(self) -> bool:
        """Whether every hard requirement is met."""
        return not any(u.hard for u in self.unmet)


# --- configuration ---------------------------------------------------------------------


def team_spec(
    config: MatchingConfig | None = None,
    *,
    sector: str | None = None,
    needs: Mapping[str, float] | None = None,
    taxonomy: Taxonomy | None = None,
) -> TeamSpec:
    """Build the team rules for one inquiry from the hub's configuration.

    ``sector: inquiry`` in a requirement stands for the inquiry's sector (the requirement
    is dropped when the inquiry has none). With ``add_needed_disciplines``, every
    discipline the inquiry clearly needs (``needs`` at or above the threshold) that no
    requirement covers yet becomes a soft requirement.
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
            )
        )
    if team.get("add_needed_disciplines") and needs:
        taken = {d for r in requirements for d in r.disciplines}
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
                    )
                )
    rules = config.conflicts
    return TeamSpec(
        requirements=tuple(requirements),
        max_size=int(team.get("max_size", 4)),
        min_size=int(team.get("min_size", 1)),
        hours_per_member=float(team.get("hours_per_member", 8)),
        member_cost=float(team.get("member_cost", 0.0)),
        conflicts=ConflictRules(
            competitor_same_sector=bool(rules.get("competitor_same_sector", True)),
            same_organisation=bool(rules.get("same_organisation", True)),
            on_conflict=on_conflict(rules),
        ),
    )


def conflicts_of(
    candidate: TeamCandidate, inquirer: Inquirer | None, rules: ConflictRules
) -> tuple[Conflict, ...]:
    """Return the candidate's conflicts of interest with the inquiring organisation.

    >>> rival = TeamCandidate("e1", 0.5, employer="B AG", employer_kind="company",
    ...                       employer_sector="insurance")
    >>> [c.code for c in conflicts_of(rival, Inquirer("A AG", "insurance"), ConflictRules())]
    ['competitor_same_sector']
    """
    if inquirer is None or candidate.employer is None:
        return ()
    found = []
    same = inquirer.organisation is not None and candidate.employer == inquirer.organisation
    if rules.same_organisation and same:
        found.append(
            Conflict(
                "same_organisation",
                {
                    "de": f"beschäftigt bei der anfragenden Organisation ({candidate.employer})",
                    "en": f"employed by the inquiring organisation ({candidate.employer})",
                },
            )
        )
    if (
        rules.competitor_same_sector
        and not same
        and candidate.employer_kind == "company"
        and inquirer.sector
        and candidate.employer_sector == inquirer.sector
    ):
        found.append(
            Conflict(
                "competitor_same_sector",
                {
                    "de": f"beschäftigt bei {candidate.employer}, "
                    "einem Unternehmen derselben Branche",
                    "en": f"employed by {candidate.employer}, a company in the same sector",
                },
            )
        )
    return tuple(found)


# --- the optimisation on arrays ---------------------------------------------------------
# fits: (n,) float; cover: (n, R) bool; min_counts: (R,) int; hard: (R,) bool.


def objective(selection, fits, cover, min_counts, hard, member_cost=0.0) -> tuple:
    """The lexicographic objective of a selection: (hard met, soft met, total fit - cost)."""
    chosen = list(selection)
    counts = cover[chosen].sum(axis=0) if chosen else np.zeros(len(min_counts), dtype=int)
    met = counts >= min_counts
    gain = float(sum(fits[i] - member_cost for i in chosen))
    return (int((met & hard).sum()), int((met & ~hard).sum()), round(gain, 9))


def _size_bounds(n: int, min_size: int, max_size: int) -> tuple[int, int]:
    upper = min(max_size, n)
    return min(min_size, upper), upper


def solve_brute_force(fits, cover, min_counts, hard, max_size, min_size=1, member_cost=0.0):
    """Try every team (reference for tests; exponential)."""
    n = len(fits)
    low, high = _size_bounds(n, min_size, max_size)
    best, best_value = (), None
    for size in range(low, high + 1):
        for team in combinations(range(n), size):
            value = objective(team, fits, cover, min_counts, hard, member_cost)
            if best_value is None or value > best_value:
                best, best_value = team, value
    return best


def prune(fits, cover, max_size) -> np.ndarray:
    """Indices of the ``max_size`` best candidates of each coverage signature (exact)."""
    order = sorted(range(len(fits)), key=lambda i: (-fits[i], i))
    kept, per_signature = [], {}
    for i in order:
        signature = cover[i].tobytes()
        if per_signature.get(signature, 0) < max_size:
            per_signature[signature] = per_signature.get(signature, 0) + 1
            kept.append(i)
    return np.array(sorted(kept), dtype=int)


def _milp(fits, cover, min_counts, hard, max_size, min_size, member_cost):
    from scipy.optimize import Bounds, LinearConstraint, milp

    n, r = cover.shape
    low, high = _size_bounds(n, min_size, max_size)
    gains = np.asarray(fits, dtype=float) - member_cost
    # weights that make the objective lexicographic: hard > soft > fit
    spread = 2 * max_size * (float(np.abs(gains).max()) if n else 0.0) + 1.0
    soft_weight = spread
    hard_weight = spread * (int((~hard).sum()) + 1)
    c = -np.concatenate([gains, np.where(hard, hard_weight, soft_weight)])
    coverage = np.hstack([cover.T.astype(float), -np.diag(min_counts.astype(float))])
    size = np.concatenate([np.ones(n), np.zeros(r)])[None, :]
    constraints = [
        LinearConstraint(coverage, lb=np.zeros(r), ub=np.inf),
        LinearConstraint(size, lb=low, ub=high),
    ]
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


def solve_exact(fits, cover, min_counts, hard, max_size, min_size=1, member_cost=0.0):
    """Optimal team (indices into ``fits``): exact pruning, then a MILP."""
    fits, cover = np.asarray(fits, dtype=float), np.asarray(cover, dtype=bool)
    min_counts, hard = np.asarray(min_counts, dtype=int), np.asarray(hard, dtype=bool)
    if len(fits) == 0:
        return ()
    kept = prune(fits, cover, max_size)
    args = (fits[kept], cover[kept], min_counts, hard, max_size, min_size, member_cost)
    try:
        team = _milp(*args)
        # guard against solver tolerances: never return worse than brute force would
        if len(kept) <= 12:
            reference = solve_brute_force(*args)
            if objective(reference, *args[:4], member_cost) > objective(
                team, *args[:4], member_cost
            ):
                team = reference
    except (ImportError, RuntimeError):
        team = solve_brute_force(*args)
    return tuple(sorted(int(kept[i]) for i in team))


def solve_greedy(
    fits, cover, min_counts, hard, max_size, min_size=1, member_cost=0.0, max_rounds=50
):
    """A fast feasible team: greedy cover, fill by fit, then single swaps/adds/drops."""
    fits, cover = np.asarray(fits, dtype=float), np.asarray(cover, dtype=bool)
    min_counts, hard = np.asarray(min_counts, dtype=int), np.asarray(hard, dtype=bool)
    n = len(fits)
    if n == 0:
        return ()
    pool = prune(fits, cover, max_size)
    low, high = _size_bounds(n, min_size, max_size)
    team: list[int] = []

    def value(selection):
        return objective(selection, fits, cover, min_counts, hard, member_cost)

    while len(team) < high:
        counts = cover[team].sum(axis=0) if team else np.zeros(len(min_counts), dtype=int)
        unmet = counts < min_counts
        best, best_key = None, None
        for i in pool:
            if i in team:
                continue
            helps = cover[i] & unmet
            key = (int((helps & hard).sum()), int((helps & ~hard).sum()), fits[i], -i)
            if best_key is None or key > best_key:
                best, best_key = int(i), key
        if best is None or (best_key[0] == 0 and best_key[1] == 0):
            break
        team.append(best)
    for i in sorted(pool, key=lambda i: (-fits[i], i)):
        if len(team) >= high:
            break
        if i not in team and (fits[i] > member_cost or len(team) < low):
            team.append(int(i))
    for _ in range(max_rounds):
        current = value(team)
        moves = [[*team[:k], *team[k + 1 :], int(a)] for k in range(len(team)) for a in pool]
        moves += [[*team, int(a)] for a in pool] if len(team) < high else []
        moves += [team[:k] + team[k + 1 :] for k in range(len(team))] if len(team) > low else []
        improved = False
        for move in moves:
            if len(set(move)) == len(move) and value(move) > current:
                team, improved = move, True
                break
        if not improved:
            break
    return tuple(sorted(team))


# --- the whole proposal -----------------------------------------------------------------


def propose_team(
    candidates: Sequence[TeamCandidate],
    spec: TeamSpec,
    inquirer: Inquirer | None = None,
    *,
    method: str = "auto",
    n_alternatives: int = 3,
    taxonomy: Taxonomy | None = None,
) -> TeamProposal:
    """Propose a team, with a reason per member and alternatives per slot.

    ``method`` is ``"exact"``, ``"greedy"`` or ``"auto"`` (exact unless the pruned pool
    exceeds ``EXACT_LIMIT``). Nobody without ``spec.hours_per_member`` free hours is
    proposed or offered as an alternative.
    """
    flagged, unavailable, eligible, their_conflicts = [], [], [], []
    for candidate in candidates:
        found = conflicts_of(candidate, inquirer, spec.conflicts)
        if candidate.free_hours < spec.hours_per_member:
            unavailable.append(candidate.id)
            continue
        if found:
            flagged.append((candidate.id, found))
            if spec.conflicts.on_conflict == "exclude":
                continue
        eligible.append(candidate)
        their_conflicts.append(found)
    requirements = spec.requirements
    fits = np.array([max(0.0, c.fit) for c in eligible], dtype=float)
    cover = np.array([[r.covers(c) for r in requirements] for c in eligible], dtype=bool).reshape(
        len(eligible), len(requirements)
    )
    min_counts = np.array([r.min_count for r in requirements], dtype=int)
    hard = np.array([r.hard for r in requirements], dtype=bool)
    args = (fits, cover, min_counts, hard, spec.max_size, spec.min_size, spec.member_cost)
    if method == "auto":
        method = "exact" if len(prune(fits, cover, spec.max_size)) <= EXACT_LIMIT else "greedy"
    solver = {"exact": solve_exact, "greedy": solve_greedy}[method]
    team = solver(*args)
    counts = cover[list(team)].sum(axis=0) if team else np.zeros(len(requirements), dtype=int)
    unmet = tuple(
        UnmetRequirement(r.key, r.label, r.hard, bool(cover[:, k].any()))
        for k, r in enumerate(requirements)
        if counts[k] < r.min_count
    )
    members = tuple(
        _member(i, team, eligible, their_conflicts, args, requirements, n_alternatives, taxonomy)
        for i in sorted(team, key=lambda i: (-fits[i], i))
    )
    return TeamProposal(
        members=members,
        unmet=unmet,
        total_fit=round(float(fits[list(team)].sum()), 6) if team else 0.0,
        method=method,
        flagged=tuple(flagged),
        unavailable=tuple(unavailable),
    )


def _member(i, team, eligible, their_conflicts, args, requirements, n_alternatives, taxonomy):
    fits, cover, min_counts, hard = args[:4]
    candidate = eligible[i]
    covers = tuple(r.key for k, r in enumerate(requirements) if cover[i, k])
    # alternatives: whoever could replace this member without losing a met requirement;
    # first those who cover everything this member covers (they fit the place as labelled)
    before = cover[list(team)].sum(axis=0) >= min_counts
    others = [j for j in team if j != i]
    valid = []
    for j in range(len(eligible)):
        if j in team:
            continue
        after = cover[[*others, j]].sum(axis=0) >= min_counts
        if np.all(after | ~before):
            same_place = bool(np.all(cover[j] | ~cover[i]))
            valid.append((not same_place, -fits[j], j))
    options = [
        Alternative(eligible[j].id, round(float(fits[j]), 6), their_conflicts[j])
        for _, _, j in sorted(valid)[:n_alternatives]
    ]
    return TeamMember(
        id=candidate.id,
        fit=round(float(fits[i]), 6),
        covers=covers,
        reason=member_reason(
            candidate, fits[i], [r for r in requirements if r.key in covers], taxonomy
        ),
        conflicts=their_conflicts[i],
        alternatives=tuple(options),
    )


def member_reason(candidate, fit, covered, taxonomy=None) -> dict[str, str]:
    """E.g. "covers psychology; worked on “acceptance of AI in claims handling”; fit 0.62"."""
    de, en = [], []
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
    de.append(f"Passung {fit:.2f}")
    en.append(f"fit {fit:.2f}")
    return {"de": "; ".join(dict.fromkeys(de)), "en": "; ".join(dict.fromkeys(en))}


def _label(key: str, taxonomy: Taxonomy | None, group: str = "disciplines") -> dict[str, str]:
    concept = getattr(taxonomy, group).get(key) if taxonomy else None
    if concept is None:
        plain = key.replace("_", " ")
        return {"de": plain, "en": plain}
    return {"de": concept.label_in("de"), "en": concept.label_in("en")}


def candidates_from_matches(matches, experts) -> list[TeamCandidate]:
    """Join ranked experts (``ranking.Match``) with their profiles (``ranking.ExpertProfile``)
    into team candidates; the fit is the ranking score, the evidence its best segment."""
    profiles = {e.id: e for e in experts}
    return [
        TeamCandidate(
            id=m.id,
            fit=float(m.score),
            disciplines=frozenset(profiles[m.id].disciplines),
            sectors=frozenset(profiles[m.id].sectors),
            free_hours=float(profiles[m.id].free_hours),
            employer=profiles[m.id].employer,
            employer_kind=profiles[m.id].employer_kind,
            employer_sector=profiles[m.id].employer_sector,
            evidence=m.evidence,
        )
        for m in matches
        if m.id in profiles
    ]
