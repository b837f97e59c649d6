#!/usr/bin/env python3
"""Fine-tune the facts stage's sentence model on MSRP, score it by cross-validation, and write its weights.

The facts stage decides "these two sentences state the same fact" (``facts.same_fact``) from the cosine of
two sentence vectors plus word and figure checks. all-MiniLM-L6-v2 as shipped scores 0.79 F1 with that rule on
``../shared/eval/msrp_train``. This script fine-tunes the same model as a bi-encoder on MSRP's labelled pairs
(CoSENT loss from sentence-transformers, word embeddings frozen, bfloat16 autocast where the CPU has it), so
the facts stage keeps its cost (one vector per sentence) and gets a better cosine.

* ``--cv``: 5-fold cross-validation, twice: sentence-disjoint folds (no sentence text in both the training and
  the test part) and pair-stratified folds. In each fold the model is trained on 6/7 of the training part and
  ``same_fact_similarity`` is chosen on the held-out 1/7 (split by sentence groups), so nothing of the test
  part is seen. Scored: the facts stage's own decision (``facts.same_fact`` with the config's word and figure
  checks) and the cosine alone.
* ``--final``: trains on all 4,075 pairs and writes the tensors that differ from the packaged model (all but
  the frozen word embeddings) in float16 to ``src/newsdedup/weights/NAME.safetensors``, with a JSON card
  (recipe, data, CV figures) beside it.

Usage:  .venv/bin/python bench/train_facts_model.py --cv --json /tmp/cv.json
        .venv/bin/python bench/train_facts_model.py --final [--name news-facts-v1] [--data DIR]
--data is a folder with sentences.jsonl ({id, text}) and pairs.csv (id1,id2,label), the files
`newsdedup evaluate-facts` reads; by default ../shared/eval/msrp_train (absent: says so and exits 2).
About a minute per epoch on 2 cores with nothing else running (three epochs per training). Run nothing
else that uses torch meanwhile: two processes on two cores slow each other down about tenfold.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parent.parent
MSRP = REPO_ROOT.parent / "shared" / "eval" / "msrp_train"
WEIGHTS = REPO_ROOT / "src" / "newsdedup" / "weights"
sys.path.insert(0, str(REPO_ROOT / "src"))
sys.path.insert(0, str(REPO_ROOT / "bench"))
from common import command_line, load_settings, offline  # noqa: E402

offline()

THRESHOLDS = np.round(np.arange(0.40, 0.951, 0.01), 2)


@dataclass(frozen=True)
class Recipe:
    loss: str = "CoSENT"
    learning_rate: float = 5e-5
    epochs: int = 3
    batch_size: int = 16
    warmup: float = 0.1
    weight_decay: float = 0.01
    frozen: str = "word embeddings"
    seed: int = 0


def load_pairs(folder: Path) -> tuple[list[str], list[str], np.ndarray]:
    with open(folder / "sentences.jsonl", encoding="utf-8") as fh:
        text = {rec["id"]: rec["text"] for rec in map(json.loads, filter(str.strip, fh))}
    with open(folder / "pairs.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [text[r["id1"]] for r in rows], [text[r["id2"]] for r in rows], np.array([int(r["label"]) for r in rows])


def sentence_groups(left: list[str], right: list[str]) -> np.ndarray:
    """Connected components of the graph of sentence texts joined by pairs: folds split by these share no text."""
    from newsdedup.syndication import UnionFind

    index: dict[str, int] = {}
    for t in (*left, *right):
        index.setdefault(t, len(index))
    uf = UnionFind(len(index))
    for a, b in zip(left, right):
        uf.union(index[a], index[b])
    return np.array([uf.find(index[a]) for a in left])


def fine_tune(left: list[str], right: list[str], labels: np.ndarray, recipe: Recipe, base: str, log=print):
    """A SentenceTransformer fine-tuned on these pairs (label 1: same fact) with sentence-transformers' CoSENT loss."""
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.losses import CoSENTLoss

    from newsdedup.embed import cpu_has_bfloat16

    torch.manual_seed(recipe.seed)
    rng = np.random.default_rng(recipe.seed)
    model = SentenceTransformer(base, device="cpu", local_files_only=True)
    model.max_seq_length = 128
    model.train()
    for p in model[0].auto_model.embeddings.word_embeddings.parameters():
        p.requires_grad = False
    loss_fn = CoSENTLoss(model)
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=recipe.learning_rate, weight_decay=recipe.weight_decay)
    n = len(labels)
    total = math.ceil(n / recipe.batch_size) * recipe.epochs
    warm = max(1, int(recipe.warmup * total))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: (s + 1) / warm if s < warm else max(0.0, (total - s) / (total - warm)))
    lengths = np.array([len(a) + len(b) for a, b in zip(left, right)])
    y = torch.tensor(labels, dtype=torch.float32)
    bf16 = cpu_has_bfloat16()
    start = time.perf_counter()
    for epoch in range(recipe.epochs):
        # batches of pairs of about one length (less padding), in random order; each pair either way round
        perm = rng.permutation(n)
        batches = []
        for m in range(0, n, 32 * recipe.batch_size):
            chunk = perm[m : m + 32 * recipe.batch_size]
            chunk = chunk[np.argsort(lengths[chunk], kind="stable")]
            batches += [chunk[k : k + recipe.batch_size] for k in range(0, len(chunk), recipe.batch_size)]
        rng.shuffle(batches)
        running = 0.0
        for ix in batches:
            a, b = [left[i] for i in ix], [right[i] for i in ix]
            if rng.random() < 0.5:
                a, b = b, a
            features = model.preprocess(a + b)
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                emb = model(features)["sentence_embedding"]
            emb = torch.nn.functional.normalize(emb.float(), dim=-1)
            loss = loss_fn.compute_loss_from_embeddings([emb[: len(ix)], emb[len(ix) :]], y[ix])
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            sched.step()
            running += loss.item()
        log(f"  epoch {epoch + 1}/{recipe.epochs}: loss {running / len(batches):.4f} ({time.perf_counter() - start:.0f} s)")
    model.eval()
    return model, time.perf_counter() - start


