"""Units named as documents name them, matched to the unit tree.

A plan writes "Phòng Nội vụ", "Phòng VH&TT", "Phòng TC-KH", "UBND các xã, thị
trấn", "các cơ quan chuyên môn", "Trung tâm Văn hóa, Thể thao và Truyền thông
huyện". A name matches a unit when it is the unit's name up to case, spacing,
"UBND"/"Ủy ban nhân dân" and a trailing "huyện"/"tỉnh"; or when its words after
the kind word ("Phòng", "Sở", "Trung tâm"…) are the initials of the unit's
("VH&TT" for "Văn hóa và Thông tin"). "Các xã", "các phòng" and the like name
every unit of those kinds under the issuer. A name that matches nothing is
returned as such, for a warning: never a guess.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.db.models import Q

from parplan.models import Unit

_HEADS = ("văn phòng", "trung tâm", "phòng", "sở", "ban", "ủy ban nhân dân", "thanh tra", "chi cục", "đài", "trường")
# "Trung tâm … huyện", "Thanh tra tỉnh": the bare level word the tree's name may leave out.
_TRAILING_PLACE = re.compile(r"\s+(?:của\s+)?(?:huyện|tỉnh|thành phố|thị xã|xã|phường|sở)$")
# "ban chỉ đạo cchc huyện cao lộc" → "ban chỉ đạo cchc": a body's name without the place it serves.
_BODIES = ("văn phòng ", "trung tâm ", "phòng ", "sở ", "ban ", "chi cục ")
_WITHOUT_PLACE = re.compile(r"\s+(?:huyện|tỉnh|thành phố|thị xã|xã|phường)\s+[^,]+$")
_COLLECTIVE = re.compile(r"^(?:ủy ban nhân dân|ubnd)?\s*(?:các|tất cả các)\s+(?P<what>.+)$")
# Collective words → how to find the units they name: by the kind's name or its administrative level.
_COLLECTIVE_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("xã", ("cấp xã",)),
    ("phường", ("cấp xã",)),
    ("thị trấn", ("cấp xã",)),
    ("đặc khu", ("cấp xã",)),
    ("cơ quan chuyên môn", ("kind:cơ quan chuyên môn",)),
    ("phòng", ("kind:cơ quan chuyên môn", "kind:phòng")),
    ("sở", ("kind:sở",)),
    ("đơn vị sự nghiệp", ("kind:đơn vị sự nghiệp",)),
    ("đơn vị thuộc", ("kind:đơn vị thuộc",)),
)
# Words of a collective that name no kind of unit of their own ("các sở, ban, ngành").
_COLLECTIVE_FILLERS = ("ban", "ngành", "đoàn thể", "cơ quan", "đơn vị")
# Short forms of a unit's head word in documents.
_HEAD_ABBREVIATIONS = (("tt ", "trung tâm "), ("vp ", "văn phòng "))


@dataclass
class UnitMatch:
    codes: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # names that match no unit
    ambiguous: dict[str, str] = field(default_factory=dict)  # names that match several: name → their names


class UnitDirectory:
    """The issuer's units (itself and its subtree), looked up by the names documents use."""

    def __init__(self, issuer: Unit) -> None:
        self.issuer = issuer
        # Ended units (merged communes) are not named in new plans: their successors are.
        units = Unit.objects.subtree_of(issuer).filter(Q(active=True) | Q(pk=issuer.pk))
        self.units = list(units.select_related("kind").order_by("path", "position"))
        self.by_name: dict[str, list[Unit]] = {}
        for unit in self.units:
            for key in unit_name_keys(unit.name):
                self.by_name.setdefault(key, []).append(unit)

    def at_level(self, level: str) -> list[Unit]:
        """The units under the issuer at an administrative level, not counting their own offices.

        "Cấp xã" means the communes and wards, not a commune's offices (also cấp xã) below each.
        """
        level = level.casefold()
        by_pk = {unit.pk: unit for unit in self.units}

        def level_of(unit: Unit | None) -> str:
            return unit.kind.administrative_level.casefold() if unit is not None else ""

        return [
            unit
            for unit in self.units
            if unit != self.issuer and level_of(unit) == level and level_of(by_pk.get(unit.parent_id or 0)) != level
        ]

    def match(self, text: str) -> UnitMatch:
        """The units a cell or phrase names ("Phòng Nội vụ; Phòng Tư pháp, UBND các xã")."""
        result = UnitMatch()
        for part in re.split(r"[;\n]+", text):
            part = part.strip(" .,:-–")
            if part and part.casefold() not in ("các cơ quan, đơn vị liên quan", "các cơ quan liên quan"):
                self._match_part(part, result)
        result.codes = list(dict.fromkeys(result.codes))
        return result

    def _match_part(self, part: str, result: UnitMatch) -> None:
        if units := self.named(part):
            result.codes += [unit.code for unit in units]
            return
        pieces = [piece.strip() for piece in part.split(",") if piece.strip()]
        start = 0
        while start < len(pieces):
            # The longest run of pieces that names a unit: "Trung tâm Văn hóa, Thể thao và Truyền thông".
            for end in range(len(pieces), start, -1):
                if units := self.named(", ".join(pieces[start:end])):
                    result.codes += [unit.code for unit in units]
                    start = end
                    break
            else:
                self._match_piece(pieces[start], result)
                start += 1

    def _match_piece(self, piece: str, result: UnitMatch) -> None:
        units, candidates = self._named(piece)
        if units:
            result.codes += [unit.code for unit in units]
            return
        if candidates:
            result.ambiguous[piece] = ", ".join(f"{unit.name} ({unit.code})" for unit in candidates[:5])
            return
        names = [name.strip() for name in re.split(r"\s+và\s+", piece)]
        found = [self.named(name) for name in names]
        if len(names) > 1 and all(found):
            result.codes += [unit.code for units in found for unit in units]
        else:
            result.unknown.append(piece)

    def named(self, name: str) -> list[Unit]:
        """The units `name` stands for: one unit, a collective ("các xã, thị trấn"), or none."""
        return self._named(name)[0]

    def _named(self, name: str) -> tuple[list[Unit], list[Unit]]:
        """(the units `name` stands for, the units it could equally be when it is ambiguous)."""
        for key in unit_name_keys(name):
            if found := self.by_name.get(key):
                if len(found) == 1:
                    return found, []
                # Each commune has its "Văn phòng HĐND và UBND": the issuer's own is meant, if it has one.
                own = [unit for unit in found if unit.parent_id == self.issuer.pk]
                return (own, []) if len(own) == 1 else ([], found)
        return self._collective(_fold(name)), []

    def _collective(self, folded: str) -> list[Unit]:
        found = _COLLECTIVE.match(folded)
        if not found and folded not in ("ubnd cấp xã", "ủy ban nhân dân cấp xã", "cấp xã"):
            return []
        what = found.group("what") if found else "xã"
        words = [word.strip() for word in re.split(r",|\s+và\s+", what) if word.strip()]
        chosen: list[Unit] = []
        for word in words:
            rules = next((rules for collective, rules in _COLLECTIVE_KINDS if word.startswith(collective)), None)
            if rules is None:
                if word in _COLLECTIVE_FILLERS:
                    continue
                return []
            for rule in rules:
                if rule.startswith("kind:"):
                    chosen += [unit for unit in self.units if unit != self.issuer and _kind_is(unit, rule)]
                else:
                    chosen += self.at_level(rule)
        return list(dict.fromkeys(chosen))


