"""Write the timers' short sound cues to resources/sounds/*.wav (run once; the WAVs are committed as data).

Standard library only (wave + math), deterministic: running it again gives byte-identical files.
Each cue is a few sine tones with soft attack and release (no clicks), 16-bit mono at 44.1 kHz, quiet
enough not to startle (peak about -8 dBFS).

    python scripts/make_cues.py            # writes resources/sounds/
    python scripts/make_cues.py --check    # exit 1 if the committed files differ from what this makes
"""

from __future__ import annotations

import argparse
import io
import math
import struct
import sys
import wave
from pathlib import Path

RATE = 44_100
PEAK = 0.4  # of full scale
OUT = Path(__file__).resolve().parent.parent / "resources" / "sounds"

# A cue is a list of notes: (frequency Hz, or a (start, end) glide; seconds; relative loudness; gap after).
Note = tuple[float | tuple[float, float], float, float, float]

CUES: dict[str, tuple[str, list[Note]]] = {
    "work": ("Work starts: two bright rising beeps", [(880, 0.11, 1.0, 0.06), (1320, 0.16, 1.0, 0.0)]),
    "rest": ("Rest starts: one low, longer tone", [(523.25, 0.35, 0.9, 0.0)]),
    "countdown": ("3-2-1 before a change: a short tick", [(1046.5, 0.06, 0.7, 0.0)]),
    "phase": ("Warm-up or cool-down starts: a neutral two-note chime", [(659.25, 0.14, 0.8, 0.03),
                                                                        (783.99, 0.2, 0.8, 0.0)]),
    "finish": ("Session finished: a rising arpeggio", [(523.25, 0.12, 0.9, 0.02), (659.25, 0.12, 0.9, 0.02),
                                                       (783.99, 0.12, 0.9, 0.02), (1046.5, 0.4, 0.9, 0.0)]),
    "breathe_in": ("Breathe in: a soft rising glide", [((392.0, 523.25), 0.7, 0.45, 0.0)]),
    "breathe_out": ("Breathe out: a soft falling glide", [((523.25, 392.0), 0.7, 0.45, 0.0)]),
}


def _note(freq: float | tuple[float, float], seconds: float, loudness: float) -> list[float]:
    n = int(RATE * seconds)
    f0, f1 = (freq, freq) if isinstance(freq, (int, float)) else freq
    attack, release = min(0.012, seconds / 4), min(0.06, seconds / 2)
    out, phase = [], 0.0
    for i in range(n):
        t = i / RATE
        f = f0 + (f1 - f0) * (i / max(1, n - 1))
        phase += 2 * math.pi * f / RATE
        env = min(1.0, t / attack, (seconds - t) / release)
        env = max(0.0, env) ** 1.5
        # a touch of the second harmonic makes small laptop speakers carry the tone
        sample = math.sin(phase) + 0.18 * math.sin(2 * phase)
        out.append(loudness * env * sample / 1.18)
    return out


def render(notes: list[Note]) -> bytes:
    samples: list[float] = []
    for freq, seconds, loudness, gap in notes:
        samples += _note(freq, seconds, loudness)
        samples += [0.0] * int(RATE * gap)
    samples += [0.0] * int(RATE * 0.02)  # a little silence so the end is never clipped
    frames = b"".join(struct.pack("<h", int(round(max(-1.0, min(1.0, s * PEAK)) * 32767))) for s in samples)
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(frames)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the files on disk instead of writing")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    differ = []
    for name, (_what, notes) in CUES.items():
        data = render(notes)
        path = args.out / f"{name}.wav"
        if args.check:
            if not path.exists() or path.read_bytes() != data:
                differ.append(path.name)
            continue
        args.out.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(f"{path.name}: {len(data) / 1024:.0f} KiB")
    if differ:
        print("out of date: " + ", ".join(differ), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
