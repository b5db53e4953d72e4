"""Events as iCalendar (RFC 5545) through the maintained ``icalendar`` library."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from . import markup
from .models import Event

PRODID = "-//HUMAINE//transfer events//DE"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    return calendar


def _component(event: Event, now) -> CalendarEvent:
    item = CalendarEvent()
    item.add("uid", f"event-{event.pk}@{settings.SITE_URL.split('//')[-1]}")
    item.add("dtstamp", now)
    item.add("dtstart", event.starts_at)
    item.add("dtend", event.ends_at)
    item.add("summary", event.title)
    item.add("description", markup.plain(event.description))
    item.add("location", event.venue)
    item.add("url", settings.SITE_URL + event.get_absolute_url())
    return item


def event_ics(event: Event) -> bytes:
    """One event as an .ics file."""
    calendar = _calendar(event.title)
    calendar.add_component(_component(event, timezone.now()))
    return calendar.to_ical()


def feed_ics(events, name: str) -> bytes:
    """A calendar feed of ``events``."""
    calendar = _calendar(name)
    now = timezone.now()
    for event in events:
        calendar.add_component(_component(event, now))
    return calendar.to_ical()
