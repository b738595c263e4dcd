"""Sound cues for the timers: bundled short WAVs (``resources/sounds``, made by ``scripts/make_cues.py``)
played through QtMultimedia's QSoundEffect, with a mute setting (``sound_muted``).

Sound is a nicety, never a requirement: without QtMultimedia, an audio server or an output device the
cue is still recorded in ``history`` and the timers run exactly the same. QtMultimedia is imported and the
effects are created on the first cue (``preload`` does it early), so a page that never plays a sound
never touches the audio system.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QUrl

from igfcoach.resources_path import resource_path

log = logging.getLogger(__name__)

#: Cue name -> what it means (the WAV is resources/sounds/<name>.wav).
CUES: dict[str, str] = {
    "work": "work interval starts (also: rest timer is over)",
    "rest": "rest starts",
    "countdown": "3, 2, 1 before a change",
    "phase": "warm-up or cool-down starts",
    "finish": "session finished",
    "breathe_in": "breathe in",
    "breathe_out": "breathe out",
}
VOLUME = 0.8
HISTORY_LIMIT = 2000
MUTE_SETTING = "sound_muted"


class CuePlayer(QObject):
    """Plays named cues. ``history`` lists every cue asked for (muted or not), ``played`` the ones handed
    to QSoundEffect.play()."""

    def __init__(self, parent: QObject | None = None, *, muted: bool = False) -> None:
        super().__init__(parent)
        self.muted = muted
        self.history: list[str] = []
        self.played: list[str] = []
        self._effects: dict[str, object] = {}
        self._available: bool | None = None  # None: not tried yet

    @property
    def available(self) -> bool:
        """Whether QtMultimedia could be loaded (known after the first cue or ``preload``)."""
        return bool(self._available)

    def set_muted(self, muted: bool) -> None:
        self.muted = bool(muted)
        if self.muted:
            for effect in self._effects.values():
                effect.stop()  # type: ignore[attr-defined]

    def preload(self) -> None:
        """Create every effect now, so the first cue of a session plays without a decoding delay."""
        if self.muted:
            return
        for name in CUES:
            self._effect(name)

    def play(self, name: str) -> None:
        if name not in CUES:
            raise ValueError(f"unknown cue {name!r} (known: {', '.join(CUES)})")
        self.history.append(name)
        del self.history[:-HISTORY_LIMIT]
        if self.muted:
            return
        effect = self._effect(name)
        if effect is None:
            return
        effect.play()  # type: ignore[attr-defined]
        self.played.append(name)
        del self.played[:-HISTORY_LIMIT]

    def effect(self, name: str):
        """The QSoundEffect for a cue (created if needed), or None when QtMultimedia is unavailable."""
        return self._effect(name)

    def _effect(self, name: str):
        if name in self._effects:
            return self._effects[name]
        if self._available is False:
            return None
        try:
            from PySide6.QtMultimedia import QSoundEffect
        except ImportError as exc:  # PySide6-Addons missing: silent timers
            log.warning("sound cues are off: QtMultimedia is not available (%s)", exc)
            self._available = False
            return None
        self._available = True
        effect = QSoundEffect(self)
        effect.setSource(QUrl.fromLocalFile(str(resource_path(f"sounds/{name}.wav"))))
        effect.setVolume(VOLUME)
        self._effects[name] = effect
        return effect
