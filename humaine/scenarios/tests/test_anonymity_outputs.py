"""No page, API call or export shows a figure about fewer than N people, not even by
differencing shown figures (hypothesis over random groups, waves, gaps and codes)."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from humaine.core.models import ApiToken
from humaine.scenarios import services
from humaine.scenarios.anonymity import is_safe
from humaine.scenarios.instruments import default_library, scale_score

from .conftest import make_survey, open_wave, plant, trust

pytestmark = pytest.mark.django_db
MIN_N = 5

group_answers = st.lists(
    st.tuples(st.integers(1, 5), st.booleans(), st.integers(0, 6)), min_size=0, max_size=9
)


def rows(values):
    """(answers, code) per response; some skip an item of the trust scale."""
    out = []
    for value, complete, code in values:
        answers = trust(value)
        if not complete:
            answers.pop("TRU-2")
        out.append((answers, f"{code:064x}" if code else ""))
    return out


def figures_from_outputs(client, scenario, survey, headers):
    pk = scenario.pk
    html = client.get(reverse("scenarios:results", args=[pk, survey.pk])).content.decode()
    html += client.get(reverse("scenarios:report", args=[pk])).content.decode()
    html += client.get(reverse("scenarios:outcomes", args=[pk])).content.decode()
    ns = [int(n) for n in re.findall(r'data-n="(\d+)"', html)]
    api = client.get(f"/api/v1/scenarios/{pk}/surveys/{survey.pk}/results", **headers).json()
    ns += [r["n"] for r in api if r["n"] is not None]
    export = client.get(reverse("scenarios:results_csv", args=[pk, survey.pk])).content.decode()
    table = list(csv.DictReader(io.StringIO(export)))
    ns += [int(r["n"]) for r in table if r["n"]]
    return ns, api


def members(wave, group_name, groups):
    """The responses behind a shown cell, recomputed from the database."""
    items = [i.id for i in default_library().scale("trust").items]
    out = set()
    for response in wave.responses.all():
        if scale_score(default_library(), items, response.answers) is None:
            continue
        if group_name in ("Alle Gruppen", groups.get(response.group_id)):
            out.add(response.pk)
    return out


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(group_answers, min_size=1, max_size=3), st.lists(group_answers, min_size=1, max_size=3)
)
def test_every_output_respects_the_threshold_and_differencing(cast, client, base, follow):
    _token, key = ApiToken.issue(cast.staff, "t")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    client.force_login(cast.staff)
    cache.clear()
    with transaction.atomic():
        scenario = services.start_scenario(
            actor=cast.staff,
            title="T",
            goal="G",
            work_process="W",
            organisation=cast.acme,
            sector=cast.sectors["insurance"],
        )
        n_groups = max(len(base), len(follow))
        groups = [
            services.save_group(scenario, actor=cast.staff, name=f"G{i}", headcount=20)
            for i in range(n_groups)
        ]
        survey = make_survey(scenario, groups, cast.staff, scales=["trust"])
        start = timezone.localdate() - timedelta(days=40)
        w1 = open_wave(survey, cast.staff, start=start)
        for group, values in zip(groups, base):
            data = rows(values)
            plant(w1, group, [a for a, _ in data], [c for _, c in data])
        services.close_wave(w1, actor=cast.staff)
        w2 = open_wave(survey, cast.staff, kind="follow_up", label="F")
        for group, values in zip(groups, follow):
            data = rows(values)
            plant(w2, group, [a for a, _ in data], [c for _, c in data])
        services.close_wave(w2, actor=cast.staff)
        ns, api = figures_from_outputs(client, scenario, survey, headers)
        assert all(n >= MIN_N for n in ns), ns
        names = {g.pk: g.name for g in groups}
        for wave in (w1, w2):
            shown = [r["group"] for r in api if r["wave"] == wave.label and r["n"] is not None]
            cells = {name: members(wave, name, names) for name in shown}
            assert is_safe(cells, cells, MIN_N)
            for name, cell in cells.items():
                row = next(r for r in api if r["wave"] == wave.label and r["group"] == name)
                assert row["n"] == len(cell)
        transaction.set_rollback(True)
