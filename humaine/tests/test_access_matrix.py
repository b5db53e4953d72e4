"""Every URL of the hub, called as every user of the test cast: a stranger gets 404, a
forbidden action 403, a visitor the login page; and every access rule's list and
predicate agree on every object of the cast."""

import pytest

from humaine.tests import factories as f
from humaine.tests.access_matrix import check_pattern, rule_pairs_agree, unrouted, url_patterns
from humaine.tests.hooks import load_hooks

load_hooks()
PATTERNS = url_patterns()


@pytest.fixture
def matrix_cast(cast):
    # the expert is on Acme's team: experts see their team's inquiries only
    f.assign_expert(cast.expert, cast.acme_inquiry)
    return cast


def test_every_url_with_parameters_has_a_route():
    missing = [f"{p.name} {p.params}" for p in unrouted(PATTERNS)]
    assert not missing, "register a Route in the app's tests/hooks.py for: " + ", ".join(missing)


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: f"{p.name}{list(p.params)}")
def test_each_user_gets_what_the_rules_allow(pattern, matrix_cast, client):
    problems = check_pattern(pattern, matrix_cast, client)
    assert not problems, "\n".join(problems)


def test_every_rules_list_and_predicate_agree(matrix_cast):
    from humaine.check import services

    services.start_check(title="Check der Acme", inquiry=matrix_cast.acme_inquiry)
    services.start_check(title="Eigener Check", actor=matrix_cast.member)
    from humaine.scenarios import services as scenarios

    scenarios.start_scenario(
        actor=matrix_cast.staff,
        inquiry=matrix_cast.acme_inquiry,
        title="Szenario",
        goal="Ziel",
        work_process="Prozess",
    )
    from humaine.human_ai.tests.hooks import cast_rows

    cast_rows(matrix_cast)
    problems = rule_pairs_agree(matrix_cast)
    assert not problems, "\n".join(problems)
