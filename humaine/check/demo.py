"""The check's demo data: a check that hub staff started on an inquiry, with respondents.

Made through the check's services, as on the inquiry's page: started by the transfer
specialist responsible for the inquiry, who answers as manager, and two invitations.
"""


def load(demo) -> None:
    from . import services

    contact = demo.objects["contact"]
    inquiry = next(i for i in contact["inquiries"] if i.status == "scenario")
    staff = inquiry.assignee or contact["users"]["staff"]
    created = services.start_check(
        title=inquiry.work_process,
        description=inquiry.problem,
        inquiry=inquiry,
        language=inquiry.language,
        owner_role="manager",
        respondents=[
            ("user", "Sachbearbeitung Kfz" if inquiry.language == "de" else "Case handlers"),
            ("employee_rep", "Betriebsrat" if inquiry.language == "de" else "Works council"),
        ],
        actor=staff,
    )
    demo.objects["check"] = {"check": created.check}
