"""config: default.toml stays in sync with the pydantic models, and a bad file fails with one line naming the key."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

from newsdedup.config import DEFAULT_CONFIG, ConfigError, Settings, load_config


def _write(tmp_path: Path, text: str, name: str = "config.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _error(path: Path) -> str:
    with pytest.raises(ConfigError) as info:
        load_config(path)
    return str(info.value)


def _model_keys(model: type[BaseModel], prefix: str = "") -> set[str]:
    keys = set()
    for name, field in model.model_fields.items():
        sub = field.annotation
        if isinstance(sub, type) and issubclass(sub, BaseModel):
            keys |= _model_keys(sub, f"{prefix}{name}.")
        else:
            keys.add(f"{prefix}{name}")
    return keys


def _toml_keys(data: dict, prefix: str = "") -> set[str]:
    keys = set()
    for name, value in data.items():
        if isinstance(value, dict):
            keys |= _toml_keys(value, f"{prefix}{name}.")
        else:
            keys.add(f"{prefix}{name}")
    return keys


# --- the shipped default -------------------------------------------------------------------------------


def test_default_toml_is_committed_beside_the_package():
    assert DEFAULT_CONFIG.is_file(), DEFAULT_CONFIG


def test_default_toml_equals_model_defaults():
    assert load_config(DEFAULT_CONFIG) == Settings()


def test_default_toml_names_every_model_key_and_no_other():
    data = tomllib.loads(DEFAULT_CONFIG.read_text(encoding="utf-8"))
    assert _toml_keys(data) == _model_keys(Settings)


def test_load_config_without_a_path_reads_the_default():
    assert load_config() == Settings()


def test_partial_file_overrides_one_key_and_keeps_other_defaults(tmp_path):
    settings = load_config(_write(tmp_path, "[syndication]\nmin_jaccard = 0.6\n"))
    assert settings.syndication.min_jaccard == 0.6
    assert settings.syndication.min_containment == Settings().syndication.min_containment
    assert settings.ingest == Settings().ingest


def test_extensions_are_lower_cased(tmp_path):
    settings = load_config(_write(tmp_path, '[ingest]\nextensions = [".TXT", ".Json"]\n'))
    assert settings.ingest.extensions == [".txt", ".json"]


def test_settings_are_frozen():
    settings = Settings()
    with pytest.raises(ValidationError):
        settings.syndication.min_jaccard = 0.9  # type: ignore[misc]


# --- bad files -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[syndication]\nmin_jaccard = 1.5\n", "syndication.min_jaccard"),
        ("[syndication]\nmin_jaccard = 0\n", "syndication.min_jaccard"),
        ("[syndication]\nlsh_threshold = 1.0\n", "syndication.lsh_threshold"),
        ("[ingest]\nmin_words = 0\n", "ingest.min_words"),
        ("[stories]\nbatch_size = 4096\n", "stories.batch_size"),
        ('[schedule]\ntimezone = "Mars/Olympus"\n', "schedule.timezone"),
    ],
    ids=["min_jaccard-above-1", "min_jaccard-zero", "lsh_threshold-1", "min_words-0", "batch_size-huge", "zone-unknown"],
)
def test_value_out_of_range_names_the_key(tmp_path, text, key):
    message = _error(_write(tmp_path, text))
    assert "\n" not in message
    assert key in message
    assert "config.toml" in message


def test_unknown_key_is_named_as_unknown(tmp_path):
    message = _error(_write(tmp_path, "[syndication]\nmin_jacard = 0.5\n"))
    assert "\n" not in message
    assert "syndication.min_jacard" in message
    assert "unknown key" in message


def test_unknown_section_is_named(tmp_path):
    message = _error(_write(tmp_path, "[syndicaton]\nmin_jaccard = 0.5\n"))
    assert message.endswith("syndicaton: unknown section")  # its keys (a whole section, 14 keys) are not dumped


def test_a_cron_of_the_wrong_shape_is_named_once(tmp_path):
    message = _error(_write(tmp_path, '[schedule]\ncron = "*/10 * * *"\n'))
    assert message.endswith(
        "schedule.cron: cron needs five fields (minute hour day month weekday) or an alias such as @hourly (got '*/10 * * *')"
    )
    assert load_config(_write(tmp_path, '[schedule]\ncron = "@hourly"\n')).schedule.cron == "@hourly"  # as cron reads it
    assert "schedule.deployment" in _error(_write(tmp_path, '[schedule]\ndeployment = ""\n'))  # no nameless deployment


def test_top_level_key_outside_any_section_is_unknown(tmp_path):
    message = _error(_write(tmp_path, "min_jaccard = 0.5\n"))
    assert "min_jaccard" in message and "unknown key" in message


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('[syndication]\nnum_perm = "many"\n', "syndication.num_perm"),
        ("[ingest]\nmin_words = 12.5\n", "ingest.min_words"),
        ("syndication = 3\n", "syndication"),
        ('[ingest]\nextensions = "txt"\n', "ingest.extensions"),
    ],
    ids=["string-for-int", "fraction-for-int", "scalar-for-section", "string-for-list"],
)
def test_wrong_type_names_the_key(tmp_path, text, key):
    message = _error(_write(tmp_path, text))
    assert "\n" not in message
    assert key in message


def test_boolean_for_a_threshold_is_a_wrong_type(tmp_path):
    message = _error(_write(tmp_path, "[syndication]\nmin_jaccard = true\n"))
    assert "syndication.min_jaccard" in message


def test_extension_without_dot_is_rejected(tmp_path):
    message = _error(_write(tmp_path, '[ingest]\nextensions = ["txt"]\n'))
    assert "ingest.extensions" in message and "dot" in message


def test_cross_field_rule_names_both_keys(tmp_path):
    message = _error(_write(tmp_path, "[facts]\nsupport_similarity = 0.9\nsame_fact_similarity = 0.8\n"))
    assert "\n" not in message
    assert "support_similarity" in message and "same_fact_similarity" in message


@pytest.mark.parametrize(
    "text", ["[syndication\nmin_jaccard = 0.5\n", "[syndication]\nmin_jaccard = \n"], ids=["header", "value"]
)
def test_broken_toml_is_one_line_with_file_and_position(tmp_path, text):
    message = _error(_write(tmp_path, text, "broken.toml"))
    assert "\n" not in message
    assert "broken.toml" in message and "not valid TOML" in message and "line" in message


def test_non_utf8_file_is_a_config_error(tmp_path):
    path = tmp_path / "latin.toml"
    path.write_bytes(b"[ingest]\nmin_words = 3 # caf\xe9\n")
    message = _error(path)
    assert "\n" not in message and "latin.toml" in message


def test_missing_file_is_named(tmp_path):
    message = _error(tmp_path / "nowhere.toml")
    assert "\n" not in message
    assert "not found" in message and "nowhere.toml" in message


def test_config_error_is_a_value_error():
    assert issubclass(ConfigError, ValueError)