def _kind_is(unit: Unit, rule: str) -> bool:
    return unit.kind.name.casefold().startswith(rule.removeprefix("kind:"))


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFC", text).casefold().replace("uỷ", "ủy").replace("hoà", "hòa")
    text = text.replace("&", " và ").replace("–", "-")
    text = re.sub(r"\s*-\s*", " - ", text)
    return " ".join(text.split()).strip(" .,;:")


def unit_name_keys(name: str) -> list[str]:
    """The forms a unit's name may take in a document, folded, most exact first."""
    folded = _fold(name).removeprefix("các thành viên ")
    for short, head in _HEAD_ABBREVIATIONS:
        if folded.startswith(short):
            folded = head + folded[len(short) :]
    forms = [folded, folded.replace("ủy ban nhân dân", "ubnd"), folded.replace("ubnd", "ủy ban nhân dân")]
    forms += [_TRAILING_PLACE.sub("", form) for form in forms]
    forms += [_WITHOUT_PLACE.sub("", form) for form in forms if form.startswith(_BODIES)]
    forms += [form.removeprefix("ubnd ").removeprefix("ủy ban nhân dân ") for form in forms]  # "UBND xã Bảo Lâm"
    forms += [_initials(form) for form in forms]
    return [form for form in dict.fromkeys(forms) if form]


def _initials(folded: str) -> str:
    """ "phòng văn hóa và thông tin" → "phòng vhtt"; "phòng vh và tt" → "phòng vhtt" (what an abbreviation folds to)."""
    head = next((head for head in _HEADS if folded.startswith(f"{head} ")), None)
    if head is None:
        return ""
    words = [word for word in re.split(r"[\s\-]+", folded[len(head) :]) if word and word != "và"]
    letters = "".join(word if _is_abbreviation(word) else word[0] for word in words)
    return f"{head} {_plain(letters)}"


def _is_abbreviation(word: str) -> bool:
    # In a folded name an abbreviation is a run of consonant initials ("vh", "tckh", "ldtbxh").
    return len(word) > 1 and not any(char in "aăâeêioôơuưy" for char in _plain(word))


def _plain(text: str) -> str:
    """Without diacritics (đ as d): "LĐTBXH" and "LDTBXH" are the same initials."""
    text = text.replace("đ", "d")
    return "".join(char for char in unicodedata.normalize("NFD", text) if unicodedata.category(char) != "Mn")
