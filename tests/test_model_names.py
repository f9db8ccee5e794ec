"""Human names for models (edgeapp/models/names.py): the catalog's title when the file is known by
name or by sha256, else the file name cleaned up; never the GGUF's `general.name`."""

from __future__ import annotations

import shutil

import pytest

from edgeapp.models import catalog as catalog_mod
from edgeapp.models import find
from edgeapp.models.names import catalog_entry_for, cleaned_file_name, model_title


@pytest.mark.parametrize(
    ("file_name", "words"),
    [
        ("SmolLM2-135M-Instruct.Q4_1.gguf", "SmolLM2 135M Instruct Q4_1"),
        ("Qwen2.5-0.5B-Instruct-Q4_K_M.gguf", "Qwen2.5 0.5B Instruct Q4_K_M"),
        ("llama-3.2-1b-instruct-q8_0.gguf", "llama 3.2 1b instruct Q8_0"),
        ("phi_3.5_mini.IQ3_XXS.gguf", "phi 3.5 mini IQ3_XXS"),
        ("mistral-7b-instruct-v0.3.f16.gguf", "mistral 7b instruct v0.3 F16"),
        ("TinyModel-GGUF.gguf", "TinyModel"),
        ("model.gguf", "model"),
        (".gguf", ".gguf"),
    ],
)
def test_a_file_name_becomes_words(file_name, words):
    assert cleaned_file_name(file_name) == words


def test_a_catalog_file_is_called_by_its_title(default_model, tmp_path):
    embedded = find("smollm2-135m-instruct")
    assert model_title(default_model) == embedded.title == "SmolLM2 135M Instruct (embedded)"
    assert model_title(tmp_path / "Qwen2.5-1.5B-Instruct-Q4_K_M.gguf") == "Qwen2.5 1.5B Instruct"  # by name
    renamed = tmp_path / "my-model.gguf"
    shutil.copy(default_model, renamed)
    assert catalog_entry_for(renamed) == embedded  # same size as a catalog entry: its sha256 decides
    assert model_title(renamed) == embedded.title
    other = tmp_path / "Other-Model.Q5_K_S.gguf"
    other.write_bytes(b"GGUF" + b"\0" * 100)
    assert model_title(other) == "Other Model Q5_K_S"
    assert model_title(other, sha256=embedded.sha256) == embedded.title  # a caller that knows the hash


def test_a_damaged_catalog_still_leaves_a_name(tmp_path, monkeypatch):
    bad = tmp_path / "catalog.toml"
    bad.write_text("[broken\n")
    monkeypatch.setattr(catalog_mod, "CATALOG_FILE", bad)
    assert model_title(tmp_path / "SmolLM2-135M-Instruct.Q4_1.gguf") == "SmolLM2 135M Instruct Q4_1"


def test_the_loaded_model_is_named_by_its_title_not_its_gguf_label(local_model):
    assert local_model.name == "SmolLM2 135M Instruct (embedded)"
    assert local_model.gguf_name and local_model.gguf_name != local_model.name  # the converter's label
