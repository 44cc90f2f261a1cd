"""Render resources/icons/smerteagent.svg to the PNG the app and the desktop entry use (Qt, offscreen).

Run after changing the SVG:  .venv/bin/python packaging/linux/render_icon.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parents[2] / "resources" / "icons"
SIZE = 256


def render(svg: Path, png: Path, size: int) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(svg)).render(painter)
    painter.end()
    if not image.save(str(png)):
        raise SystemExit(f"could not write {png}")


if __name__ == "__main__":
    render(ICONS / "smerteagent.svg", ICONS / "smerteagent.png", SIZE)
    print(f"wrote {ICONS / 'smerteagent.png'} ({SIZE}×{SIZE})")
