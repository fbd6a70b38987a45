"""The portal's message catalogues: Vietnamese source text, an English translation.

Vietnamese is the source language: every string marked for translation
(`gettext`, `{% translate %}`…) is written in Vietnamese and is its own
translation. `locale/en/LC_MESSAGES/django.po` holds the English of each.
`locale/vi/LC_MESSAGES/django.po` holds only corrections of Django's and
third-party apps' Vietnamese (docs/i18n.md).

    scripts/messages.py update    re-read the marked strings into the English catalogue
                                  (manage.py makemessages -l en), compile, then check
    scripts/messages.py check     fail, with the list, when a marked string has no English
    scripts/messages.py compile   compile the catalogues whose .mo is missing or older

`check` reads the strings from the source itself (makemessages over a temporary
copy), so it also catches a string marked after the catalogue was last updated.
It fails when a marked string has no English (missing, empty or fuzzy), when an
English text's placeholders (%(name)s, {name}) differ from its source's, when an
English text still has Vietnamese letters (outside “quotes”), and when the Vietnamese corrections
override one of the portal's own strings or a string no installed app has.
Needs GNU gettext (xgettext, msgmerge, msgfmt: Debian's `gettext` package).
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "locale"
ENGLISH = LOCALE / "en" / "LC_MESSAGES" / "django.po"
VIETNAMESE = LOCALE / "vi" / "LC_MESSAGES" / "django.po"
# Folders makemessages does not read: no marked UI strings there (tests, benchmarks,
# documentation, the plan's source text) or not ours (.venv).
NOT_SOURCE = [".git", ".venv", "var", "locale", "tests", "bench", "docs", "fixtures", "static", "requirements",
              "test-artifacts", "node_modules"]  # fmt: skip
MAKEMESSAGES = ["makemessages", "--locale=en", "--add-location=file", "--no-obsolete",
                *(f"--ignore={name}" for name in NOT_SOURCE)]  # fmt: skip
VIETNAMESE_LETTERS = re.compile("[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]", re.IGNORECASE)
PERCENT_FORMAT = re.compile(r"%(?:\((?P<name>[^)]*)\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?(?P<conversion>[a-zA-Z%])")
# Vietnamese the English quotes (a word of the document, a value to type) is not left untranslated.
QUOTED = re.compile(r"“[^”]*”")
BRACE_FORMAT = re.compile(r"\{\{|\}\}|\{(?P<name>[^{}!:]*)(?:![rsa])?(?::[^{}]*)?\}")


Key = tuple[str | None, str]  # (msgctxt, msgid): what a catalogue looks a message up by


@dataclass
class Entry:
    """One message of a .po or .pot file."""

    msgid: str
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    locations: list[str] = field(default_factory=list)

    @property
    def key(self) -> Key:
        return self.msgctxt, self.msgid

    def __str__(self) -> str:
        where = ", ".join(dict.fromkeys(self.locations)) or "?"
        context = f" (context {self.msgctxt!r})" if self.msgctxt else ""
        return f"{where}: {_quote(self.msgid)}{context}"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def read_po(path: Path) -> list[Entry]:
    """The live entries of a .po/.pot file (obsolete `#~` ones dropped), the header included."""
    entries: list[Entry] = []
    current: Entry | None = None
    field_name = ""
    obsolete = False

    def finish() -> None:
        if current is not None and not obsolete:
            entries.append(current)

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            current, field_name, obsolete = None, "", False
            continue
        if current is None:
            current = Entry(msgid="")
        if line.startswith("#~"):
            obsolete = True
        elif line.startswith("#,"):
            current.flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
        elif line.startswith("#:"):
            current.locations += line[2:].split()
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            _append(current, field_name, _unquote(line, path, number))
        else:
            keyword, _, value = line.partition(" ")
            field_name = keyword
            if keyword.startswith("msgstr"):
                current.msgstr.append("")
            elif keyword == "msgid_plural":
                current.msgid_plural = ""
            elif keyword == "msgctxt":
                current.msgctxt = ""
            elif keyword != "msgid":
                raise ValueError(f"{path}:{number}: unexpected {keyword!r}")
            _append(current, field_name, _unquote(value, path, number))
    finish()
    return entries


def _unquote(text: str, path: Path, number: int) -> str:
    if not (text.startswith('"') and text.endswith('"')):
        raise ValueError(f"{path}:{number}: expected a quoted string, not {text!r}")
    value = ast.literal_eval(text)
    assert isinstance(value, str)
    return value


def _append(entry: Entry, field_name: str, text: str) -> None:
    if field_name.startswith("msgstr"):
        entry.msgstr[-1] += text
    elif field_name == "msgid_plural":
        entry.msgid_plural = (entry.msgid_plural or "") + text
    elif field_name == "msgctxt":
        entry.msgctxt = (entry.msgctxt or "") + text
    else:
        entry.msgid += text


def placeholders(text: str, flags: set[str]) -> Counter[str]:
    """The format placeholders of `text` the entry's flags say it has, e.g. {"%(task)s": 1, "%d": 2}."""
    found: Counter[str] = Counter()
    if "python-format" in flags:
        for match in PERCENT_FORMAT.finditer(text):
            if match["conversion"] != "%":
                found[f"%({match['name']}){match['conversion']}" if match["name"] else f"%{match['conversion']}"] += 1
    if "python-brace-format" in flags:
        for match in BRACE_FORMAT.finditer(text):
            if match["name"] is not None:
                found["{" + match["name"] + "}"] += 1
    return found


