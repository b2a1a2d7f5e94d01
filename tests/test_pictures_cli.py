"""`packgen pictures WORDS`: a comms officer looking for a pictogram's name, at a terminal or through a pipe."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import ROOT, run_packgen


def test_a_search_that_finds_nothing_says_so() -> None:
    result = run_packgen("pictures", "zzzz")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == "packgen: no pictogram name contains 'zzzz'\n"
    result = run_packgen("pictures", "hand", "zzzz")
    assert result.stderr == "packgen: no pictogram name contains 'hand' and 'zzzz'\n"


def test_piped_into_head_it_ends_quietly() -> None:
    command = f"'{sys.executable}' -m packgen pictures face | head -n 2"
    result = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.stdout.splitlines() == ["new-moon-with-face", "first-quarter-moon-with-face"]
    assert result.stderr == "" and result.returncode == 0


def test_a_reader_gone_before_the_first_name_is_no_error() -> None:
    # the pipe's reading end is closed before packgen writes: each name it prints meets a closed pipe
    read, write = os.pipe()
    os.close(read)
    try:
        result = subprocess.run([sys.executable, "-m", "packgen", "pictures", "face"], cwd=ROOT, stdout=write,
                                stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(write)
    assert result.stderr == "" and result.returncode == 0
