"""Matching's demo data: teams of experts on the demo's matched inquiries.

Teams are accepted through :func:`humaine.matching.services.accept_team` (capacity and
conflicts of interest checked, load and audit recorded). The embeddings follow in the
background jobs the saves enqueued (``humaine run`` starts a worker).
"""

HOURS = 4


def load(demo) -> None:
    from . import services

    contact = demo.objects["contact"]
    experts, users = contact["experts"], contact["users"]
    free = {expert.pk: expert.capacity_hours for expert in experts}
    matched = [i for i in contact["inquiries"] if i.status in ("matched", "scenario")]
    # The demo's expert accounts are on the first team, so they see an inquiry.
    accounts = [experts[index] for _username, index in _expert_accounts()]
    for number, inquiry in enumerate(matched):
        preferred = [experts[number % 5], experts[number % 5 + 1], *experts[9:]]
        if number == 0:
            preferred = [*accounts, *preferred]
        team = []
        for expert in dict.fromkeys(preferred):
            if len(team) < 3 and free[expert.pk] >= HOURS:
                team.append(expert)
                free[expert.pk] -= HOURS
        actor = inquiry.assignee or users["staff"]
        services.accept_team(inquiry, [e.pk for e in team], actor=actor, hours=HOURS, notify=False)


def _expert_accounts():
    from humaine.contact.demo import EXPERT_ACCOUNTS

    return EXPERT_ACCOUNTS
