"""Do the lock files still match pyproject.toml? Offline, in a fraction of a second.

- every requirement of [project.dependencies] is pinned in requirements/base.txt
  and in requirements/dev.txt, at a version inside its range;
- every requirement of the dev extra is pinned in requirements/dev.txt, likewise;
- the packages both files pin have the same versions.

When one fails: `make lock` (README, "Dependencies"). Exit 1 with the reasons.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

try:
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name
except ImportError:  # a bare interpreter: pip carries its own copy
    from pip._vendor.packaging.requirements import Requirement  # type: ignore[assignment]  # the same class, vendored
    from pip._vendor.packaging.utils import canonicalize_name  # type: ignore[assignment]  # the same function, vendored

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "requirements" / "base.txt"
DEV = ROOT / "requirements" / "dev.txt"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)")


def pins(path: Path) -> dict[str, set[str]]:
    """Name -> pinned versions (a universal lock may pin two, under different markers)."""
    found: dict[str, set[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            found.setdefault(canonicalize_name(match[1]), set()).add(match[2])
    return found


def check(requirements: list[str], locked: dict[str, set[str]], lock: Path) -> list[str]:
    problems = []
    for text in requirements:
        requirement = Requirement(text)
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue
        versions = locked.get(canonicalize_name(requirement.name))
        if not versions:
            problems.append(f"{lock.relative_to(ROOT)}: {requirement.name} is not pinned (pyproject.toml: {text})")
            continue
        for version in sorted(versions):
            if not requirement.specifier.contains(version, prereleases=True):
                problems.append(f"{lock.relative_to(ROOT)}: {requirement.name}=={version} is outside {text!r}")
    return problems


def main() -> int:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = project.get("dependencies", [])
    dev = project.get("optional-dependencies", {}).get("dev", [])
    missing = [str(path.relative_to(ROOT)) for path in (BASE, DEV) if not path.is_file()]
    if missing:
        print(f"error: no lock file {', '.join(missing)}: run make lock", file=sys.stderr)
        return 1
    base, full = pins(BASE), pins(DEV)
    problems = check(runtime, base, BASE) + check(runtime + dev, full, DEV)
    for name in sorted(base.keys() & full.keys()):
        if base[name] != full[name]:
            problems.append(
                f"{name}: {', '.join(sorted(base[name]))} in requirements/base.txt"
                f" but {', '.join(sorted(full[name]))} in requirements/dev.txt"
            )
    for name in sorted(base.keys() - full.keys()):
        problems.append(f"{name} is in requirements/base.txt but not in requirements/dev.txt")
    if problems:
        print("error: the lock files do not match pyproject.toml; run make lock:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
