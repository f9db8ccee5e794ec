"""The model catalog (validated on load), hardware fit for made-up machines, GGUF metadata read
without loading weights, and `edgeapp models use | rm | list | info` (use runs the crash guard and
refuses a file llama.cpp dies on; a running assistant picks the switch up on its next turn)."""

from __future__ import annotations

import json
import shutil
import sys

import pytest
from click.testing import CliRunner

from edgeapp import config
from edgeapp.cli.main import main
from edgeapp.models import MIB, engine_check, entries, find, gguf_info, hardware, models_dir, ram_needed
from edgeapp.models import catalog as catalog_mod

GIB = 1 << 30


# -- the catalog --------------------------------------------------------------------------------
def test_bundled_catalog_loads_and_covers_the_families():
    models = entries()
    names = {m.name for m in models}
    for wanted in ("smollm2-135m-instruct", "smollm2-360m-instruct", "smollm2-1.7b-instruct",
                   "qwen2.5-0.5b-instruct", "qwen2.5-1.5b-instruct", "qwen2.5-3b-instruct",
                   "llama-3.2-1b-instruct", "llama-3.2-3b-instruct", "gemma-3-270m-it", "gemma-3-1b-it",
                   "gemma-3-4b-it", "phi-3.5-mini-instruct"):
        assert wanted in names
    assert "qwen2.5-coder-0.5b-instruct" not in names  # benchmark entries are not offered
    assert [m.name for m in models if m.default] == ["smollm2-135m-instruct"]
    for m in models:
        assert m.embedded or m.url.startswith("https://huggingface.co/")
        if m.sha256:  # a hash is only given with the page that shows it
            assert m.embedded or "/blob/" in m.source
        assert m.chat_template and m.good_for and m.license


def test_default_model_still_found_through_the_catalog(default_model):
    name, entry = catalog_mod.default_entry()
    assert name == "smollm2-135m-instruct" and default_model.name == entry["file"]
    assert catalog_mod.entry_for("qwen2.5-coder-0.5b-instruct")["file"].endswith(".gguf")


def test_catalog_ram_figures_follow_the_documented_formula():
    for m in entries():
        formula = ram_needed(m.size, m.kv_bytes_per_token, m.n_vocab, 4096) / MIB
        assert abs(formula - m.ram_mb) <= 1, (m.name, formula, m.ram_mb)


def test_embedded_entry_matches_its_gguf_header(default_model):
    meta = gguf_info.info(default_model)
    entry = find("smollm2-135m-instruct")
    assert meta.kv_bytes_per_token == entry.kv_bytes_per_token
    assert meta.n_vocab == entry.n_vocab and meta.context_length == entry.context
    assert meta.quantization == entry.quant and meta.chat_template == entry.chat_template
    assert meta.file_size == entry.size


GOOD = '''
["tiny"]
title = "Tiny"
family = "Test"
params = 0.1
url = "https://example.org/tiny.gguf"
file = "tiny.gguf"
size = 1000
sha256 = ""
quant = "Q4_K_M"
context = 2048
n_vocab = 1000
kv_bytes_per_token = 1024
ram_mb = 60
license = "MIT"
chat_template = true
good_for = "Tests."
'''


@pytest.mark.parametrize("change, message", [
    (("title = \"Tiny\"\n", ""), "[tiny] is missing title"),
    (("size = 1000", "size = \"1 GB\""), "[tiny] size must be int, not str"),
    (("chat_template = true", "chat_template = 1"), "[tiny] chat_template must be bool"),
    (("size = 1000", "size = true"), "[tiny] size must be int, not bool"),
    (("sha256 = \"\"", "sha256 = \"abc\""), "[tiny] sha256 must be 64 lowercase hex digits"),
    (("url = \"https://", "url = \"http://"), "[tiny] url must start with https://"),
    (("file = \"tiny.gguf\"", "file = \"../tiny.gguf\""), "[tiny] file must be a plain .gguf file name"),
    (("context = 2048", "context = 0"), "[tiny] context must be positive"),
    (("good_for = \"Tests.\"", "good_for = \"Tests.\"\ngood_four = \"typo\""), "[tiny] has unknown field(s) good_four"),
    (("url = \"https://example.org/tiny.gguf\"\n", ""), "[tiny] says neither where the file comes from"),
    (("url = \"https://example.org/tiny.gguf\"", "url = \"https://example.org/tiny.gguf\"\npackage = \"x\""),
     "[tiny] has both package and url"),
])
def test_catalog_validation_names_entry_and_field(change, message):
    assert catalog_mod.catalog(GOOD)["tiny"]["size"] == 1000
    old, new = change
    assert old in GOOD
    with pytest.raises(catalog_mod.CatalogError) as err:
        catalog_mod.catalog(GOOD.replace(old, new, 1))
    assert message in str(err.value)


