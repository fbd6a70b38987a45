"""Registries the core offers; the apps above fill them in their `AppConfig.ready()`.

Like `admin.site.register`, they let the core list what other apps bring without
importing them: which apps' permissions the role groups hold, and the sections
a unit's page shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.functional import Promise

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from parplan.models import Plan, Unit

# --- Role rights ----------------------------------------------------------------

_ROLE_APPS: list[str] = ["parplan"]


def register_role_app(app_label: str) -> None:
    """Let the role groups hold `app_label`'s permissions (all for the secretariat, view_* for the steering)."""
    if app_label not in _ROLE_APPS:
        _ROLE_APPS.append(app_label)


def role_apps() -> tuple[str, ...]:
    return tuple(_ROLE_APPS)


# --- Rights a unit's people hold on their own unit ------------------------------------


@dataclass(frozen=True)
class UnitRight:
    """A permission on `parplan.Unit` that an app above defines (e.g. entering the unit's figures).

    `roles` are the unit roles whose per-unit group holds it on their own unit
    (granted by `unit_upsert`); a right with no roles is held only globally, by
    the role groups (e.g. reviewing figures, the secretariat's).
    """

    codename: str
    name: str | Promise
    roles: tuple[str, ...] = ()


_UNIT_RIGHTS: dict[str, UnitRight] = {}


def register_unit_right(right: UnitRight) -> None:
    _UNIT_RIGHTS[right.codename] = right


def unit_rights() -> tuple[UnitRight, ...]:
    return tuple(_UNIT_RIGHTS.values())


# --- Sections of a unit's page ----------------------------------------------------


@dataclass(frozen=True)
class UnitSection:
    """A part of a unit's page: its template and a function that gathers its context.

    `context(user, unit, plans)` gets the unit and the plans the person may read
    and returns the template's context; it must run a fixed number of queries.
    """

    order: int
    template: str
    context: Callable[[User, Unit, QuerySet[Plan]], dict[str, Any]]


_UNIT_SECTIONS: list[UnitSection] = []


def register_unit_section(section: UnitSection) -> None:
    if section not in _UNIT_SECTIONS:
        _UNIT_SECTIONS.append(section)
        _UNIT_SECTIONS.sort(key=lambda s: s.order)


def unit_sections() -> tuple[UnitSection, ...]:
    return tuple(_UNIT_SECTIONS)


# --- Sections of a reform area on the plan's pages -----------------------------------


@dataclass(frozen=True)
class AreaSection:
    """A part of an area on the plan and area pages (its targets, its tasks…).

    The template reads `area` and `plan`; `prefetch` names what it reads of the
    area (e.g. "tasks__lead_unit"), so the page loads it in a fixed number of queries.
    """

    order: int
    template: str
    prefetch: tuple[str, ...] = ()


_AREA_SECTIONS: list[AreaSection] = []


def register_area_section(section: AreaSection) -> None:
    if section not in _AREA_SECTIONS:
        _AREA_SECTIONS.append(section)
        _AREA_SECTIONS.sort(key=lambda s: s.order)


def area_sections() -> tuple[AreaSection, ...]:
    return tuple(_AREA_SECTIONS)


def area_prefetch() -> list[str]:
    """What the registered area sections read, for `ReformArea.objects.for_overview(*area_prefetch())`."""
    return [lookup for section in _AREA_SECTIONS for lookup in section.prefetch]


# --- What an ended unit hands over to the unit that succeeds it ---------------------------


@dataclass(frozen=True)
class UnitSuccession:
    """How an app above hands a unit's open work to its successor (two communes merged into one).

    `open_work(unit)` counts what would be left without anyone to do it (a unit with open work is not
    simply ended); `hand_over(old, new, user, reason)` moves it and returns how many records moved. What
    is finished stays with the old unit, under its name.
    """

    label: str | Promise
    open_work: Callable[[Unit], int]
    hand_over: Callable[[Unit, Unit, Any, str], int]


_SUCCESSIONS: list[UnitSuccession] = []


def register_unit_succession(succession: UnitSuccession) -> None:
    if succession not in _SUCCESSIONS:
        _SUCCESSIONS.append(succession)


def unit_successions() -> tuple[UnitSuccession, ...]:
    return tuple(_SUCCESSIONS)
