"""The lock files in requirements/ are what the README's commands and CI install: they must still satisfy
pyproject.toml (a dependency added or re-bounded without `python packaging/lock.py` fails here) and pin every
package with hashes."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
SETS = {"app": [], "dev": ["dev"], "bundle": ["dev", "bundle"]}
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def pins(name: str) -> dict[str, str]:
    """Package -> version pinned for this interpreter (a universal lock may pin one per Python version)."""
    found: dict[str, str] = {}
    lines = (ROOT / "requirements" / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        match = PIN.match(line)
        if not match:
            continue
        package, version, marker = match.groups()
        assert "--hash=sha256:" in lines[index + 1], f"{name}.txt: {package} has no hash"
        if marker is None or Marker(marker).evaluate():
            found[canonicalize_name(package)] = version
    return found


def declared(extras: list[str]) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    texts = list(project["dependencies"])
    for extra in extras:
        texts += project["optional-dependencies"][extra]
    return [Requirement(text) for text in texts]


@pytest.mark.parametrize("name", sorted(SETS))
def test_lock_pins_every_declared_dependency_within_its_bounds(name: str) -> None:
    pinned = pins(name)
    for requirement in declared(SETS[name]):
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        package = canonicalize_name(requirement.name)
        assert package in pinned, f"requirements/{name}.txt lacks {package}: run python packaging/lock.py"
        assert requirement.specifier.contains(pinned[package], prereleases=True), (name, package, pinned[package])


def test_bundle_lock_extends_the_dev_lock_with_the_same_versions() -> None:
    dev, bundle = pins("dev"), pins("bundle")
    assert {package: bundle.get(package) for package in dev} == dev
