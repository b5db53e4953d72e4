"""One call that does what the triage view and the preview API show for an inquiry."""

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

from humaine.matching.config import MatchingConfig, load_config
from humaine.matching.encoders import Encoder, first_part
from humaine.matching.ranking import (
    CaseRecord,
    ExpertProfile,
    Match,
    MatchQuery,
    build_query,
    default_taxonomy,
    query_in,
    rank_cases,
    rank_experts,
)
from humaine.matching.taxonomy import Taxonomy
from humaine.matching.teams import (
    TeamProposal,
    candidates_from_matches,
    propose_team,
    team_spec,
)

# how many ranked experts team forming chooses from
TEAM_POOL = 40


@dataclass(frozen=True)
class MatchResult:
    query: MatchQuery
    experts: list[Match]
    cases: list[Match]
    team: TeamProposal


def match_inquiry(
    text: str,
    encoder: Encoder,
    experts: Sequence[ExpertProfile],
    cases: Sequence[CaseRecord],
    *,
    sector: str | None = None,
    language: str | None = None,
    conflicts: Mapping[Hashable, tuple] | None = None,
    overridden: frozenset = frozenset(),
    slot_hours: Mapping[str, float] | None = None,
    expert_lexical: Mapping[Hashable, float] | None = None,
    case_lexical: Mapping[Hashable, float] | None = None,
    concept_lexical: Mapping[Hashable, float] | None = None,
    config: MatchingConfig | None = None,
    taxonomy: Taxonomy | None = None,
    limit: int = 10,
    method: str = "auto",
    query: MatchQuery | None = None,
) -> MatchResult:
    """Rank experts and cases for an inquiry and propose a team.

    ``experts`` and ``cases`` are the candidates (at scale: the nearest by stored vector
    together with the full-text hits); the lexical maps come from
    ``ranking.normalise_lexical`` (``concept_lexical``: the experts' scores for the
    lexicon's terms of the inquiry's concepts, ``ranking.expert_signals``). ``conflicts``
    maps experts to their conflicts of interest with the inquiry
    (``conflicts.conflicts_of``), ``overridden`` holds those whose conflicts staff
    allowed, ``slot_hours`` the inquiry's own hours per kind of place. Case hits still
    need the viewer's access check (``ranking.redact_case`` for cases the viewer may not
    open). Pass ``query`` when it was already built (e.g. to
    find the candidates by its vector).
    """
    config = config or load_config()
    taxonomy = taxonomy or default_taxonomy()
    if query is None:
        query = build_query(
            text, encoder, sector=sector, language=language, taxonomy=taxonomy, config=config
        )
    # reasons only for those that can be shown: the list and the team's pool
    ranked = rank_experts(
        query,
        experts,
        expert_lexical,
        config=config,
        taxonomy=taxonomy,
        explain=max(TEAM_POOL, limit),
        concept_lexical=concept_lexical,
    )
    spec = team_spec(
        config, sector=sector, needs=query.needs, taxonomy=taxonomy, slot_hours=slot_hours
    )
    pool = candidates_from_matches(ranked[:TEAM_POOL], experts, conflicts, overridden)
    team = propose_team(pool, spec, method=method, taxonomy=taxonomy)
    # cases are compared in the first part of a combined encoder (``sources.IndexedKind``)
    similar = rank_cases(
        query_in(query, first_part(encoder), taxonomy),
        cases,
        case_lexical,
        config=config,
        taxonomy=taxonomy,
        limit=limit,
    )
    return MatchResult(query=query, experts=ranked[:limit], cases=similar, team=team)