def test_catalog_validation_other_mistakes():
    with pytest.raises(catalog_mod.CatalogError, match="not valid TOML"):
        catalog_mod.catalog("[tiny\n")
    with pytest.raises(catalog_mod.CatalogError, match="more than one default"):
        catalog_mod.catalog(GOOD.replace('license = "MIT"', 'license = "MIT"\ndefault = true')
                            + GOOD.replace('["tiny"]', '["tiny2"]').replace('license = "MIT"', 'license = "MIT"\ndefault = true'))
    with pytest.raises(catalog_mod.CatalogError, match=r"\[qwen2\]"):  # an unquoted dotted name
        catalog_mod.catalog(GOOD.replace('["tiny"]', "[qwen2.5-x]"))


# -- fit for made-up machines ---------------------------------------------------------------------
AVX2 = frozenset({"avx", "avx2", "fma", "f16c"})
LAPTOP_4GB = hardware.Machine(total_ram=4 * GIB, available_ram=int(2.6 * GIB), cores=4, cpu_features=AVX2)
LAPTOP_16GB = hardware.Machine(total_ram=16 * GIB, available_ram=11 * GIB, cores=8, cpu_features=AVX2)
GPU_24GB = hardware.Machine(total_ram=32 * GIB, available_ram=24 * GIB, cores=12, cpu_features=AVX2,
                            gpu="cuda", gpu_name="RTX 4090", vram_total=24 * GIB, vram_free=23 * GIB,
                            gpu_offload=True)


def labels(machine: hardware.Machine) -> dict[str, str]:
    return {m.name: hardware.fit(m, machine).label for m in entries()}


def test_fit_on_a_4gb_laptop():
    got = labels(LAPTOP_4GB)
    for small in ("smollm2-135m-instruct", "smollm2-360m-instruct", "qwen2.5-0.5b-instruct", "gemma-3-270m-it"):
        assert got[small] == "fits", small
    for big in ("phi-3.5-mini-instruct", "gemma-3-4b-it", "llama-3.2-3b-instruct"):
        assert got[big] == "won't fit", big
    best = hardware.recommend(entries(), LAPTOP_4GB)
    assert got[best.name] == "fits" and best.params <= 1.6
    assert "1.6 GB free" in hardware.fit(find("phi-3.5-mini-instruct"), LAPTOP_4GB).reason


def test_fit_on_a_16gb_laptop():
    got = labels(LAPTOP_16GB)
    assert set(got.values()) == {"fits"}
    assert hardware.recommend(entries(), LAPTOP_16GB).name == "gemma-3-4b-it"  # the largest that fits
    # a long context changes the answer: Phi-3.5's KV cache is 384 KiB per token
    assert hardware.fit(find("phi-3.5-mini-instruct"), LAPTOP_16GB, n_ctx=32768).label == "won't fit"


def test_fit_on_a_24gb_gpu_and_without_an_offloading_build():
    for m in entries():
        f = hardware.fit(m, GPU_24GB)
        assert f.label == "fits" and f.where == "GPU" and f.tokens_per_s > 100
    assert hardware.recommend(entries(), GPU_24GB).name == "gemma-3-4b-it"
    cpu_build = hardware.Machine(**{**GPU_24GB.__dict__, "gpu_offload": False})
    assert {hardware.fit(m, cpu_build).where for m in entries()} == {"CPU"}
    assert "cannot offload" in cpu_build.describe()


