"""Windows metafile pictures (EMF, WMF) in a Word file, drawn as PNG for the pack.

packgen's formats take PNG, JPEG and SVG. LibreOffice draws a metafile (`soffice --headless
--convert-to png`, which needs its Draw part) when it is installed; without it the import reports
the picture as not carried over. The PNG has PRINT_PPI pixels per inch at the size Word shows the
picture, as a picture put in the pictures folder would; the build makes it smaller where it is
shown smaller.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from packgen.picture_sizes import PRINT_PPI

EMU_PER_INCH = 914400
LONGEST_PX = 4000  # a metafile shown page-wide at 300 ppi is about 2,500 pixels
SECONDS = 120
_WMF_STARTS = (b"\xd7\xcd\xc6\x9a", b"\x01\x00\x09\x00", b"\x02\x00\x09\x00")  # placeable, in memory, on disk


def kind(data: bytes) -> str | None:
    """'emf' or 'wmf' when the bytes are a Windows metafile (read from the bytes: Word and LibreOffice
    name the part .wmf or .emf whichever it holds), else None."""
    if data[:4] == b"\x01\x00\x00\x00" and data[40:44] == b" EMF":
        return "emf"
    return "wmf" if data[:4] in _WMF_STARTS else None


class Drawer:
    """Draws the metafiles of one import with one LibreOffice profile, removed at `close`."""

    def __init__(self) -> None:
        self.soffice = shutil.which("soffice") or shutil.which("libreoffice")
        self._folder: tempfile.TemporaryDirectory[str] | None = None

    def png(self, data: bytes, metafile: str, width_emu: int, height_emu: int) -> bytes | None:
        """The picture as PNG, or None when LibreOffice (with Draw) is not there or cannot draw it."""
        if self.soffice is None:
            return None
        if self._folder is None:
            self._folder = tempfile.TemporaryDirectory(prefix="packgen-import-")
        folder = Path(self._folder.name)
        source = folder / f"picture.{metafile}"
        source.write_bytes(data)
        target = folder / "picture.png"
        target.unlink(missing_ok=True)
        options = ""
        if width_emu > 0 and height_emu > 0:
            scale = min(PRINT_PPI / EMU_PER_INCH, LONGEST_PX / max(width_emu, height_emu))
            width, height = max(1, round(width_emu * scale)), max(1, round(height_emu * scale))
            options = (f':draw_png_Export:{{"PixelWidth":{{"type":"long","value":"{width}"}},'
                       f'"PixelHeight":{{"type":"long","value":"{height}"}}}}')
        try:
            subprocess.run([self.soffice, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
                            "--convert-to", f"png{options}", "--outdir", str(folder), str(source)],
                           capture_output=True, timeout=SECONDS, check=False, stdin=subprocess.DEVNULL)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return target.read_bytes() if target.is_file() and target.stat().st_size else None

    def close(self) -> None:
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None
