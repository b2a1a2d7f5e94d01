"""textstat 0.7.3, imported with a stand-in for pkg_resources: the one shim packgen installs.

textstat 0.7.3 imports pkg_resources only to open its word lists, and importing the real one scans
every installed distribution, which is slow, so while textstat is imported it is given a stand-in
that opens the same files through importlib.resources and is removed again straight after.
"""

from __future__ import annotations

import importlib.resources
import sys
import types


def import_textstat() -> types.ModuleType:
    """textstat, imported on first use (only easy-read builds measure readability)."""
    if "textstat" in sys.modules or "pkg_resources" in sys.modules:
        import textstat

        return textstat
    stand_in = types.ModuleType("pkg_resources")
    stand_in.resource_stream = lambda package, name: importlib.resources.files(package).joinpath(name).open("rb")
    sys.modules["pkg_resources"] = stand_in
    try:
        import textstat
    finally:
        del sys.modules["pkg_resources"]
    return textstat