def test_fit_on_slow_and_apple_machines():
    two_old_cores = hardware.Machine(total_ram=8 * GIB, available_ram=6 * GIB, cores=2, cpu_features=frozenset({"sse4_2"}))
    slow = hardware.fit(find("qwen2.5-1.5b-instruct"), two_old_cores)
    assert slow.label == "may be slow" and "tokens/s" in slow.reason
    mac = hardware.Machine(total_ram=8 * GIB, available_ram=5 * GIB, cores=8, arch="arm64",
                           cpu_features=frozenset({"neon"}), gpu="metal", gpu_offload=True)
    assert hardware.fit(find("llama-3.2-1b-instruct"), mac).where == "GPU"
    assert hardware.fit(find("phi-3.5-mini-instruct"), mac).label != "fits"  # beyond 2/3 of unified memory
    nothing = hardware.Machine(total_ram=GIB, available_ram=GIB // 2, cores=1)
    assert hardware.recommend(entries(), nothing).name == "smollm2-135m-instruct"


def test_detect_reads_this_machine():
    machine = hardware.detect(check_gpu_offload=False)
    assert machine.total_ram > machine.available_ram > 0 and machine.cores >= 1
    assert "memory available" in machine.describe()


# -- GGUF metadata ---------------------------------------------------------------------------------
def test_info_reader_agrees_with_llama_cpps_gguf_package(default_model):
    pytest.importorskip("gguf")
    ours = gguf_info.info(default_model).to_dict()
    theirs = gguf_info.info(default_model, reader="gguf").to_dict()
    assert ours.pop("reader") == "edgeapp" and theirs.pop("reader") == "gguf"
    assert ours == theirs
    assert ours["architecture"] == "llama" and ours["parameters"] == 134_515_008 and ours["quantization"] == "Q4_1"


def test_info_command(default_model):
    result = CliRunner().invoke(main, ["models", "info", str(default_model)])
    assert result.exit_code == 0, result.output
    for needle in ("architecture  llama", "134,515,008 (135M)", "Q4_1", "8192 tokens", "chat template yes"):
        assert needle in result.output
    as_json = json.loads(CliRunner().invoke(main, ["models", "info", "--json", "smollm2-135m-instruct"]).output)
    assert as_json["context_length"] == 8192


def test_info_refuses_files_that_are_not_whole_gguf(tmp_path, default_model):
    text = tmp_path / "notes.gguf"
    text.write_text("hello")
    result = CliRunner().invoke(main, ["models", "info", str(text)])
    assert result.exit_code == 1 and "not a GGUF model file" in result.stderr
    cut = tmp_path / "cut.gguf"
    with open(default_model, "rb") as src:
        cut.write_bytes(src.read(300_000))  # inside the vocabulary
    with pytest.raises(gguf_info.GGUFError, match="truncated"):
        gguf_info.read_header(cut)


# -- use / rm / list ---------------------------------------------------------------------------------
SEGFAULT = [sys.executable, "-c", "import ctypes; ctypes.string_at(0)"]


def test_use_refuses_a_model_the_crash_guard_rejects(default_model, tmp_path, monkeypatch):
    monkeypatch.setenv("EDGEAPP_ENGINE_CACHE", str(tmp_path / "verdicts"))
    real = engine_check.trial_run
    monkeypatch.setattr(engine_check, "trial_run",
                        lambda model, n_gpu_layers=-1, **kw: real(model, n_gpu_layers, command=SEGFAULT, **kw))
    crashing = models_dir() / "crashing.gguf"
    shutil.copy(default_model, crashing)
    result = CliRunner().invoke(main, ["models", "use", str(crashing)])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: The local engine (llama.cpp) crashed (signal SIGSEGV)")
    assert config.load()["local.model_path"] == ""  # not switched


def test_use_switches_and_a_running_assistant_follows_keeping_the_conversation(default_model, tmp_path):
    from edgeapp.assistant import Assistant, TurnOptions

    copy = models_dir() / "copy-of-smollm2.gguf"
    shutil.copy(default_model, copy)
    assistant = Assistant()
    try:
        conversation = assistant.new_conversation()
        first = assistant.ask_sync(conversation, "Say hello.", TurnOptions(mode="local"))
        assert first.route == "local" and assistant.local.path == default_model
        result = CliRunner().invoke(main, ["models", "use", str(copy)])
        assert result.exit_code == 0, result.stderr
        assert config.load()["local.model_path"] == str(copy)
        second = assistant.ask_sync(conversation, "And again.", TurnOptions(mode="local"))
        assert second.route == "local" and assistant.local.path == copy  # no restart
        assert sum(m["role"] == "user" for m in conversation.messages) == 2  # history kept
    finally:
        assistant.close()
    back = CliRunner().invoke(main, ["models", "use", "smollm2-135m-instruct"])
    assert back.exit_code == 0 and config.load().is_default("local.model_path")


def test_use_a_catalog_model_not_yet_downloaded_says_how():
    result = CliRunner().invoke(main, ["models", "use", "qwen2.5-1.5b-instruct"])
    assert result.exit_code == 1
    assert "not downloaded yet: run `edgeapp models pull qwen2.5-1.5b-instruct` first" in result.stderr


def test_rm_refuses_the_model_in_use_and_removes_others(default_model):
    in_use = models_dir() / "in-use.gguf"
    other = models_dir() / "other.gguf"
    shutil.copy(default_model, in_use)
    shutil.copy(default_model, other)
    settings = config.load()
    settings.set("local.model_path", str(in_use))
    settings.save()
    refused = CliRunner().invoke(main, ["models", "rm", "in-use.gguf"])
    assert refused.exit_code == 1 and "is the model in use" in refused.stderr and in_use.exists()
    removed = CliRunner().invoke(main, ["models", "rm", "other.gguf"])
    assert removed.exit_code == 0 and not other.exists()
    embedded = CliRunner().invoke(main, ["models", "rm", "smollm2-135m-instruct"])
    assert embedded.exit_code == 1 and "ships with edgeapp" in embedded.stderr


def test_list_marks_in_use_and_recommended(default_model, monkeypatch):
    monkeypatch.setattr(hardware, "detect", lambda **kw: LAPTOP_4GB)
    (models_dir() / "hand-copied.gguf").write_bytes(default_model.read_bytes()[:4096])
    result = CliRunner().invoke(main, ["models", "list"])
    assert result.exit_code == 0, result.output
    assert "This machine: 2.6 of 4.0 GB memory available, 4 cores" in result.output
    assert "won't fit" in result.output and "hand-copied.gguf" in result.output
    data = json.loads(CliRunner().invoke(main, ["models", "list", "--json"]).output)
    rows = {r["name"]: r for r in data["models"]}
    assert rows["smollm2-135m-instruct"]["in_use"] and rows["smollm2-135m-instruct"]["installed"]
    assert sum(r["recommended"] for r in rows.values()) == 1
    assert rows["phi-3.5-mini-instruct"]["label"] == "won't fit"
