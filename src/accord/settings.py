"""One settings object, validated when built and passed as ``settings=``."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from ._errors import AccordError

DEFAULT_DB = "sqlite:///accord.db"


def db_url(value: str | None) -> str:
    """Turn what a user typed (a URL or a plain path) into a SQLAlchemy URL."""
    value = value or os.environ.get("ACCORD_DB") or DEFAULT_DB
    if "://" not in value:
        value = f"sqlite:///{value}"
    if value.startswith("postgres://"):
        value = "postgresql://" + value[len("postgres://"):]
    if value.startswith("postgresql://"):
        value = "postgresql+psycopg://" + value[len("postgresql://"):]
    return value


@dataclass(frozen=True, slots=True)
class Settings:
    """What every stage may need to know.

    ``max_bytes`` caps one input document; ``outlet_locale`` is the default
    day/month order for numeric dates (``"dmy"`` or ``"mdy"``) when neither a
    weekday nor plausibility decides; ``near_duplicate_threshold`` is the
    Jaccard similarity above which two articles are copies of one another;
    ``coder`` says what decides event types (``both``: the trigger lexicon
    with the learned model; ``lexicon`` or ``model`` alone, for ablation).
    """

    db: str = field(default_factory=lambda: db_url(None))
    max_bytes: int = 20_000_000
    outlet_locale: str = "dmy"
    near_duplicate_threshold: float = 0.8
    batch_size: int = 32
    verbose: bool = False
    coder: str = "both"  # what decides event types: the lexicon, the learned model, or both
    allow_private: bool = False  # fetch URLs that resolve to private, loopback or link-local addresses
    fetch_timeout: float = 30.0  # seconds one URL may take
    time_limit: float = 60.0  # seconds of cleaning and coding one document may take
    max_memory: int | None = 4096  # MB the ingesting process may map (applied by the CLI); None: no cap

    def __post_init__(self) -> None:
        if self.outlet_locale not in ("dmy", "mdy"):
            raise AccordError(
                f"outlet_locale must be 'dmy' or 'mdy', not {self.outlet_locale!r}"
            )
        if not 0.0 < self.near_duplicate_threshold <= 1.0:
            raise AccordError("near_duplicate_threshold must be in (0, 1]")
        if self.coder not in ("both", "lexicon", "model"):
            raise AccordError(f"coder must be 'both', 'lexicon' or 'model', not {self.coder!r}")
        if self.fetch_timeout <= 0:
            raise AccordError("fetch_timeout must be positive")
        if not self.time_limit > 0:
            raise AccordError(f"time_limit must be a positive number of seconds, not {self.time_limit!r}")
        if self.max_memory is not None and self.max_memory < 256:
            raise AccordError(f"max_memory must be at least 256 (MB), not {self.max_memory!r}")
        if self.max_bytes <= 0 or self.batch_size <= 0:
            raise AccordError("max_bytes and batch_size must be positive")
        object.__setattr__(self, "db", db_url(self.db))