class ModelEmbedder:
    """The facts stage's embedder protocol around an in-memory model (same precision as the product's)."""

    def __init__(self, model) -> None:
        import torch

        from newsdedup.embed import cpu_has_bfloat16

        self.model = model
        if cpu_has_bfloat16():
            self.model = self.model.to(torch.bfloat16)

    def embed(self, texts: list[str]) -> np.ndarray:
        vectors = np.asarray(self.model.encode(texts, batch_size=32, convert_to_numpy=True, show_progress_bar=False), dtype=np.float32)
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


def scores(truth: np.ndarray, decided: np.ndarray) -> dict:
    from newsdedup.evaluate import binary_scores

    return asdict(binary_scores(truth.astype(bool), decided.astype(bool)))


def best_threshold(truth: np.ndarray, sims: np.ndarray, compatible: np.ndarray) -> float:
    from sklearn.metrics import f1_score

    return float(max(THRESHOLDS, key=lambda t: (f1_score(truth, (sims >= t) & compatible), -t)))


def cross_validate(left, right, labels, recipe: Recipe, base: str, cfg, protocol: str) -> dict:
    """Five folds; in each, train on 6/7 of the training part, pick the threshold on the other 1/7, score the test part."""
    from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

    from newsdedup.facts import judge_pairs

    groups = sentence_groups(left, right)
    n = len(labels)
    if protocol == "sentence-disjoint":
        folds = StratifiedGroupKFold(5, shuffle=True, random_state=0).split(np.zeros(n), labels, groups)
    else:
        folds = StratifiedKFold(5, shuffle=True, random_state=0).split(np.zeros(n), labels)
    out = []
    for k, (train, test) in enumerate(folds):
        if protocol == "sentence-disjoint":
            seen = {left[i] for i in train} | {right[i] for i in train}
            assert not seen & ({left[i] for i in test} | {right[i] for i in test}), "a sentence in both parts"
        inner, held = next(StratifiedGroupKFold(7, shuffle=True, random_state=1).split(np.zeros(len(train)), labels[train], groups[train]))
        inner, held = train[inner], train[held]
        print(f"{protocol} fold {k}: train {len(inner)}, held out {len(held)}, test {len(test)}", flush=True)
        model, seconds = fine_tune([left[i] for i in inner], [right[i] for i in inner], labels[inner], recipe, base)
        embedder = ModelEmbedder(model)

        def judged(ix):
            sims, compatible, _ = judge_pairs([left[i] for i in ix], [right[i] for i in ix], embedder, cfg)
            return sims, compatible

        h_sims, h_comp = judged(held)
        t_sims, t_comp = judged(test)
        rule_t = best_threshold(labels[held], h_sims, h_comp)
        cos_t = best_threshold(labels[held], h_sims, np.ones_like(h_comp))
        fold = {
            "fold": k, "train_pairs": len(inner), "test_pairs": len(test), "train_seconds": round(seconds, 1),
            "threshold": rule_t, "facts_rule": scores(labels[test], (t_sims >= rule_t) & t_comp),
            "cosine_threshold": cos_t, "cosine_only": scores(labels[test], t_sims >= cos_t),
        }
        print(f"  same_fact (threshold {rule_t}): F1 {fold['facts_rule']['f1']:.4f}; cosine alone ({cos_t}): "
              f"F1 {fold['cosine_only']['f1']:.4f}", flush=True)
        out.append(fold)
    mean = {part: {m: float(np.mean([f[part][m] for f in out])) for m in ("precision", "recall", "f1", "accuracy")}
            for part in ("facts_rule", "cosine_only")}
    return {"protocol": protocol, "folds": out, "mean": mean,
            "thresholds": [f["threshold"] for f in out], "median_threshold": float(np.median([f["threshold"] for f in out]))}


