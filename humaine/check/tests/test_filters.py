"""Free browsing's filters: each narrows the catalogue to exactly what it names."""

from humaine.check.catalogue import default_catalogue
from humaine.check.forms import QuestionFilterForm, RecommendationFilterForm


def test_recommendations_filter_by_priority_phase_criterion_and_text():
    every = list(default_catalogue().section("recommendations"))
    assert RecommendationFilterForm({}).filtered(every) == every
    could = RecommendationFilterForm({"priority": "could"}).filtered(every)
    assert could and all(r.priority == "could" for r in could)
    assert len(could) == sum(r.priority == "could" for r in every)
    rec = every[0]
    narrowed = RecommendationFilterForm(
        {"phase": rec.phase, "criterion": rec.criterion, "q": rec.id.lower()}
    ).filtered(every)
    assert narrowed == [rec]


def test_questions_filter_by_phase_criterion_and_text_in_the_active_language():
    every = list(default_catalogue().section("questions"))
    use_workload = QuestionFilterForm({"phase": "use", "criterion": "workload"}).filtered(every)
    assert use_workload
    assert all(q.phase == "use" and q.criterion == "workload" for q in use_workload)
    assert [q.id for q in QuestionFilterForm({"q": "Stopptaste"}).filtered(every)] == ["USE-HC-01"]
    # an unknown phase is a form error: the list is not filtered by it, nothing breaks
    assert QuestionFilterForm({"phase": "nonsense"}).filtered(every) == every
