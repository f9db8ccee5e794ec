"""The local model: a GGUF file run by llama.cpp on one owner thread.

`Llama` is not thread-safe, so one worker thread loads the model and runs every job on it;
other threads talk to it through a queue. Generation is greedy and streams tokens; for each
sampled token we read the logits llama.cpp already computed for the last position (no
`logits_all`, no Python logits processor) and keep the token's log-probability and the
distribution's entropy. That is the Coco confidence signal at near-zero cost: one
log-sum-exp over the vocabulary per token.
"""

from __future__ import annotations

import codecs
import ctypes
import os
import queue
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..cancel import CancelToken
from ..errors import ModelError, PromptError, context_action
from .names import model_title

GGUF_MAGIC = b"GGUF"
# prompt tokens evaluated per batch: a stop request is seen between batches, so a small batch keeps
# it prompt on a slow CPU (a batch of 64 costs little more per token than one of 512)
PREFILL_CHUNK = 64
_DONE = object()


def available_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


def check_model_file(path: Path) -> None:
    """Fail early, with a sentence a user can act on, before llama.cpp sees the file."""
    if not str(path):
        raise ModelError("No local model is configured. Run `edgeapp config set local.model_path FILE.gguf`.")
    if not path.exists():
        raise ModelError(
            f"The model file {path} does not exist. Point edgeapp at a GGUF file with "
            "`edgeapp config set local.model_path FILE.gguf`, or `edgeapp config unset local.model_path` "
            "to use the embedded default."
        )
    if path.is_dir():
        raise ModelError(f"{path} is a folder; local.model_path must name a .gguf file.")
    with open(path, "rb") as fh:
        head = fh.read(4)
    if head != GGUF_MAGIC:
        raise ModelError(
            f"{path} is not a GGUF model file (it does not start with the GGUF signature). "
            "Use a .gguf file, for example a Q4_K_M quantization from the model's release page."
        )
    if path.stat().st_size < 1024:
        raise ModelError(f"{path} is too small to be a model; it is truncated. Download it again.")


@dataclass(frozen=True)
class Sampling:
    """Draw tokens instead of taking the most likely one (a second opinion from the same model)."""

    temperature: float = 0.7
    top_p: float = 0.95
    top_k: int = 40
    seed: int = 0


@dataclass
class TokenStep:
    """One generated token and what the model thought of it."""

    text: str  # decoded text this token completed (may be "" inside a multi-byte character)
    token: int
    logprob: float
    entropy: float


@dataclass
class Generation:
    text: str = ""
    tokens: list[int] = field(default_factory=list)
    logprobs: list[float] = field(default_factory=list)
    entropies: list[float] = field(default_factory=list)
    text_ends: list[int] = field(default_factory=list)  # len(text) after each token
    prompt_tokens: int = 0
    finish_reason: str = "stop"  # stop | length | cancelled
    prefill_s: float = 0.0
    total_s: float = 0.0

    @property
    def completion_tokens(self) -> int:
        return len(self.tokens)

    @property
    def tokens_per_s(self) -> float:
        gen = self.total_s - self.prefill_s
        return self.completion_tokens / gen if gen > 0 else 0.0


