"""The one date every assembled file carries: from the sources, never from the clock.

Two builds of the same sources on different days must be byte-identical (issue 7), so the
combined PDFs' dates and the zip's entry times come from here. `SOURCE_DATE_EPOCH` (the
reproducible-builds.org convention) wins when set, so packagers can pin a date for every tool.
"""

from __future__ import annotations

import datetime as dt
import os

from packgen.errors import SourceError

# Zip entries cannot be dated before 1980 (the DOS date format starts there).
ZIP_EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)


def build_datetime(pack_date: dt.date) -> dt.datetime:
    """SOURCE_DATE_EPOCH when set, else midnight UTC on the pack's date (pack.yaml `date:`)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
        except (ValueError, OverflowError, OSError):
            raise SourceError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not '{epoch}'") from None
    return dt.datetime(pack_date.year, pack_date.month, pack_date.day, tzinfo=dt.UTC)


def pdf_date(when: dt.datetime) -> str:
    """A PDF date string (ISO 32000-1, 7.9.4) in UTC."""
    return when.astimezone(dt.UTC).strftime("D:%Y%m%d%H%M%SZ")


def zip_date_time(when: dt.datetime) -> tuple[int, int, int, int, int, int]:
    """A zip entry's (year, month, day, hour, minute, second), clamped to the zip format's range."""
    when = max(when.astimezone(dt.UTC), ZIP_EPOCH)
    return (when.year, when.month, when.day, when.hour, when.minute, when.second - when.second % 2)
