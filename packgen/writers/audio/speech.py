"""One document's speech from libespeak-ng, run as its own short process: `python speech.py VOICE`.

It reads SSML on standard input and writes one JSON line (the sample rate, and each `<mark>`'s sample
position as the library's events report it), then the 16-bit little-endian mono samples. The library
(Debian's libespeak-ng1, which the espeak-ng program is built on) is called through ctypes, once for
the whole document. It runs in a process of its own because the library carries state from one text
to the next (a text spoken after another does not come out the same), so a fresh process for each
document makes its bytes the same whichever documents a build worker spoke before. Only the standard
library is imported, so it starts in a few milliseconds.
"""

from __future__ import annotations

import ctypes
import json
import sys

LIBRARY = "libespeak-ng.so.1"
# speak_lib.h's values: synchronous retrieval (every sample reaches the callback before espeak_Synth
# returns), UTF-8 SSML, and the pause at the end of the text.
SYNCHRONOUS = 2
POS_CHARACTER = 1
FLAGS = 0x1 | 0x10 | 0x1000  # espeakCHARS_UTF8 | espeakSSML | espeakENDPAUSE
EVENT_LIST_END, EVENT_MARK = 0, 3
OK = 0


class Event(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("unique_identifier", ctypes.c_uint), ("text_position", ctypes.c_int),
                ("length", ctypes.c_int), ("audio_position", ctypes.c_int), ("sample", ctypes.c_int),
                ("user_data", ctypes.c_void_p), ("name", ctypes.c_char_p)]  # id: a union, a mark's name here


class Voice(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("languages", ctypes.c_char_p), ("identifier", ctypes.c_char_p),
                ("gender", ctypes.c_ubyte), ("age", ctypes.c_ubyte), ("variant", ctypes.c_ubyte),
                ("score", ctypes.c_ubyte), ("spare", ctypes.c_void_p)]


Callback = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(Event))


def speak(ssml: str, voice: str) -> tuple[int, dict[str, int], bytes]:
    """The sample rate, each mark's sample, and the samples of `ssml` spoken in `voice`."""
    lib = ctypes.CDLL(LIBRARY)
    lib.espeak_Synth.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint,
                                 ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p]
    lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    lib.espeak_SetVoiceByProperties.argtypes = [ctypes.POINTER(Voice)]
    rate = lib.espeak_Initialize(SYNCHRONOUS, 0, None, 0)
    if rate <= 0:
        raise SystemExit(f"{LIBRARY} could not start (is Debian's espeak-ng-data installed?)")
    samples = bytearray()
    marks: dict[str, int] = {}

    def gather(wav: ctypes._Pointer, count: int, events: ctypes._Pointer) -> int:
        index = 0
        while events[index].type != EVENT_LIST_END:
            if events[index].type == EVENT_MARK:
                marks[events[index].name.decode()] = events[index].sample
            index += 1
        if wav and count > 0:
            samples.extend(ctypes.string_at(wav, count * 2))
        return 0  # go on

    callback = Callback(gather)  # kept alive while the library calls it
    lib.espeak_SetSynthCallback(callback)
    # As the espeak-ng program's `-v`: the voice of that name, else the first one for that language.
    if (lib.espeak_SetVoiceByName(voice.encode()) != OK
            and lib.espeak_SetVoiceByProperties(ctypes.byref(Voice(languages=voice.encode()))) != OK):
        raise SystemExit(f"espeak-ng has no voice '{voice}'")
    text = ssml.encode("utf-8")
    if lib.espeak_Synth(text, len(text) + 1, 0, POS_CHARACTER, 0, FLAGS, None, None) != OK:
        raise SystemExit("espeak-ng could not speak the text")
    return rate, marks, bytes(samples)


def main() -> None:
    rate, marks, samples = speak(sys.stdin.read(), sys.argv[1])
    sys.stdout.buffer.write(json.dumps({"rate": rate, "marks": marks}).encode() + b"\n" + samples)


if __name__ == "__main__":
    main()
