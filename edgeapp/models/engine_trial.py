"""The crash guard's child process: `python -m edgeapp.models.engine_trial MODEL N_GPU_LAYERS`.

It loads the model as the app does and writes a few tokens; `engine_check.trial_run` starts it and
reads how it ended (exit 0, a Python error, a signal such as SIGSEGV or SIGILL, or no answer). It is
a module of its own so that the guard never imports the model wrapper that calls it.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def trial(model: str, n_gpu_layers: int) -> int:
    """Load `model` with `n_gpu_layers` and write four tokens; 0 when that worked."""
    os.environ["EDGEAPP_IN_ENGINE_TRIAL"] = "1"
    from .local_model import LocalModel

    lm = LocalModel(Path(model), n_ctx=256, n_gpu_layers=n_gpu_layers)
    try:
        out = lm.generate([{"role": "user", "content": "Say hello."}], max_tokens=4)
        print(json.dumps({"tokens": out.completion_tokens}))
    finally:
        lm.close()
    return 0


if __name__ == "__main__":
    sys.exit(trial(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else -1))
