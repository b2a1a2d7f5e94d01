"""How much memory writing side by side would take, so a big build writes one document at a time.

Side by side, each worker lane holds its own copy of the document it writes besides the parent's,
and the writers' working sets add up: a 500-page charter written as PDF and Word at once peaked at
343 MB over four processes, where one process writing them in turn peaked at 172 MB and took about
a tenth longer. The pack itself, and a 100-page charter (161 MB side by side), are under the line
and keep the speed of writing side by side; a longer document crosses it and trades time for memory.

The figures are proportional set sizes (pages shared after a fork counted once) measured with
benchmarks/run.py on the charter at 100 and 500 pages: what each process holds once started, and
what each block of a document (a paragraph, a list item, a table...) adds while it is held or written.
They are estimates, on the high side; the benchmark measures the real peak.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence
from functools import cache

PARENT_MB = 45.0  # the parent, once it has loaded and composed the sources (before their size counts)
ZYGOTE_MB = 45.0  # the process the lanes are forked from
LANE_MB = 30.0  # a lane's own start, beyond what it shares with the zygote
HELD_MB_PER_BLOCK = 0.0046  # a composed document in the parent
WRITING_MB_PER_BLOCK = {"pdf": 0.0078, "docx": 0.0102, "html": 0.0025}  # in a lane: its copy and the writer's work


def side_by_side_mb(held_blocks: int, writes: Sequence[tuple[str, int]], lanes: int) -> float:
    """The estimated peak of the whole build written on `lanes` lanes: the parent holding `held_blocks`
    blocks, the zygote, and each lane writing one of the largest `writes` ((format, blocks) pairs)."""
    largest = sorted((WRITING_MB_PER_BLOCK[fmt] * blocks for fmt, blocks in writes), reverse=True)[:lanes]
    return PARENT_MB + HELD_MB_PER_BLOCK * held_blocks + ZYGOTE_MB + lanes * LANE_MB + sum(largest)


@cache
def _malloc_trim():
    """glibc's malloc_trim, where the C library is glibc (None elsewhere: musl, macOS).

    Looked up on first use, in the symbols already loaded: finding libc by name (ctypes.util) runs
    ldconfig, which with importing ctypes cost every build 13-20 ms, though only a build writing one
    document at a time calls this.
    """
    import ctypes

    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None


def give_back() -> None:
    """Hand freed memory back to the system between documents written one at a time.

    Python frees a written document's objects, but the C allocator keeps most of their pages for
    later (about 45 MB after a 500-page PDF), so the next writer's working set came on top of
    them (a 500-page charter written as PDF then Word peaked at 217 MB; now at 172).
    """
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