def english_problems(source: list[Entry], catalogue: list[Entry]) -> dict[str, list[str]]:
    """What is wrong with the English of the strings marked in `source`, by kind of problem."""
    translations = {entry.key: entry for entry in catalogue if entry.msgid}
    problems: dict[str, list[str]] = {"missing": [], "fuzzy": [], "placeholders": [], "vietnamese": []}
    for wanted in source:
        if not wanted.msgid:
            continue
        entry = translations.get(wanted.key)
        if entry is None or not entry.msgstr or not all(entry.msgstr):
            problems["missing"].append(str(wanted))
            continue
        if "fuzzy" in entry.flags:
            problems["fuzzy"].append(str(wanted))
            continue
        flags = wanted.flags | entry.flags
        forms = [wanted.msgid] if wanted.msgid_plural is None else [wanted.msgid, wanted.msgid_plural]
        for index, text in enumerate(entry.msgstr):
            expected = placeholders(forms[min(index, len(forms) - 1)], flags)
            got = placeholders(text, flags)
            # A singular form may leave out the count ("one task" for "%(n)s tasks"), nothing else.
            fits = got == expected or (len(forms) > 1 and index == 0 and got <= expected)
            if not fits:
                problems["placeholders"].append(
                    f"{wanted}: {_quote(text)} has {sorted(got.elements()) or 'none'}, "
                    f"the source {sorted(expected.elements()) or 'none'}"
                )
            if VIETNAMESE_LETTERS.search(QUOTED.sub("", text)):
                problems["vietnamese"].append(f"{wanted}: {_quote(text)}")
    return problems


def override_problems(corrections: list[Entry], source: list[Entry], upstream: set[Key]) -> list[str]:
    """Corrections of Django's and the apps' Vietnamese must correct something, and nothing of ours."""
    ours = {entry.key for entry in source}
    problems = []
    for entry in corrections:
        if not entry.msgid:
            continue
        if entry.key in ours:
            problems.append(f"{entry}: is one of the portal's own strings (already Vietnamese); remove it")
        elif entry.key not in upstream:
            problems.append(f"{entry}: no installed app has this string; the correction corrects nothing")
        elif not entry.msgstr or not all(entry.msgstr) or "fuzzy" in entry.flags:
            problems.append(f"{entry}: has no Vietnamese")
    return problems


def upstream_messages() -> set[Key]:
    """The strings Django and the installed third-party apps mark."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django
    from django.apps import apps

    django.setup()
    keys = {entry.key for entry in read_po(Path(django.__file__).parent / "conf/locale/en/LC_MESSAGES/django.po")}
    for config in apps.get_app_configs():
        package = Path(config.path)
        if package.resolve().parent == ROOT.resolve():
            continue  # the portal's own apps are the repository's top-level folders
        english = package / "locale/en/LC_MESSAGES/django.po"
        if english.is_file():
            keys |= {entry.key for entry in read_po(english)}
        elif (package / "locale").is_dir():
            # Translated but with no English catalogue (django-guardian, django-simple-history):
            # its strings are read from its code, as makemessages reads ours.
            keys |= {entry.key for entry in _extract(package, ["locale", "tests", "migrations"])}
    return keys


def source_messages(root: Path = ROOT) -> list[Entry]:
    """The strings marked in `root`'s code and templates, as makemessages reads them."""
    return _extract(root, NOT_SOURCE, MAKEMESSAGES[1:], manage=True)


