"""Before Qt starts on an X11 desktop: the system libraries its xcb platform plugin needs.

Without them Qt stops with "could not load the Qt platform plugin xcb … libxcb-cursor0 is needed", which
tells a clinic's IT nothing about what to install. This check names the missing libraries and the exact
install command instead. Plain ctypes: it runs before any Qt code is loaded.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import sys
from collections.abc import Callable, Mapping

from smerteagent.i18n import _

# The shared libraries Qt 6's xcb plugin loads, and the Debian/Ubuntu package that ships each.
XCB_LIBRARIES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libfontconfig.so.1": "libfontconfig1",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libdbus-1.so.3": "libdbus-1-3",
}


def loadable(soname: str) -> bool:
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def uses_xcb(environment: Mapping[str, str], platform: str = sys.platform) -> bool:
    """Qt picks xcb on Linux unless told otherwise or running in a Wayland session."""
    if not platform.startswith("linux"):
        return False
    chosen = environment.get("QT_QPA_PLATFORM", "")
    if chosen:
        return chosen.split(";")[0].split(":")[0] == "xcb"
    return not (environment.get("WAYLAND_DISPLAY") and environment.get("XDG_SESSION_TYPE") == "wayland")


def missing_packages(environment: Mapping[str, str] = os.environ, load: Callable[[str], bool] = loadable) -> list[str]:
    """The packages to install before Qt can open a window here (empty when nothing is missing)."""
    if not uses_xcb(environment):
        return []
    return sorted({package for soname, package in XCB_LIBRARIES.items() if not load(soname)})


def explanation(packages: list[str]) -> str:
    """What to tell the person starting the app, with the command that mends it."""
    command = "sudo apt-get install " + " ".join(packages)
    how = _("On Debian or Ubuntu, install them with:")
    if not shutil.which("apt-get"):
        how = _("Install these (names as on Debian or Ubuntu):")
    lines = [
        _("SmerteAgent cannot open its window: the system is missing libraries that Qt needs for the desktop."),
        _("Missing packages: {packages}").format(packages=", ".join(packages)),
        how,
        f"    {command}",
        _("Then start SmerteAgent again. Nothing was changed in the patient register."),
    ]
    return "\n".join(lines)