class LocalModel:
    """A GGUF model on its own thread. All public methods may be called from any thread."""

    def __init__(
        self,
        path: Path | str,
        *,
        n_ctx: int = 4096,
        n_threads: int = 0,
        n_gpu_layers: int = -1,
        seed: int = 1234,
        embedding: bool = False,
        guard: bool = True,
    ) -> None:
        self.path = Path(path)
        check_model_file(self.path)
        if guard:  # the first use of this file with this llama.cpp build runs in a child process first
            from .engine_check import ensure_engine_runs

            ensure_engine_runs(self.path, n_gpu_layers)
        self.n_ctx = n_ctx
        self.n_threads = n_threads or available_cores()
        self._jobs: queue.Queue = queue.Queue()
        self._loaded = threading.Event()
        self._load_error: BaseException | None = None
        self._closed = False
        self._thread = threading.Thread(
            target=self._run,
            name=f"llama-owner:{self.path.name}",
            daemon=True,
            args=(n_gpu_layers, seed, embedding),
        )
        self._thread.start()
        self._loaded.wait()
        if self._load_error is not None:
            raise self._load_error

    # -- the owner thread ---------------------------------------------------
    def _load(self, n_gpu_layers: int, seed: int, embedding: bool):
        import llama_cpp

        if n_gpu_layers < 0:
            n_gpu_layers = -1 if llama_cpp.llama_supports_gpu_offload() else 0
        try:
            llm = llama_cpp.Llama(
                model_path=str(self.path),
                n_ctx=self.n_ctx,
                n_threads=self.n_threads,
                n_threads_batch=self.n_threads,
                n_gpu_layers=n_gpu_layers,
                seed=seed,
                logits_all=False,
                embedding=embedding,
                verbose=False,
            )
        except (ValueError, RuntimeError, OSError) as exc:
            raise ModelError(
                f"llama.cpp could not load {self.path} ({exc}). The file is probably truncated or damaged, "
                "or made for a newer llama.cpp: download it again, or choose another file with "
                "`edgeapp config set local.model_path FILE.gguf`."
            ) from exc
        self.gpu_layers = n_gpu_layers
        return llm

    def _run(self, n_gpu_layers: int, seed: int, embedding: bool) -> None:
        try:
            self._llm = self._load(n_gpu_layers, seed, embedding)
            self._setup_chat()
        except BaseException as exc:  # noqa: BLE001 - reported to the constructor
            self._load_error = exc if isinstance(exc, ModelError) else ModelError(str(exc))
            self._loaded.set()
            return
        self._loaded.set()
        while True:
            job = self._jobs.get()
            if job is None:
                break
            fn, reply = job
            try:
                fn(self._llm)
            except BaseException as exc:  # noqa: BLE001 - handed to the caller
                reply.put(exc)
        self._llm.close()

    def _setup_chat(self) -> None:
        from llama_cpp import llama_chat_format

        llm = self._llm
        meta = llm.metadata
        self.gguf_name = meta.get("general.name") or ""  # the converter's label: not for people
        self.name = model_title(self.path)  # what every face shows: catalog title or cleaned file name
        template = meta.get("tokenizer.chat_template")
        eos_id, bos_id = llm.token_eos(), llm.token_bos()
        eos = llm._model.token_get_text(eos_id) if eos_id != -1 else ""
        bos = llm._model.token_get_text(bos_id) if bos_id != -1 else ""
        if template:
            self._formatter = llama_chat_format.Jinja2ChatFormatter(
                template=template, eos_token=eos, bos_token=bos, stop_token_ids=[eos_id]
            )
        else:  # no template in the file: ChatML is the most common convention
            self._formatter = llama_chat_format.Jinja2ChatFormatter(
                template=llama_chat_format.CHATML_CHAT_TEMPLATE, eos_token=eos, bos_token=bos
            )
        self.n_vocab = llm.n_vocab()

    def _submit(self, fn: Callable[[Any], None]) -> queue.Queue:
        if self._closed:
            raise ModelError("The local model was closed.")
        reply: queue.Queue = queue.Queue()
        self._jobs.put((fn, reply))
        return reply

    def call(self, fn: Callable[[Any], Any]) -> Any:
        """Run fn(llama) on the owner thread and return its result."""

        def job(llm):
            reply.put((fn(llm),))

        reply = self._submit(job)
        out = reply.get()
        if isinstance(out, BaseException):
            raise out
        return out[0]

    # -- prompts --------------------------------------------------------------
    def _prompt_tokens(self, llm, messages: Sequence[dict[str, str]]) -> tuple[list[int], list[str]]:
        fmt = self._formatter(messages=list(messages))
        tokens = llm.tokenize(fmt.prompt.encode("utf-8"), add_bos=not fmt.added_special, special=True)
        stops = fmt.stop if isinstance(fmt.stop, list) else ([fmt.stop] if fmt.stop else [])
        return tokens, stops

    def count_tokens(self, messages: Sequence[dict[str, str]]) -> int:
        return self.call(lambda llm: len(self._prompt_tokens(llm, messages)[0]))

    def prompt_tokens(self, messages: Sequence[dict[str, str]]) -> list[int]:
        """The tokens of `messages` in the model's chat format, as generation would feed them."""
        return self.call(lambda llm: self._prompt_tokens(llm, messages)[0])

    def tokenize(self, text: str) -> list[int]:
        return self.call(lambda llm: llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    # -- generation -----------------------------------------------------------
    def stream(
        self,
        messages: Sequence[dict[str, str]],
        *,
        max_tokens: int = 512,
        min_room: int = 16,
        cancel: CancelToken | None = None,
        sampling: Sampling | None = None,
    ) -> Iterator[TokenStep | Generation]:
        """Yield a TokenStep per token, then the finished Generation.

        Greedy by default (the answer and its confidence are then the same on every ask); `sampling`
        draws instead, reproducibly for one seed.

        Leaving the iterator early (break, close) stops generation after the current token. Setting
        `cancel` stops it before the prefill, between prefill batches or after the current token; the
        Generation then has finish_reason "cancelled" and the tokens written so far.
        """
        events: queue.Queue = queue.Queue(maxsize=256)
        stop = CancelToken()
        unlink = cancel.link(stop) if cancel is not None else None

        def job(llm):
            try:
                self._generate(llm, messages, max_tokens, min_room, events, stop, sampling)
            except BaseException as exc:  # noqa: BLE001
                events.put(exc)
            finally:
                events.put(_DONE)

        self._submit(job)
        done = False
        try:
            while True:
                item = events.get()
                if item is _DONE:
                    done = True
                    return
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            if unlink is not None:
                unlink()
            if not done:
                stop.set()
                # drain so the owner thread never blocks on a full queue
                while events.get() is not _DONE:
                    pass

    def generate(
        self, messages: Sequence[dict[str, str]], *, max_tokens: int = 512, sampling: Sampling | None = None
    ) -> Generation:
        result = None
        for item in self.stream(messages, max_tokens=max_tokens, sampling=sampling):
            if isinstance(item, Generation):
                result = item
        assert result is not None
        return result

    @staticmethod
    def _prefill_all_but_last(llm, tokens: list[int], cancel: CancelToken | None = None) -> bool:
        """Evaluate the prompt up to its last token, reusing the cached prefix of the previous job.

        llama.cpp's logits differ slightly between a token evaluated inside a batch and the same
        token evaluated alone, and `Llama.generate` evaluates the last prompt token alone only when
        the rest is already cached. Doing the same on a cold cache makes greedy output the same
        whatever ran before (a near tie could otherwise flip a token between two identical asks).
        Evaluated PREFILL_CHUNK tokens at a time, looking at `cancel` between batches; returns
        False when it was cancelled.
        """
        cached = llm.input_ids[: llm.n_tokens].tolist()
        prefix = 0
        for a, b in zip(cached, tokens[:-1], strict=False):
            if a != b:
                break
            prefix += 1
        llm.n_tokens = prefix  # eval() drops the cache beyond this point
        rest = tokens[prefix:-1]
        step = max(1, min(llm.n_batch, PREFILL_CHUNK))
        for start in range(0, len(rest), step):
            if cancel is not None and cancel.is_set():
                return False
            llm.eval(rest[start : start + step])
        return True

    def _generate(
        self,
        llm,
        messages,
        max_tokens,
        min_room,
        events: queue.Queue,
        cancel: CancelToken,
        sampling: Sampling | None = None,
    ) -> None:
        import llama_cpp

        started = time.perf_counter()
        if cancel.is_set():  # stopped while the job waited its turn
            events.put(Generation(finish_reason="cancelled"))
            return
        tokens, stops = self._prompt_tokens(llm, messages)
        max_tokens = min(max_tokens, self._room_for_answer(len(tokens), min_room))
        gen = Generation(prompt_tokens=len(tokens))
        if not self._prefill_all_but_last(llm, tokens, cancel):
            gen.finish_reason = "cancelled"
            gen.total_s = time.perf_counter() - started
            events.put(gen)
            return
        vocab = llm._model.vocab
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        float_array = ctypes.POINTER(ctypes.c_float * self.n_vocab)
        pieces: list[str] = []
        finish = "length"
        first = True
        text_len = 0
        draw = _draw_settings(llm, sampling)
        for token in llm.generate(tokens, **draw, repeat_penalty=1.0, reset=True):
            if first:
                gen.prefill_s = time.perf_counter() - started
                first = False
            if llama_cpp.llama_vocab_is_eog(vocab, token):
                finish = "stop"
                break
            # logits of the position this token was sampled from (still in the context)
            ptr = llama_cpp.llama_get_logits_ith(llm._ctx.ctx, -1)
            logprob, entropy = _logprob_and_entropy(ctypes.cast(ptr, float_array).contents, token)
            piece = decoder.decode(llm.detokenize([token], special=False))
            pieces.append(piece)
            gen.tokens.append(int(token))
            gen.logprobs.append(logprob)
            gen.entropies.append(entropy)
            text_len += len(piece)
            gen.text_ends.append(text_len)
            events.put(TokenStep(piece, int(token), logprob, entropy))
            if stops and any(s and s in "".join(pieces[-8:]) for s in stops):
                finish = "stop"
                break
            if cancel.is_set():
                finish = "cancelled"
                break
            if len(gen.tokens) >= max_tokens:
                finish = "length"
                break
        pieces.append(decoder.decode(b"", final=True))
        text = "".join(pieces)
        for s in stops:
            if s and s in text:
                text = text[: text.index(s)]
        gen.text = text
        gen.finish_reason = finish
        gen.total_s = time.perf_counter() - started
        events.put(gen)

    def _room_for_answer(self, prompt_tokens: int, min_room: int) -> int:
        """Tokens left for the answer; a PromptError when fewer than `min_room` are."""
        room = self.n_ctx - prompt_tokens
        if room < min_room:
            raise PromptError(
                f"The message is {prompt_tokens} tokens long but the local model's context holds "
                f"{self.n_ctx}. Shorten it, or raise the context with "
                "`edgeapp config set local.n_ctx 8192` (uses more memory).",
                action=context_action(self.n_ctx),
            )
        return room

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._jobs.put(None)
            self._thread.join(timeout=30)

    def __enter__(self) -> LocalModel:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _draw_settings(llm, sampling: Sampling | None) -> dict[str, float]:
    """llama.cpp's sampler arguments: greedy by default, else the given sampling (seeded)."""
    if sampling is None:
        return {"temp": 0.0, "top_k": 1, "top_p": 1.0, "min_p": 0.0}
    llm.set_seed(sampling.seed)
    return {"temp": sampling.temperature, "top_k": sampling.top_k, "top_p": sampling.top_p, "min_p": 0.0}


def _logprob_and_entropy(row, token: int) -> tuple[float, float]:
    """The sampled token's log-probability and the distribution's entropy, from one row of logits
    (a ctypes float array, read without a copy)."""
    logits = np.frombuffer(row, dtype=np.float32)
    shifted = logits - float(logits.max())
    exp = np.exp(shifted)
    total = float(exp.sum())
    log_total = float(np.log(total))
    return float(shifted[token]) - log_total, log_total - float(np.dot(exp, shifted)) / total
