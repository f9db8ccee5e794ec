"""The CLI as a user runs it: one clear sentence and a non-zero exit for every bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from edgeapp import config
from edgeapp.cli.main import main
from edgeapp.cloud import api_key as keys


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def one_sentence_error(result, *needles: str) -> None:
    assert result.exit_code != 0
    lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    for needle in needles:
        assert needle in lines[0]


def test_ask_json_record(default_model):
    result = run("ask", "--json", "--mode", "local", "What is 2 + 2?")
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    for key in ("answer", "route", "confidence", "components", "threshold", "local_prompt_tokens",
                "local_completion_tokens", "cloud_input_tokens", "cloud_output_tokens", "cost", "latency_ms"):
        assert key in record
    assert record["route"] == "local" and 0 <= record["confidence"] <= 1
    assert {"mean_prob", "min_prob", "verbal"} <= set(record["components"])


def test_ask_plain_prints_answer_then_route_line(default_model):
    result = run("ask", "--mode", "local", "Say hi")
    assert result.exit_code == 0
    assert result.stdout.strip()
    assert "local · confidence" in result.stderr


def test_missing_model_path(tmp_path):
    run("config", "set", "local.model_path", str(tmp_path / "missing.gguf"))
    one_sentence_error(run("ask", "hello"), "does not exist", "edgeapp config set local.model_path")


def test_corrupt_model_file(tmp_path, default_model):
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(default_model.read_bytes()[:3_000_000])
    run("config", "set", "local.model_path", str(broken))
    one_sentence_error(run("ask", "hello"), "truncated or damaged")


def test_empty_prompt(default_model):
    one_sentence_error(run("ask", "  "), "empty")


def test_prompt_longer_than_context(default_model):
    run("config", "set", "local.n_ctx", "256")
    one_sentence_error(run("ask", "word " * 600), "context holds 256", "local.n_ctx")


def test_unknown_config_key():
    one_sentence_error(run("config", "set", "router.treshold", "0.5"), "Unknown setting 'router.treshold'",
                       "router.threshold")


def test_bad_config_value():
    one_sentence_error(run("config", "set", "router.threshold", "1.5"), "between 0.0 and 1.0")
    one_sentence_error(run("config", "set", "router.mode", "sometimes"), "auto, local, cloud")
    one_sentence_error(run("config", "set", "cloud.base_url", "api.openai.com"), "http")


def test_config_roundtrip_and_show():
    assert run("config", "set", "router.threshold", "0.7").exit_code == 0
    assert run("config", "set", "cloud.base_url", "http://127.0.0.1:8080/v1").exit_code == 0
    settings = config.load()
    assert settings["router.threshold"] == 0.7
    shown = run("config", "show", "--json")
    assert json.loads(shown.stdout)["cloud.base_url"] == "http://127.0.0.1:8080/v1"
    assert run("config", "unset", "router.threshold").exit_code == 0
    assert config.load()["router.threshold"] == config.SCHEMA["router.threshold"].default


def test_broken_config_file_is_a_clear_error(edgeapp_home):
    from edgeapp import paths

    paths.config_file().write_text("[router\nthreshold = ")
    one_sentence_error(run("config", "show"), "not valid TOML")


def test_keys_set_stores_in_keyring_not_in_files(edgeapp_home):
    secret = "sk-test-0123456789abcdefghijklmnop"
    result = run("keys", "set", input=secret + "\n")
    assert result.exit_code == 0 and secret not in result.output
    assert keys.get_api_key() == secret
    assert "OS keyring" in run("keys", "show").stdout
    for root, _, files in os.walk(edgeapp_home):
        for name in files:
            assert secret.encode() not in open(os.path.join(root, name), "rb").read()


def test_env_var_is_the_fallback(monkeypatch):
    monkeypatch.setenv("EDGEAPP_API_KEY", "sk-from-env")
    assert keys.get_api_key() == "sk-from-env"
    assert "EDGEAPP_API_KEY" in keys.key_source()


@pytest.mark.parametrize("module", ["edgeapp.cli.main", "edgeapp.assistant", "edgeapp.ledger", "edgeapp.gatekeeper"])
def test_core_imports_no_qt(module):
    code = f"import sys, {module}; bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'PyQt5', 'PyQt6', 'shiboken6')]; print(bad); sys.exit(1 if bad else 0)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_console_script_exit_code(tmp_path):
    env = dict(os.environ, EDGEAPP_HOME=str(tmp_path))
    proc = subprocess.run([sys.executable, "-m", "edgeapp.cli", "config", "set", "nope", "1"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 1 and proc.stderr.startswith("Error: Unknown setting 'nope'")


def test_chat_shows_route_and_confidence_per_turn(default_model):
    result = CliRunner().invoke(main, ["chat", "--mode", "local"], input="What is 2 + 2?\n/new\nSay hi\n/quit\n")
    assert result.exit_code == 0, result.output
    assert result.output.count("[local · confidence") == 2
    assert "(new conversation)" in result.output


def test_cli_start_loads_no_heavy_parts():
    """`edgeapp --version`, `config`, `budget` stay quick: Presidio, spaCy, llama.cpp, the server and Qt
    load only in the commands that use them."""
    heavy = ("presidio_analyzer", "spacy", "llama_cpp", "uvicorn", "starlette", "PySide6", "sklearn")
    code = f"import sys, edgeapp.cli.main; print([m for m in {heavy!r} if m in sys.modules])"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout.strip() == "[]", proc.stdout + proc.stderr


def test_every_command_in_the_table_loads_and_help_lists_it():
    """The one table in edgeapp/cli/main.py names each command and where it lives; each loads as
    the click command of that name, and `edgeapp --help` lists them all."""
    import pkgutil

    import click

    from edgeapp.cli.main import COMMANDS

    assert {"ask", "chat", "config", "keys", "scrub", "log", "sent", "export", "budget", "price", "eval",
            "calibrate", "feedback", "models", "serve", "gui", "doctor", "encrypt"} == set(COMMANDS)
    for name, where in COMMANDS.items():
        command = pkgutil.resolve_name(where)
        assert isinstance(command, click.Command) and command.name == name, where
    listed = run("--help").stdout.split("Commands:", 1)[1]
    assert [line.split()[0] for line in listed.strip().splitlines()] == sorted(COMMANDS)


def test_commands_load_only_when_they_run():
    """Importing the group imports no command module; running one imports that module alone."""
    code = ("import sys\nfrom edgeapp.cli.main import main\n"
            "before = sorted(m for m in sys.modules if m.startswith('edgeapp.cli.'))\n"
            "try:\n    main(['config', 'path'], prog_name='edgeapp')\nexcept SystemExit:\n    pass\n"
            "after = sorted(m for m in sys.modules if m.startswith('edgeapp.cli.'))\n"
            "print(before, after, file=sys.stderr)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    before, after = proc.stderr.strip().splitlines()[-1].split("] [")
    assert before == "['edgeapp.cli.errors', 'edgeapp.cli.main'"
    assert after == "'edgeapp.cli.errors', 'edgeapp.cli.main', 'edgeapp.cli.settings']"


def test_ask_loads_no_qt_server_or_evaluation(default_model):
    """`edgeapp ask` runs a turn with the core alone: no Qt, no API server, no evaluation stack, and
    no other command's module."""
    heavy = ("PySide6", "shiboken6", "uvicorn", "starlette", "matplotlib", "sklearn")
    code = ("import sys\nfrom edgeapp.cli.main import main\n"
            "try:\n    main(['ask', '--mode', 'local', 'Say hi'], prog_name='edgeapp')\nexcept SystemExit as e:\n"
            "    code = e.code\n"
            f"loaded = [m for m in sys.modules if m.split('.')[0] in {heavy!r}\n"
            "          or m.startswith(('edgeapp.api', 'edgeapp.evaluation', 'edgeapp.gui', 'edgeapp.cli.'))]\n"
            "print('exit', code, sorted(loaded), file=sys.stderr)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    last = proc.stderr.strip().splitlines()[-1]
    assert last == "exit 0 ['edgeapp.cli.chat', 'edgeapp.cli.errors', 'edgeapp.cli.main']", proc.stderr
