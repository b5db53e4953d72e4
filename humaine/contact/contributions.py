"""What the contact point adds to the rest of the hub, registered in ``AppConfig.ready()``."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from humaine import policy
from humaine.core import audit, demo, figures, fulltext, navigation, personal_data, reach
from humaine.notifications import kinds as notification_kinds

from . import access, audit_actions
from . import demo as contact_demo
from . import figures as contact_figures
from . import notifications as contact_notifications
from . import personal_data as contact_personal_data
from .search import INQUIRY_INDEX


def _not_staff(user) -> bool:
    return navigation.logged_in(user) and not policy.is_staff(user)


def _inquiries_text(user) -> str:
    if policy.is_member(user):
        return gettext("Your organisation's inquiries and their status.")
    return gettext("The inquiries whose team you are on.")


PUBLIC = [
    ("contact.home", _("Home"), "contact:home", 10, ""),
    ("contact.sectors", _("Sectors"), "contact:sectors", 20, ""),
    ("contact.how_it_works", _("How it works"), "contact:how_it_works", 30, ""),
    ("contact.reach_us", _("Contact"), "contact:reach_us", 50, ""),
    ("contact.inquiry_form", _("Send an inquiry"), "contact:inquiry_form", 60, "button"),
]


def _has_inquiries() -> bool:
    from .models import Inquiry

    return Inquiry.objects.exists()


def register() -> None:
    for action in audit_actions.ACTIONS:
        audit.ACTIONS.register(action)
    policy.ROLE_SOURCES.register(access.ROLES)
    for rule in access.RULES:
        policy.RULES.register(rule)
    demo.DEMO_DATA.register(
        demo.DemoData(
            "contact",
            contact_demo.load,
            order=10,
            present=_has_inquiries,
            holds="inquiries",
            accounts=contact_demo.ACCOUNTS,
        )
    )
    fulltext.INDEXES.register(INQUIRY_INDEX)
    for kind in contact_notifications.KINDS:
        notification_kinds.KINDS.register(kind)
    figures.FIGURES.register(figures.FigureSource("contact", contact_figures.counts, order=10))
    reach.REACH.register(
        reach.ReachSource(
            "contact", contact_figures.people_reached, contact_figures.organisations_reached
        )
    )
    personal_data.SECTIONS.register(contact_personal_data.INQUIRIES)
    personal_data.SECTIONS.register(contact_personal_data.PERSON)
    for name, label, url, order, style in PUBLIC:
        navigation.NAV.register(navigation.NavEntry(name, label, url, order=order, style=style))
    navigation.NAV.register(
        navigation.NavEntry(
            "contact.queue",
            _("Triage queue"),
            "contact:queue",
            visible=access.can_view_triage_queue,
            area="account",
            order=10,
            start=True,
        )
    )
    navigation.NAV.register(
        navigation.NavEntry(
            "contact.people",
            _("People"),
            "contact:person_search",
            visible=access.can_manage_personal_data,
            area="account",
            order=15,
        )
    )
    navigation.NAV.register(
        navigation.NavEntry(
            "contact.my_inquiries",
            _("Inquiries"),
            "contact:my_inquiries",
            visible=_not_staff,
            area="account",
            order=20,
        )
    )
    navigation.DASHBOARD.register(
        navigation.DashboardCard(
            "contact.inquiries", _("Inquiries"), "contact:my_inquiries", _inquiries_text, order=10
        )
    )
    navigation.DASHBOARD.register(
        navigation.DashboardCard(
            "contact.new_inquiry",
            _("New inquiry"),
            "contact:inquiry_form",
            _("Bring a new case to the hub."),
            order=20,
        )
    )