def _extract(folder: Path, skip: list[str], options: list[str] | None = None, *, manage: bool = False) -> list[Entry]:
    """makemessages over a temporary copy of `folder` (without `skip`): its .pot, read."""
    with tempfile.TemporaryDirectory(prefix="parplan-messages-") as temporary:
        copy = Path(temporary) / folder.name
        shutil.copytree(folder, copy, ignore=shutil.ignore_patterns(*skip, "__pycache__", "*.mo", "*.po"))
        (copy / "locale").mkdir(exist_ok=True)
        # The portal's own copy runs with its settings (LOCALE_PATHS); an app's, with none.
        command = ["manage.py"] if manage else ["-m", "django"]
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings" if manage else ""}
        result = subprocess.run(
            [sys.executable, *command, "makemessages", *(options or ["--locale=en"]), "--keep-pot"],
            cwd=copy, capture_output=True, text=True, env=env,
        )  # fmt: skip
        pot = copy / "locale" / "django.pot"
        if result.returncode != 0 or (manage and not pot.is_file()):
            raise SystemExit(f"error: makemessages in {folder} failed:\n{result.stdout}{result.stderr}")
        return read_po(pot) if pot.is_file() else []  # an app that marks nothing has no .pot


def check() -> int:
    _require("xgettext", "msgmerge")
    source = source_messages()
    problems = english_problems(source, read_po(ENGLISH) if ENGLISH.is_file() else [])
    if VIETNAMESE.is_file():
        problems["corrections"] = override_problems(read_po(VIETNAMESE), source, upstream_messages())
    titles = {
        "missing": f"marked strings with no English in {ENGLISH.relative_to(ROOT)}",
        "fuzzy": "English marked fuzzy (a guess by msgmerge: check it, then remove the `#, fuzzy` line)",
        "placeholders": "English whose placeholders differ from the source's",
        "vietnamese": "English with Vietnamese letters outside “quotes” (not translated?)",
        "corrections": f"wrong entries in {VIETNAMESE.relative_to(ROOT)}",
    }
    failed = False
    for kind, lines in problems.items():
        if lines:
            failed = True
            print(f"{len(lines)} {titles[kind]}:")
            for line in lines:
                print(f"  {line}")
    if failed:
        print("Translate them in locale/en/LC_MESSAGES/django.po (make messages updates it first); docs/i18n.md.")
        return 1
    print(f"{sum(1 for entry in source if entry.msgid)} marked strings, each with its English.")
    return 0


def compile_catalogues() -> int:
    """Compile each locale/*/LC_MESSAGES/*.po whose .mo is missing or older, as compilemessages does."""
    stale = [
        po
        for po in sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))
        if not po.with_suffix(".mo").is_file() or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    if stale:
        _require("msgfmt")
    for po in stale:
        result = subprocess.run(
            ["msgfmt", "--check-format", "-o", str(po.with_suffix(".mo")), str(po)], capture_output=True, text=True
        )
        if result.returncode != 0:
            print(f"error: msgfmt {po.relative_to(ROOT)}:\n{result.stderr}", file=sys.stderr)
            return 1
    return 0


def update() -> int:
    _require("xgettext", "msgmerge", "msgattrib")
    result = subprocess.run([sys.executable, "manage.py", *MAKEMESSAGES], cwd=ROOT)
    if result.returncode != 0:
        return result.returncode
    return compile_catalogues() or check()


def _require(*programs: str) -> None:
    missing = [program for program in programs if shutil.which(program) is None]
    if missing:
        raise SystemExit(
            f"error: {', '.join(missing)} not found: install GNU gettext (Debian: apt-get install gettext; "
            "scripts/bootstrap.sh installs it)"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["update", "check", "compile"])
    command = parser.parse_args().command
    if command == "compile":
        return compile_catalogues()
    return update() if command == "update" else check()


if __name__ == "__main__":
    sys.exit(main())
