"""Quality and speed of figure extraction (``python bench/extraction.py [--quick]``).

Precision and recall of (value, unit) pairs against the annotated seeds
(``tests/extraction/corpus/seed_*.json``) and the held-out set of invented paragraphs
(``tests/extraction/heldout/heldout.json``), the "blind" set of 20 paragraphs written before the
mapping was revised (``tests/extraction/heldout/blind.json``), the "fresh" set of 13 paragraphs
written after it and measured without changing the rules (``tests/extraction/heldout/fresh.json``), the share of
matched figures mapped to the expected indicator, and articles per second on one core; the 20 "fresh2" paragraphs
(``tests/extraction/devset/fresh_dec.json``) were written after the issue-15 rules and measured once
before any change. ``--against REF`` also measures the extraction code of git revision REF in
alternation with this one (same load) and prints the speed ratio. Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from borderdesk.extraction import extract_figures  # noqa: E402
from borderdesk.extraction.engine import clear_caches  # noqa: E402

CORPUS = ROOT / "tests" / "extraction" / "corpus"
HELDOUT = ROOT / "tests" / "extraction" / "heldout" / "heldout.json"
BLIND = ROOT / "tests" / "extraction" / "heldout" / "blind.json"
FRESH = ROOT / "tests" / "extraction" / "heldout" / "fresh.json"
DEVSET = ROOT / "tests" / "extraction" / "devset"


def _key(value, unit, value_range=None) -> tuple:  # noqa: ANN001
    if value_range:
        return ("range", Decimal(str(value_range[0])), Decimal(str(value_range[1])), unit)
    return (None if value is None else Decimal(str(value)), unit)


def load_sets() -> dict[str, list[tuple[str, str, list[dict]]]]:
    seeds = []
    for path in sorted(CORPUS.glob("seed_*.json")):
        text = path.with_suffix(".txt").read_text(encoding="utf-8")
        seeds.append((path.stem, text, json.loads(path.read_text(encoding="utf-8"))))
    heldout = [(item["id"], item["text"], item["figures"]) for item in json.loads(HELDOUT.read_text(encoding="utf-8"))]
    blind = [(item["id"], item["text"], item["figures"]) for item in json.loads(BLIND.read_text(encoding="utf-8"))]
    fresh = [(item["id"], item["text"], item["figures"]) for item in json.loads(FRESH.read_text(encoding="utf-8"))]

    def devset(name: str) -> list[tuple[str, str, list[dict]]]:
        items = json.loads((DEVSET / name).read_text(encoding="utf-8"))
        return [(item["id"], item["text"], item["figures"]) for item in items]

    return {
        "seeds": seeds,
        "heldout": heldout,
        "blind": blind,
        "fresh": fresh,
        "devset": devset("kinds.json"),
        "after": devset("after.json"),
        "fresh2": devset("fresh_dec.json"),
    }


def _value_key(value, value_range=None) -> tuple:  # noqa: ANN001
    if value_range:
        return ("range", Decimal(str(value_range[0])), Decimal(str(value_range[1])))
    return (None if value is None else Decimal(str(value)),)


def _pairs(figures: list[dict], gold: list[dict]) -> tuple[list[tuple[dict, dict]], list[dict], list[dict]]:
    """Gold and found figures paired by value (same unit first, then in order of appearance); the
    unpaired gold (missed) and found (extra) figures."""
    pool: dict[tuple, list[dict]] = {}
    for f in figures:
        pool.setdefault(_value_key(f["value_text"], f["range"] and [str(v) for v in f["range"]]), []).append(f)
    pairs, missed = [], []
    for g in gold:
        candidates = pool.get(_value_key(g["value"], g.get("range")))
        if not candidates:
            missed.append(g)
            continue
        same = [f for f in candidates if f["unit"] == g["unit"]]
        f = (same or candidates)[0]
        candidates.remove(f)
        pairs.append((g, f))
    extra = [f for fs in pool.values() for f in fs]
    return pairs, missed, extra


def evaluate_figures(items: list[tuple[str, str, list[dict]]], verbose: bool = False) -> dict:
    """Recall and precision of the figures found (by value), and of those paired the share with the
    annotated unit, qualifier and (for absolute changes) direction."""
    expected = predicted = paired = unit_ok = qualifier_ok = changes = changes_ok = 0
    for name, text, gold in items:
        figures = [f.as_dict() for f in extract_figures(text)]
        pairs, missed, extra = _pairs(figures, gold)
        expected += len(gold)
        predicted += len(figures)
        paired += len(pairs)
        for g, f in pairs:
            unit_ok += f["unit"] == g["unit"]
            qualifier_ok += f["qualifier"] == g["qualifier"]
            if "change" in g or f.get("change"):
                changes += 1
                ok = (f.get("change") or {}).get("direction") == g.get("change")
                changes_ok += ok
                if verbose and not ok:
                    print(f"  [{name}] {g['quote']!r}: change {f.get('change')} expected {g.get('change')}")
            if verbose and f["unit"] != g["unit"]:
                print(f"  [{name}] {g['quote']!r}: unit {f['unit']!r} expected {g['unit']!r}")
            if verbose and f["qualifier"] != g["qualifier"]:
                print(f"  [{name}] {g['quote']!r}: qualifier {f['qualifier']!r} expected {g['qualifier']!r}")
        if verbose:
            for g in missed:
                print(f"  [{name}] missed {g['quote']!r} ({g['value']} {g['unit']})")
            for f in extra:
                print(f"  [{name}] extra {f['quote']!r} ({f['value_text']} {f['unit']})")
    return {
        "figure_recall": round(paired / expected, 4) if expected else 1.0,
        "figure_precision": round(paired / predicted, 4) if predicted else 1.0,
        "unit_accuracy": round(unit_ok / paired, 4) if paired else None,
        "qualifier_accuracy": round(qualifier_ok / paired, 4) if paired else None,
        "change_accuracy": round(changes_ok / changes, 4) if changes else None,
    }


def evaluate(items: list[tuple[str, str, list[dict]]], verbose: bool = False) -> dict:
    tp = predicted = expected = 0
    mapped_ok = mapped_total = 0
    gold_mapped = proposed_mapped = proposed_mapped_ok = 0
    comparisons_ok = comparisons_total = 0
    for name, text, gold in items:
        figures = [f.as_dict() for f in extract_figures(text)]
        got = Counter(_key(f["value_text"], f["unit"], f["range"] and [str(v) for v in f["range"]]) for f in figures)
        want = Counter(_key(g["value"], g["unit"], g.get("range")) for g in gold)
        hit = got & want
        tp += sum(hit.values())
        predicted += sum(got.values())
        expected += sum(want.values())
        # indicator and comparison agreement, pairing figures in order of appearance by key
        pool: dict[tuple, list[dict]] = {}
        for f in figures:
            pool.setdefault(_key(f["value_text"], f["unit"], f["range"] and [str(v) for v in f["range"]]), []).append(f)
        for g in gold:
            gold_mapped += bool(g.get("indicator"))
            candidates = pool.get(_key(g["value"], g["unit"], g.get("range")))
            if not candidates:
                continue
            f = candidates.pop(0)
            if "indicator" in g:
                mapped_total += 1
                mapped_ok += f["indicator"] == g["indicator"]
                if f["indicator"]:
                    proposed_mapped += 1
                    proposed_mapped_ok += f["indicator"] == g["indicator"]
                if verbose and f["indicator"] != g["indicator"]:
                    print(f"  [{name}] {g['quote']!r}: indicator {f['indicator']} expected {g['indicator']}")
            for wanted in g.get("comparisons", []):
                comparisons_total += 1
                ok = any(all(c.get(k) == v for k, v in wanted.items()) for c in f["comparisons"])
                comparisons_ok += ok
                if verbose and not ok:
                    print(f"  [{name}] {g['quote']!r}: comparison {wanted} not in {f['comparisons']}")
        if verbose:
            for key in got - want:
                print(f"  [{name}] extra {key}")
            for key in want - got:
                print(f"  [{name}] missed {key}")
    return {
        "precision": round(tp / predicted, 4) if predicted else 1.0,
        "recall": round(tp / expected, 4) if expected else 1.0,
        "true_positives": tp,
        "predicted": predicted,
        "expected": expected,
        "indicator_accuracy": round(mapped_ok / mapped_total, 4) if mapped_total else None,
        # of the proposed indicators (on matched, annotated figures), the share that is right
        "indicator_precision": round(proposed_mapped_ok / proposed_mapped, 4) if proposed_mapped else None,
        # of all annotated figures that have an indicator, the share found with the right indicator
        "indicator_recall": round(proposed_mapped_ok / gold_mapped, 4) if gold_mapped else None,
        "comparison_accuracy": round(comparisons_ok / comparisons_total, 4) if comparisons_total else None,
    }


def dense_articles(items: list[tuple[str, str, list[dict]]], size: int = 4000) -> list[str]:
    """Article-sized texts made of the development paragraphs only (every sentence full of figures)."""
    articles, current = [], []
    for _name, text, _gold in items:
        current.append(text)
        if sum(map(len, current)) >= size:
            articles.append("\n\n".join(current))
            current = []
    if current:
        articles.append("\n\n".join(current))
    return articles


def speed(texts: list[str], seconds: float) -> float:
    """Articles per second of CPU time of this (single-threaded) process: time on one core, not
    disturbed by other work on a shared machine."""
    extract_figures(texts[0])  # warm caches (catalogue, regexes)
    count = 0
    start = time.process_time()
    while True:
        for text in texts:
            clear_caches()  # each text as if never seen: no folded words kept from its last round
            extract_figures(text)
        count += len(texts)
        elapsed = time.process_time() - start
        if elapsed >= seconds:
            return count / elapsed


def load_reference(ref: str, into: Path):  # noqa: ANN201 - a module
    """The extraction package as it is at git revision ``ref``, imported as ``borderdesk_ref.extraction``
    (it is pure Python with relative imports; its catalogue CSV comes from the same revision)."""
    import importlib
    import io
    import subprocess
    import tarfile

    archive = subprocess.run(
        [
            "git",
            "-C",
            str(ROOT),
            "archive",
            "--format=tar",
            ref,
            "src/borderdesk/extraction",
            "src/borderdesk/reporting/data/indicators.csv",
        ],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    package = into / "borderdesk_ref"
    (into / "src" / "borderdesk").rename(package)
    (package / "__init__.py").write_text("", encoding="utf-8")
    sys.path.insert(0, str(into))
    return importlib.import_module("borderdesk_ref.extraction")


def _rate(extract, clear, texts: list[str], seconds: float) -> float:  # noqa: ANN001
    extract(texts[0])
    count = 0
    start = time.process_time()
    while True:
        for text in texts:
            clear()
            extract(text)
        count += len(texts)
        elapsed = time.process_time() - start
        if elapsed >= seconds:
            return count / elapsed


def compare_speed(ref: str, sets: dict, rounds: int, seconds: float) -> dict:
    """Articles per second of this code and of revision ``ref``, measured in alternation in this
    process (so both see the same load), and the ratio this / ref: medians of ``rounds`` rounds."""
    import statistics
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        reference = load_reference(ref, Path(tmp))
        from borderdesk_ref.extraction.engine import clear_caches as ref_clear

        seeds = [text for _name, text, _gold in sets["seeds"]]
        dense = dense_articles(sets["devset"] + sets["after"])
        out = {"ref": ref}
        for label, texts in (("seeds", seeds), ("dense", dense)):
            ours, theirs = [], []
            for _ in range(rounds):
                ours.append(_rate(extract_figures, clear_caches, texts, seconds))
                theirs.append(_rate(reference.extract_figures, ref_clear, texts, seconds))
            ratio = statistics.median(a / b for a, b in zip(ours, theirs, strict=True))
            out[label] = {
                "this": round(statistics.median(ours), 1),
                "ref": round(statistics.median(theirs), 1),
                "ratio": round(ratio, 2),
            }
            print(
                f"compare  {label}: {out[label]['this']:.0f} articles/s here, {out[label]['ref']:.0f} at {ref} "
                f"(ratio {ratio:.2f}, median of {rounds} alternating rounds of {seconds:g} s CPU each)"
            )
        return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="measure speed for 1 s instead of 5 s")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every disagreement")
    parser.add_argument(
        "--against", metavar="REF", help="also measure the code of git revision REF in alternation and print the ratio"
    )
    args = parser.parse_args(argv)
    sets = load_sets()
    results = {}
    for name, items in sets.items():
        if args.verbose:
            print(f"{name}:")
        results[name] = evaluate(items, verbose=args.verbose)
        results[name].update(evaluate_figures(items, verbose=args.verbose))
        r = results[name]
        print(
            f"{name:8} figures: recall {r['figure_recall']:.3f}  precision {r['figure_precision']:.3f}  "
            f"unit {r['unit_accuracy']}  qualifier {r['qualifier_accuracy']}  change {r['change_accuracy']}"
        )
        print(
            f"{name:8} precision {r['precision']:.3f}  recall {r['recall']:.3f}  "
            f"({r['true_positives']} of {r['predicted']} predicted, {r['expected']} expected)  "
            f"indicator accuracy {r['indicator_accuracy']} (precision {r['indicator_precision']}, "
            f"recall {r['indicator_recall']})  comparison accuracy {r['comparison_accuracy']}"
        )
    seed_texts = [text for _name, text, _gold in sets["seeds"]]
    rate = speed(seed_texts, 1.0 if args.quick else 5.0)
    mean_chars = sum(map(len, seed_texts)) / len(seed_texts)
    print(f"speed    {rate:.0f} articles/s (seed articles, mean {mean_chars:.0f} characters, CPU time of one core)")
    results["articles_per_second"] = round(rate, 1)
    dense = dense_articles(sets["devset"] + sets["after"])
    dense_rate = speed(dense, 1.0 if args.quick else 5.0)
    dense_figures = sum(len(extract_figures(t)) for t in dense) / len(dense)
    print(
        f"speed    {dense_rate:.0f} articles/s (dense articles of development paragraphs, mean "
        f"{sum(map(len, dense)) / len(dense):.0f} characters, {dense_figures:.0f} figures each, CPU time of one "
        f"core)"
    )
    results["dense_articles_per_second"] = round(dense_rate, 1)
    if args.against:
        results["compare"] = compare_speed(
            args.against, sets, rounds=3 if args.quick else 7, seconds=0.3 if args.quick else 1.0
        )
    print(json.dumps(results, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
