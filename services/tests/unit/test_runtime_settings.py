"""How stored run-time settings combine with the environment's defaults."""

from __future__ import annotations

import os

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from treue.db import make_metadata
from treue.runtime_settings import RuntimeSettings, RuntimeSettingsStore, add_runtime_settings_table


class Knobs(RuntimeSettings):
    days: int = Field(ge=0)
    share: float = Field(gt=0, lt=1)


def store() -> RuntimeSettingsStore[Knobs]:
    table = add_runtime_settings_table(make_metadata())
    return RuntimeSettingsStore(Knobs, Knobs(days=14, share=0.5), table)


def test_stored_values_override_their_defaults_only() -> None:
    assert store().merge({"days": 3}) == Knobs(days=3, share=0.5)
    assert store().merge({}) == Knobs(days=14, share=0.5)


def test_fields_a_release_dropped_are_ignored() -> None:
    assert store().merge({"days": 3, "gone": True}) == Knobs(days=3, share=0.5)


def test_stored_values_no_longer_valid_give_way_to_the_defaults() -> None:
    assert store().merge({"days": -1, "share": 0.2}) == Knobs(days=14, share=0.5)


def test_the_read_model_names_the_service_model() -> None:
    schema = store().read_model.model_json_schema()
    assert schema["properties"]["values"]["$ref"].endswith("/Knobs")


def test_the_defaults_are_the_environment_settings_of_the_same_names() -> None:
    class Env(BaseSettings):
        model_config = SettingsConfigDict(env_prefix="TREUE_KNOBS_TEST_")
        days: int = 14
        share: float = 0.5
        unrelated: str = "x"

    os.environ["TREUE_KNOBS_TEST_DAYS"] = "21"
    try:
        table = add_runtime_settings_table(make_metadata())
        built = RuntimeSettingsStore.of_service(Knobs, Env(), table)
    finally:
        del os.environ["TREUE_KNOBS_TEST_DAYS"]
    assert built.defaults == Knobs(days=21, share=0.5)