def cv_summary(cvs: list[dict]) -> dict:
    """Per protocol: mean F1 of the facts stage's decision and of the cosine alone, and the thresholds chosen."""
    return {cv["protocol"]: {"same_fact_f1": round(cv["mean"]["facts_rule"]["f1"], 4),
                             "same_fact_precision": round(cv["mean"]["facts_rule"]["precision"], 4),
                             "same_fact_recall": round(cv["mean"]["facts_rule"]["recall"], 4),
                             "cosine_only_f1": round(cv["mean"]["cosine_only"]["f1"], 4),
                             "thresholds": cv["thresholds"], "median_threshold": cv["median_threshold"]} for cv in cvs}


def write_weights(model, name: str, card: dict) -> Path:
    """The tensors that differ from the packaged model (not the frozen word embeddings), float16, plus a card."""
    import torch
    from safetensors.torch import save_file

    state = model[0].auto_model.state_dict()
    tensors = {k: v.to(torch.float16).contiguous() for k, v in state.items() if "word_embeddings" not in k}
    WEIGHTS.mkdir(parents=True, exist_ok=True)
    path = WEIGHTS / f"{name}.safetensors"
    save_file(tensors, str(path), metadata={"base": card["base"], "recipe": json.dumps(card["recipe"])})
    (WEIGHTS / f"{name}.json").write_text(json.dumps(card, indent=1) + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", type=Path, default=REPO_ROOT / "config" / "default.toml")
    parser.add_argument("--cv", action="store_true", help="cross-validate (both protocols)")
    parser.add_argument("--protocols", default="sentence-disjoint,pair-stratified")
    parser.add_argument("--final", action="store_true", help="train on all pairs and write the weights")
    parser.add_argument("--name", default="news-facts-v1")
    parser.add_argument("--data", type=Path, default=MSRP, help="sentences.jsonl + pairs.csv (default: msrp_train)")
    parser.add_argument("--json", type=Path, default=None, metavar="FILE")
    args = parser.parse_args(argv)
    command = command_line("bench/train_facts_model.py", argv)
    print(f"command: {command}")
    if not (args.data / "pairs.csv").is_file() or not (args.data / "sentences.jsonl").is_file():
        print(f"train_facts_model: no sentences.jsonl + pairs.csv in {args.data}; nothing trained", file=sys.stderr)
        return 2
    settings = load_settings("train_facts_model", args.config)
    if settings is None:
        return 2
    from newsdedup.embed import facts_model, resolve_model

    import torch

    torch.set_num_threads(2)
    base = resolve_model(facts_model(settings))  # the weights are applied on top of the facts stage's model
    recipe = Recipe()
    left, right, labels = load_pairs(args.data)
    figures: dict = {"command": command, "recipe": asdict(recipe), "pairs": len(labels), "positives": int(labels.sum())}
    if args.cv:
        figures["cv"] = [cross_validate(left, right, labels, recipe, base, settings.facts, p) for p in args.protocols.split(",")]
        for cv in figures["cv"]:
            m = cv["mean"]
            print(f"{cv['protocol']}: same_fact F1 {m['facts_rule']['f1']:.4f} (P {m['facts_rule']['precision']:.3f}, "
                  f"R {m['facts_rule']['recall']:.3f}); cosine alone F1 {m['cosine_only']['f1']:.4f}; "
                  f"thresholds {cv['thresholds']}")
    card_path = WEIGHTS / f"{args.name}.json"
    if "cv" in figures and not args.final and card_path.is_file():
        # the shipped weights were trained by --final with this recipe: their card gets the CV figures
        card = json.loads(card_path.read_text(encoding="utf-8"))
        if card.get("recipe") == asdict(recipe) and card.get("data", "").startswith(f"{args.data.name},"):
            card["cv"] = cv_summary(figures["cv"])
            card["cv_command"] = command
            card_path.write_text(json.dumps(card, indent=1) + "\n", encoding="utf-8")
            print(f"cv figures written to {card_path.relative_to(REPO_ROOT)}")
    if args.final:
        model, seconds = fine_tune(left, right, labels, recipe, base)
        card = {"base": facts_model(settings), "data": f"{args.data.name}, all {len(labels):,} pairs",
                "recipe": asdict(recipe), "train_seconds": round(seconds, 1), "command": command}
        if "cv" in figures:
            card["cv"] = cv_summary(figures["cv"])
        path = write_weights(model, args.name, card)
        figures["weights"] = str(path.relative_to(REPO_ROOT))
        print(f"wrote {path.relative_to(REPO_ROOT)} ({path.stat().st_size / 1e6:.1f} MB)")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
        print(f"json: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
