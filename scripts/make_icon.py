"""Render edgeapp.svg to edgeapp.png (256 px) with Qt's SVG renderer; `make package` runs it."""

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

here = Path(__file__).resolve().parent.parent / "resources" / "icons"
app = QGuiApplication(sys.argv[:1])
for size in (256, 512):
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(here / "edgeapp.svg")).render(painter)
    painter.end()
    name = "edgeapp.png" if size == 256 else f"edgeapp-{size}.png"
    image.save(str(here / name))
    print(here / name)
