"""The first run's suggestion (edgeapp/models/suggestion.py): with the embedded model in use, the
best catalog model that fits the machine, its size, download time (and what that assumes) and
licence; nothing once another model is in use or when nothing bigger fits; the same as one line
in `edgeapp chat`'s banner."""

from __future__ import annotations

from click.testing import CliRunner

from edgeapp import config
from edgeapp.cli.main import main
from edgeapp.models import entries, hardware
from edgeapp.models.suggestion import ASSUMED_MBIT_S, download_time, first_run_suggestion

GIB = 1 << 30
LAPTOP_8GB = hardware.Machine(total_ram=8 * GIB, available_ram=5 * GIB, cores=8, cpu_features=frozenset({"avx2"}))
TINY = hardware.Machine(total_ram=1 * GIB, available_ram=1 * GIB + 200 * (1 << 20), cores=2)


def test_download_time_says_what_it_assumes():
    assert download_time(986e6) == f"about 3 min at {ASSUMED_MBIT_S} Mbit/s"
    assert download_time(98e6) == f"under a minute at {ASSUMED_MBIT_S} Mbit/s"
    assert download_time(2.4e9, mbit_s=10) == "about 32 min at 10 Mbit/s"
    assert download_time(20e9, mbit_s=10) == "about 4.4 hours at 10 Mbit/s"


def test_a_machine_gets_the_best_model_that_fits_it():
    s = first_run_suggestion(config.Settings(), LAPTOP_8GB)
    assert s is not None and not s.entry.embedded and not s.installed
    assert hardware.fit(s.entry, LAPTOP_8GB).label == hardware.FITS
    assert s.entry == hardware.recommend(entries(), LAPTOP_8GB)
    assert s.entry.title in s.details and s.entry.license in s.details and "Mbit/s" in s.details
    assert "trying edgeapp out" in s.headline and "(embedded)" not in s.headline
    line = s.one_line()
    assert "\n" not in line and f"edgeapp models pull {s.entry.name} --use" in line


def test_nothing_to_suggest_on_a_tiny_machine_or_with_another_model_in_use(tmp_path):
    assert first_run_suggestion(config.Settings(), TINY) is None  # only the embedded model fits
    chosen = config.Settings()
    chosen.set("local.model_path", str(tmp_path / "mine.gguf"))
    assert first_run_suggestion(chosen, LAPTOP_8GB) is None


def test_the_terminal_chat_names_its_model_and_suggests_a_better_one_in_one_line():
    result = CliRunner().invoke(main, ["chat"], input="/quit\n")
    assert result.exit_code == 0, result.output
    assert "edgeapp chat — SmolLM2 135M Instruct (embedded) first" in result.output
    expected = first_run_suggestion()  # this machine, as the chat saw it
    if expected is None:  # a machine where nothing bigger fits: no line
        assert "edgeapp models pull" not in result.output
    else:
        lines = [line for line in result.output.splitlines() if "edgeapp models pull" in line]
        assert lines == [expected.one_line()]
        assert hardware.fit(expected.entry, hardware.detect()).label == hardware.FITS
