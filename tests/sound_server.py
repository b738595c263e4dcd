"""A private PulseAudio server with a null sink, so QSoundEffect really plays (into nothing) in tests.

Why: CI has no sound card or sound server. Without one, QtMultimedia warns ("PulseAudioService:
pa_context_connect() failed", "playback of this format is not supported on the selected audio device")
and our pytest config fails a test on any Qt warning. Hiding those warnings would also hide real ones;
a real server with a null sink is the honest fix: Qt finds an output device, decodes the cue and plays it,
and nobody hears anything.

The server runs as a child of the test process with its own HOME and runtime dir (nothing of the
user's own sound setup is touched) and only a unix socket. ``QT_AUDIO_BACKEND=pulseaudio`` keeps Qt from
picking a desktop PipeWire daemon instead (it would play the cues aloud on a developer's machine).
These variables must be set before the first QSoundEffect of the process is created.

Needs the Debian package ``pulseaudio`` (``bash .ci/desktop-deps`` installs it).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

SINK = "igfcoach_null"


class SoundServerMissing(RuntimeError):
    pass


def _answers(path: Path) -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(0.5)
            s.connect(str(path))
        return True
    except OSError:
        return False


@contextlib.contextmanager
def private_sound_server(timeout: float = 15.0) -> Iterator[Path]:
    """Start the server, point this process's Qt at it, yield its socket path; stop it afterwards."""
    exe = shutil.which("pulseaudio")
    if exe is None:
        raise SoundServerMissing("pulseaudio (apt: pulseaudio) -- install with `bash .ci/desktop-deps`")
    tmp = Path(tempfile.mkdtemp(prefix="igfcoach-pulse-"))
    sock = tmp / "native"
    env = dict(os.environ, HOME=str(tmp), XDG_RUNTIME_DIR=str(tmp), PULSE_RUNTIME_PATH=str(tmp / "runtime"),
               PULSE_STATE_PATH=str(tmp / "state"), XDG_CONFIG_HOME=str(tmp / "config"))
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    log = open(tmp / "pulseaudio.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [exe, "--daemonize=no", "--exit-idle-time=-1", "-n", "--use-pid-file=no", "--disable-shm=yes",
         "--log-target=stderr", "-L", f"module-native-protocol-unix socket={sock} auth-anonymous=1",
         "-L", f"module-null-sink sink_name={SINK}"],
        env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + timeout
        while not _answers(sock):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SoundServerMissing(
                    f"pulseaudio did not start: {(tmp / 'pulseaudio.log').read_text(errors='replace')[-800:]}")
            time.sleep(0.05)
        os.environ["PULSE_SERVER"] = f"unix:{sock}"
        os.environ["QT_AUDIO_BACKEND"] = "pulseaudio"
        yield sock
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)
