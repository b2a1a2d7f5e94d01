"""The worker lanes a build writes on: pictures prepared once, errors reported as they happened."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from packgen.errors import RenderError, SourceError
from packgen.pack.workers import Lanes, Task, run

from conftest import ROOT


def pid_after(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def fails() -> None:
    raise SourceError("unknown key 'colour'", "sources/charter.md", 3)


class Unpicklable(Exception):
    def __reduce__(self):
        raise TypeError("cannot pickle this")


def fails_oddly() -> None:
    raise Unpicklable("a library's own error")


def dies() -> None:
    os._exit(3)


def touch(path) -> None:
    path.write_text("written")


@pytest.fixture
def lanes():
    started = Lanes(2)
    yield started
    started.close()


def test_a_groups_tasks_stay_on_the_lane_that_prepared_its_pictures(lanes):
    # Four easy-read PDFs (their pictograms parsed by whichever lane starts them) and four files without.
    pdfs = [Task(("pdf", n), pid_after, (0.05,), cost=10 - n, group="pdf") for n in range(4)]
    plain = [Task(("plain", n), pid_after, (0.05,), cost=5 - n) for n in range(4)]
    done = lanes.run(pdfs + plain)
    assert len({done[t.key] for t in pdfs}) == 1  # every picture prepared in one process only
    assert len({done[t.key] for t in plain}) == 1
    assert {done[t.key] for t in pdfs} != {done[t.key] for t in plain}  # and both cores were used


def test_a_lane_takes_another_lanes_group_rather_than_wait(lanes):
    pdfs = [Task(("pdf", n), pid_after, (0.05,), cost=10 - n, group="pdf") for n in range(4)]
    done = lanes.run(pdfs)
    assert len({done[t.key] for t in pdfs}) == 2


def test_an_error_in_a_lane_is_reported_as_it_happened(lanes):
    with pytest.raises(SourceError) as caught:
        lanes.run([Task("charter", fails, ())])
    assert str(caught.value) == "sources/charter.md:3: unknown key 'colour'"


def test_an_error_that_cannot_be_sent_back_still_says_what_it_was(lanes):
    with pytest.raises(Exception, match="Unpicklable: a library's own error"):
        lanes.run([Task("odd", fails_oddly, ())])


def test_a_lane_that_dies_is_a_clear_error_not_a_hang(lanes):
    with pytest.raises(RenderError, match="worker process ended unexpectedly"):
        lanes.run([Task("dies", dies, ())])


def test_closing_ends_every_process():
    started = Lanes(2)
    pids = set(started.run([Task(n, pid_after, (0.05,)) for n in range(4)]).values())
    assert len(pids) == 2
    started.close()
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_lanes_told_to_end_without_waiting_end_on_their_own():
    # A finished build leaves at once rather than wait 10-15 ms for lanes that have nothing to do.
    started = Lanes(2)
    pids = set(started.run([Task(n, pid_after, (0.05,)) for n in range(4)]).values())
    started.close(wait=False)
    deadline = time.monotonic() + 30
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not any(alive(pid) for pid in pids)


def test_the_lanes_are_fed_while_the_parent_does_its_own_work(lanes, tmp_path):
    # Four files on two lanes: two are handed out at once, the others only as lanes come free. The
    # parent's own work here waits for all four, so it ends only if the lanes are fed beside it.
    files = [tmp_path / f"file-{n}" for n in range(4)]
    seen: list[bool] = []

    def parents_own_work() -> None:
        give_up = time.monotonic() + 60
        while not all(f.exists() for f in files) and time.monotonic() < give_up:
            time.sleep(0.01)
        seen.append(all(f.exists() for f in files))

    lanes.run([Task(f.name, touch, (f,)) for f in files], meanwhile=parents_own_work)
    assert seen == [True]


def wait_for(path, seconds: float = 60) -> bool:
    give_up = time.monotonic() + seconds
    while not path.exists() and time.monotonic() < give_up:
        time.sleep(0.01)
    return path.exists()


@pytest.mark.parametrize("two_lanes", [True, False])
def test_work_a_result_makes_possible_starts_before_the_rest_is_done(two_lanes, tmp_path):
    # A thumbnail can be made once its PDF is written, while the other lane still writes. Here the
    # long task finishes only once the follow-up of the short one has run: with a barrier between the
    # two (follow-ups only after every first task) it would give up waiting and say False. Without
    # lanes the tasks run one after another and every follow-up still runs.
    follow_up = tmp_path / "thumbnail"

    def then(key, result):
        return [Task("thumbnail", touch, (follow_up,))] if key == "short" else []

    tasks = [Task("long", wait_for, (follow_up, 60 if two_lanes else 0), cost=2), Task("short", touch,
                                                                                      (tmp_path / "pdf",), cost=1)]
    started = Lanes(2) if two_lanes else None
    try:
        results = run(tasks, started, then=then)
    finally:
        if started is not None:
            started.close()
    assert set(results) == {"long", "short", "thumbnail"}
    assert results["long"] is two_lanes and follow_up.exists()


def test_an_error_in_the_parents_own_work_is_raised_after_the_lanes_finish(lanes, tmp_path):
    def parents_own_work() -> None:
        fails()

    with pytest.raises(SourceError, match="unknown key 'colour'"):
        lanes.run([Task("a", touch, (tmp_path / "a",))], meanwhile=parents_own_work)
    assert (tmp_path / "a").read_text() == "written"



def exists(path) -> bool:
    return path.exists()


def test_work_given_ahead_starts_at_once_and_the_next_run_sees_it_through(tmp_path):
    # Pictures prepared while the parent still composes: `give` returns at once, the lanes start, and
    # what no lane was free for runs before the build's own tasks. Their results are not the build's.
    ahead = [tmp_path / f"picture-{n}" for n in range(2)]
    one = Lanes(1)
    try:
        one.give([Task(("ahead", n), touch, (path,), cost=-n) for n, path in enumerate(ahead)])
        assert wait_for(ahead[0])  # started without waiting for a run; the second waits for the lane
        results = one.run([Task("pdf", exists, (ahead[1],), cost=100)])
    finally:
        one.close()
    assert results == {"pdf": True}  # the picture given ahead was ready before the PDF started


def test_an_error_in_work_given_ahead_is_raised_by_the_next_run(lanes, tmp_path):
    lanes.give([Task("ahead", fails, ())])
    with pytest.raises(SourceError, match="unknown key 'colour'"):
        lanes.run([Task("a", touch, (tmp_path / "a",))])


ASSEMBLY_IMPORTED = False


def import_assembly() -> None:
    global ASSEMBLY_IMPORTED
    ASSEMBLY_IMPORTED = True


def has_assembly() -> bool:
    return ASSEMBLY_IMPORTED


def test_a_task_goes_first_to_a_free_lane_that_has_its_imports():
    # Both lanes start after the first warm-up step (the PDF writer); the second loads the later
    # steps (the assembly's imports) while it has nothing to do. Combining PDFs, the longest
    # assembly task, goes to the second lane, which has what it needs; the first lane, free as
    # well, takes the rest rather than wait. (Run again until the second lane has had its idle time.)
    started = Lanes(2, [lambda: None, import_assembly])
    try:
        deadline = time.monotonic() + 30
        while True:
            done = started.run([Task("combined", has_assembly, (), cost=3.0, warm=2),
                                Task("thumbnail", has_assembly, (), cost=1.0, warm=2)])
            if done["combined"] or time.monotonic() > deadline:
                break
            time.sleep(0.05)
    finally:
        started.close()
    assert done == {"combined": True, "thumbnail": False}


STEPS_DONE: list[str] = []


def slow_step() -> None:
    time.sleep(1.0)
    STEPS_DONE.append("slow")


def last_step() -> None:
    STEPS_DONE.append("last")


def steps_done() -> list[str]:
    return list(STEPS_DONE)


def test_a_task_is_not_kept_waiting_behind_the_rest_of_a_lanes_warm_up():
    # The second lane is warming up (a step of a second) when its task arrives: it runs the task
    # after that step, not after every step, and finishes the warm-up when it is idle again.
    started = Lanes(2, [lambda: None, slow_step, last_step])
    try:
        first = started.run([Task("early", steps_done, (), warm=2)])["early"]
        deadline = time.monotonic() + 30
        later = first
        while later != ["slow", "last"] and time.monotonic() < deadline:
            time.sleep(0.05)
            later = started.run([Task("later", steps_done, (), warm=2)])["later"]
    finally:
        started.close()
    assert first in ([], ["slow"])  # not ["slow", "last"]: the task did not wait for the whole warm-up
    assert later == ["slow", "last"]


def test_a_lane_waits_a_moment_for_its_next_task_before_warming_up_further():
    # The parent answers a result within a millisecond or two. A lane that began a warm-up step (a
    # second long here) in that moment would keep the next task waiting for all of it.
    started = Lanes(2, [lambda: None, slow_step, last_step], grace=2.0)
    try:
        first = started.run([Task("docx", steps_done, (), warm=2)])["docx"]
        time.sleep(0.1)  # the parent records the Word file before it hands out the next
        second = started.run([Task("html", steps_done, (), warm=2)])["html"]
    finally:
        started.close()
    assert first == [] and second == []


def test_the_parents_own_work_lets_the_feeding_loop_in_often_and_the_setting_is_restored(lanes, tmp_path):
    seen: list[float] = []
    before = sys.getswitchinterval()
    lanes.run([Task("a", touch, (tmp_path / "a",))], meanwhile=lambda: seen.append(sys.getswitchinterval()))
    assert seen[0] < before / 5  # a result waits less for the parent's thread to let the loop run
    assert sys.getswitchinterval() == before


@pytest.mark.parametrize("assemble", [False, True])
def test_only_a_whole_pack_builds_lanes_load_what_assembling_needs(assemble):
    # Combining PDFs needs pikepdf, thumbnails pdfium: a lane that loaded them for a build that
    # makes neither (only the PDFs, say) spent its idle time, and memory, for nothing.
    # (In a fresh process: this one has imported pikepdf for other tests. Asked until the second
    # lane has had time to warm up, a second at least.)
    script = f"""
import sys, time
from pathlib import Path
from packgen.pack.warmup import start_lanes
from packgen.pack.workers import Task
def lane_has(module):
    return module in sys.modules
lanes = start_lanes(Path("templates"), ("pdf",), {assemble})
try:
    start = time.monotonic()
    while True:
        has = any(lanes.run([Task(lane, lane_has, ("pikepdf",), warm=2) for lane in range(2)]).values())
        if has or time.monotonic() - start > (1 if not {assemble} else 30):
            break
        time.sleep(0.05)
    print(has)
finally:
    lanes.close()
"""
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == [str(assemble)], result.stderr
