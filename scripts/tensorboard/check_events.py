#!/usr/bin/env python3
"""Read an rnn-tui run's TensorBoard event file with TensorBoard's own reader and compare it with metrics.csv.

    python scripts/tensorboard/check_events.py RUN_DIR [--json OUT.json]

Needs `pip install tensorboard` (outside CI; the Swift suite checks the committed fixture instead).
Every non-empty cell of metrics.csv must appear as the TensorBoard scalar of the same step (to the CSV's
6 significant digits, 5e-6 relative, and to 0.05 for tokens/s, which the CSV rounds to one decimal). --json writes what
TensorBoard read: scalars, texts and histograms, the file the Swift test compares its own reader with.
Exit status 0 when everything matches, 1 otherwise.
"""
import argparse
import csv
import glob
import json
import math
import os
import sys

from tensorboard.backend.event_processing import event_accumulator

# metrics.csv column -> TensorBoard tag (TensorBoardLog's names).
COLUMNS = {
    "train_loss": "loss/train",
    "val_loss": "loss/validation",
    "val_accuracy": "metric/accuracy",
    "learning_rate": "optimizer/learning_rate",
    "grad_norm": "optimizer/grad_norm",
    "tokens_per_second": "speed/tokens_per_second",
}


def load(run_dir):
    files = sorted(glob.glob(os.path.join(run_dir, "events.out.tfevents.*")))
    if not files:
        sys.exit(f"{run_dir}: no events.out.tfevents.* file")
    accumulator = event_accumulator.EventAccumulator(
        files[-1],
        size_guidance={
            event_accumulator.SCALARS: 0,
            event_accumulator.TENSORS: 0,
            event_accumulator.HISTOGRAMS: 0,
        },
    )
    accumulator.Reload()
    return files[-1], accumulator


def read_all(accumulator):
    tags = accumulator.Tags()
    scalars = {tag: [[e.step, e.value] for e in accumulator.Scalars(tag)] for tag in tags["scalars"]}
    texts = {}
    for tag in tags["tensors"]:
        texts[tag] = [e.tensor_proto.string_val[0].decode("utf-8") for e in accumulator.Tensors(tag)]
    histograms = {}
    for tag in tags["histograms"]:
        histograms[tag] = [
            {
                "step": e.step,
                "min": e.histogram_value.min,
                "max": e.histogram_value.max,
                "num": e.histogram_value.num,
                "sum": e.histogram_value.sum,
                "sum_squares": e.histogram_value.sum_squares,
                "bucket_limit": list(e.histogram_value.bucket_limit),
                "bucket": list(e.histogram_value.bucket),
            }
            for e in accumulator.Histograms(tag)
        ]
    return {"file_version": accumulator.file_version, "scalars": scalars, "texts": texts, "histograms": histograms}


def close(expected, actual, column):
    if math.isnan(expected):
        return math.isnan(actual)
    if column == "tokens_per_second":
        return abs(expected - actual) <= 0.05 + 1e-6 * abs(expected)
    # The CSV keeps 6 significant digits (%.6g): half a unit of the 6th digit is at most 5e-6 relative.
    return abs(expected - actual) <= 5e-6 * abs(expected) + 1e-12


def compare(run_dir, read):
    by_tag = {tag: {step: value for step, value in points} for tag, points in read["scalars"].items()}
    checked, problems = 0, []
    with open(os.path.join(run_dir, "metrics.csv"), newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            step = int(row["step"])
            for column, tag in COLUMNS.items():
                cell = row[column]
                if cell == "":
                    continue
                expected = float(cell)
                actual = by_tag.get(tag, {}).get(step)
                checked += 1
                if actual is None:
                    problems.append(f"metrics.csv:{line}: {column} {cell} at step {step}: no {tag} point")
                elif not close(expected, actual, column):
                    problems.append(f"metrics.csv:{line}: {column} {cell} at step {step}: TensorBoard read {actual!r}")
    return checked, problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run_dir")
    parser.add_argument("--json", help="write what TensorBoard read here")
    args = parser.parse_args()
    path, accumulator = load(args.run_dir)
    read = read_all(accumulator)
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(read, handle, indent=1, sort_keys=True)
            handle.write("\n")
    checked, problems = compare(args.run_dir, read)
    counts = ", ".join(f"{tag} {len(points)}" for tag, points in sorted(read["scalars"].items()))
    print(f"{path}: {read['file_version']}; scalars: {counts}; texts: {sorted(read['texts'])}; "
          f"histograms: {len(read['histograms'])} tags")
    for problem in problems[:20]:
        print(problem)
    print(f"{checked - len(problems)} passed, {len(problems)} failed (metrics.csv cells against TensorBoard scalars)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
