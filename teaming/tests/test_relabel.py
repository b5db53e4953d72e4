"""Renaming a fitted team's persons: same routing under the new names, nothing of the old
names left in a saved team, retired persons get no cases."""

from __future__ import annotations

import numpy as np
import pytest

import teaming
from teaming import HumanAITeam, load_team, save_team

NEW = {"anna": "X-0A1B2C3D4E5F", "cem": "X-99887766AABB"}


def _files_mention(folder, name: str) -> list[str]:
    return sorted(
        p.name for p in folder.rglob("*") if p.is_file() and name.encode() in p.read_bytes()
    )


def test_relabel_is_public_and_leaves_the_team_unchanged(fitted):
    renamed = teaming.relabel_persons(fitted, NEW)
    assert renamed.persons_ == ["X-0A1B2C3D4E5F", "ben", "X-99887766AABB"]
    assert fitted.persons_ == ["anna", "ben", "cem"]
    assert set(renamed.roles_) == set(renamed.persons_)
    assert "anna" not in renamed.training_metrics_["person_cases"]


def test_renamed_team_routes_the_same_cases_to_the_renamed_persons(fitted, split):
    _, test = split
    renamed = teaming.relabel_persons(fitted, NEW)
    before = fitted.route(test.X, explain=False).routed_to.tolist()
    after = renamed.route(test.X, explain=False).routed_to.tolist()
    assert [NEW.get(p, p) for p in before] == after
    assert "X-0A1B2C3D4E5F" in after  # anna had cases, now under her new name


def test_saved_renamed_team_holds_no_old_name_and_loads(fitted, split, tmp_path):
    _, test = split
    assert _files_mention(save_team(fitted, tmp_path / "old"), "anna")  # the test can see it
    folder = save_team(teaming.relabel_persons(fitted, NEW), tmp_path / "new")
    assert _files_mention(folder, "anna") == [] and _files_mention(folder, "cem") == []
    loaded = load_team(folder)
    assert loaded.persons_ == ["X-0A1B2C3D4E5F", "ben", "X-99887766AABB"]
    expected = [NEW.get(p, p) for p in fitted.route(test.X, explain=False).routed_to]
    assert loaded.route(test.X, explain=False).routed_to.tolist() == expected


@pytest.mark.filterwarnings("ignore::teaming.DataWarning")
def test_retired_person_gets_no_case_even_when_offered(fitted, split, tmp_path):
    _, test = split
    assert "anna" in set(fitted.route(test.X, explain=False).routed_to)
    retired = teaming.relabel_persons(fitted, NEW, retire=["anna"])
    assert retired.persons_left_out_ == ["X-0A1B2C3D4E5F"]
    for team in (retired, load_team(save_team(retired, tmp_path / "t"))):
        routed = team.route(test.X, explain=False, available=team.persons_).routed_to
        assert "X-0A1B2C3D4E5F" not in set(routed)
        state = team.new_stream_state()
        for case in test.X.head(60).to_dict("records"):
            answer = team.route_one(case, explain=False, available=team.persons_, state=state)
            assert answer["routed_to"] != "X-0A1B2C3D4E5F"
    # the others still get cases
    assert {"ben", "X-99887766AABB"} & set(retired.route(test.X, explain=False).routed_to)


def test_per_person_limits_follow_the_new_names(split):
    train, test = split
    team = HumanAITeam(method="combine", capacity=0.4, person_capacity={"anna": 0.02}).fit(train)
    renamed = teaming.relabel_persons(team, {"anna": "P-NEW"})
    assert renamed.person_capacity == {"P-NEW": 0.02}
    routed = renamed.route(test.X, explain=False).routed_to
    assert (routed == "P-NEW").sum() == (
        team.route(test.X, explain=False).routed_to == "anna"
    ).sum()


def test_two_persons_cannot_share_a_name(fitted):
    with pytest.raises(ValueError, match="share the name 'ben'"):
        teaming.relabel_persons(fitted, {"anna": "ben"})
    with pytest.raises(ValueError, match="empty"):
        teaming.relabel_persons(fitted, {"anna": " "})


def test_unknown_names_are_ignored(fitted):
    renamed = teaming.relabel_persons(fitted, {"nobody": "P-1"})
    assert renamed.persons_ == fitted.persons_
    assert np.array_equal(renamed.routable_, fitted.routable_)
