"""The school's settings, each with its default (set them in settings.py or the environment).

- ``SCHOOL_HEARTBEAT_SECONDS`` (60): how often an open lesson page reports study time.
- ``SCHOOL_ACTIVE_WINDOW_SECONDS`` (120): a person counts as studying for this long after their
  last mouse, keyboard, scroll or touch activity (or while a video plays).
- ``SCHOOL_BEAT_TOLERANCE_SECONDS`` (3): network jitter allowed between the time a page claims
  and the time the server measured; anything more is refused as a forged report.
- ``SCHOOL_MAX_BEAT_SECONDS`` (600): the most one report may claim at all.
- ``SCHOOL_BEAT_TOKEN_HOURS`` (12): how long a lesson page may report before it must be reloaded.
- ``SCHOOL_VIDEO_MAX_BYTES`` (1 GiB): the largest video accepted.
- ``SCHOOL_MINUTES_PER_STUDY_HOUR`` (45): minutes of study outside lessons (reading the
  classics) that make one 学时, the length of a class period.
"""

from django.conf import settings


def _int(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def heartbeat_seconds() -> int:
    return _int("SCHOOL_HEARTBEAT_SECONDS", 60)


def active_window_seconds() -> int:
    return _int("SCHOOL_ACTIVE_WINDOW_SECONDS", 120)


def beat_tolerance_seconds() -> int:
    return _int("SCHOOL_BEAT_TOLERANCE_SECONDS", 3)


def max_beat_seconds() -> int:
    return _int("SCHOOL_MAX_BEAT_SECONDS", 600)


def beat_token_hours() -> int:
    return _int("SCHOOL_BEAT_TOKEN_HOURS", 12)


def minutes_per_study_hour() -> int:
    return _int("SCHOOL_MINUTES_PER_STUDY_HOUR", 45)
