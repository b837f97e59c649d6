"""One pydantic config tree for the whole pipeline, loaded from TOML; each stage reads only its section."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

DEFAULT_CONFIG = Path(__file__).resolve().parents[2] / "config" / "default.toml"


class ConfigError(ValueError):
    """A config file that cannot be used; the message is one line naming the file and the key."""


class _Section(BaseModel):
    # strict: TOML `true` or "128" is a wrong type, never silently 1.0 or 128
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class IngestConfig(_Section):
    extensions: list[str] = [".txt", ".json", ".jsonl", ".ndjson", ".html", ".htm", ".xml", ".rss", ".atom"]
    min_words: int = Field(8, ge=1)
    max_words: int = Field(100_000, ge=1)
    max_file_mb: float = Field(50, gt=0)
    keep_rolled_off: bool = True

    @field_validator("extensions")
    @classmethod
    def _dotted(cls, value: list[str]) -> list[str]:
        bad = [ext for ext in value if not ext.startswith(".")]
        if bad:
            raise ValueError(f"extensions must start with a dot, got {bad}")
        return [ext.lower() for ext in value]


class SyndicationConfig(_Section):
    shingle_size: int = Field(5, ge=1, le=20)
    num_perm: int = Field(128, ge=16, le=1024)
    seed: int = Field(1, ge=0)
    lsh_threshold: float = Field(0.15, gt=0.0, lt=1.0)
    min_jaccard: float = Field(0.5, gt=0.0, le=1.0)
    min_containment: float = Field(0.7, gt=0.0, le=1.0)
    min_shared_shingles: int = Field(15, ge=1)
    estimate_margin: float = Field(0.2, ge=0.0, le=1.0)


class StoriesConfig(_Section):
    model: str = "packaged:all-MiniLM-L6-v2"
    batch_size: int = Field(32, ge=1, le=1024)
    max_seq_length: int = Field(128, ge=16, le=512)
    precision: Literal["auto", "float32", "bfloat16"] = "auto"
    embedding_weight: float = Field(0.4, ge=0.0, le=1.0)
    neighbours: int = Field(5, ge=0, le=100)
    min_hubness: float = Field(0.3, ge=0.0, lt=1.0)
    candidate_distance: float = Field(0.7, gt=0.0, le=2.0)
    max_candidates: int = Field(50, ge=1, le=10000)
    min_similarity: float = Field(0.2, ge=-1.0, lt=1.0)
    distance_threshold: float = Field(1.04, gt=0.0, lt=3.0)
    time_window_days: float = Field(3.0, gt=0.0)
    max_dense_component: int = Field(3000, ge=2)
    fallback_distance: float = Field(0.45, gt=0.0, lt=2.0)


class FactsConfig(_Section):
    model: str = ""  # "" = the stories model
    weights: str = ""
    same_fact_similarity: float = Field(0.72, gt=0.0, le=1.0)
    min_shared_content: float = Field(0.3, ge=0.0, le=1.0)
    support_similarity: float = Field(0.5, gt=0.0, le=1.0)
    lexical_coverage: float = Field(0.75, gt=0.0, le=1.0)
    min_fact_words: int = Field(5, ge=1)
    slight_content_words: int = Field(4, ge=0)
    boilerplate_min_stories: int = Field(3, ge=2)
    conflict_similarity: float = Field(0.7, gt=0.0, le=1.0)
    count_similarity: float = Field(0.25, gt=0.0, le=1.0)
    thing_similarity: float = Field(0.6, gt=0.0, le=1.0)
    max_conflict_ratio: float = Field(2.0, ge=1.0)

    @model_validator(mode="after")
    def _ordered(self) -> FactsConfig:
        if self.support_similarity > self.same_fact_similarity:
            raise ValueError("support_similarity must not exceed same_fact_similarity")
        if not self.support_similarity <= self.thing_similarity <= self.conflict_similarity:
            # below support_similarity no pair reaches the test; above conflict_similarity it adds nothing
            raise ValueError("thing_similarity must lie between support_similarity and conflict_similarity")
        return self


_CRON_ALIASES = frozenset("@yearly @annually @monthly @weekly @daily @midnight @hourly".split())  # as cron reads them


class ScheduleConfig(_Section):
    # Five-field cron, in `timezone`; `serve` checks it with Prefect's own parser before registering the deployment.
    cron: str = "*/10 * * * *"
    timezone: str = "UTC"
    input: str = "data/raw"
    output: str = "data/clusters"
    deployment: str = Field("scheduled-ingest", min_length=1)

    @field_validator("cron")
    @classmethod
    def _five_fields(cls, value: str) -> str:
        if value.strip() in _CRON_ALIASES:
            return value.strip()
        if len(value.split()) != 5:
            raise ValueError("cron needs five fields (minute hour day month weekday) or an alias such as @hourly")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo

        try:
            ZoneInfo(value)
        except (ValueError, KeyError, OSError):  # ZoneInfoNotFoundError is a KeyError
            raise ValueError("not a time zone of the IANA database (such as UTC, Europe/London, Asia/Karachi)") from None
        return value


class DeskConfig(_Section):
    # Threads the model runs on during a `check` (torch's intra-op threads); 0: one per core free when the check
    # first calls the model. With another process busy on one of two cores (a scheduled run, another desk), two threads wait for
    # each other at every layer and a same-story check took 1-3 s instead of about 0.15 s; with both cores free,
    # two are faster (bench/README.md).
    model_threads: int = Field(0, ge=0, le=256)


class Settings(_Section):
    ingest: IngestConfig = IngestConfig()
    syndication: SyndicationConfig = SyndicationConfig()
    stories: StoriesConfig = StoriesConfig()
    facts: FactsConfig = FactsConfig()
    schedule: ScheduleConfig = ScheduleConfig()
    desk: DeskConfig = DeskConfig()


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(part) for part in err["loc"]) or "(top level)"
    message = str(err["msg"]).removeprefix("Value error, ")
    given = err.get("input")
    if err["type"] == "extra_forbidden":
        if isinstance(given, dict):  # a misspelled section ("[storys]"): its keys are no help
            return f"{where}: unknown section"
        message = "unknown key"
    shown = repr(given)
    return f"{where}: {message} (got {shown if len(shown) <= 80 else shown[:77] + '...'})"


def load_config(path: str | Path | None = None) -> Settings:
    """Read and validate a TOML config; raise ConfigError with one clear line when it is unusable."""
    if path is None:
        if not DEFAULT_CONFIG.is_file():
            return Settings()
        path = DEFAULT_CONFIG
    path = Path(path)
    if path.is_dir():
        raise ConfigError(f"config is a folder, not a file: {path}")
    if not path.is_file():
        raise ConfigError(f"config file not found: {path}")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{path}: {_first_error(exc)}") from None
