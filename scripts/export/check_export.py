#!/usr/bin/env python3
"""Check `rnn-tui export pytorch` end to end on every cell, head and optimizer family (outside CI).

    python scripts/export/check_export.py [--binary .build/release/rnn-tui] [--work /tmp/rnn-export-check]

For each case: train a tiny run with rnn-tui, export it, run the exported train.py on one process and
under `torchrun --nproc_per_node 2` (gloo, CPU), and check that
  - train.py's first-batch loss equals rnn-tui's expected_first_loss to 1e-4;
  - rnn-tui continuing from the same weights (`train --init`) and train.py log the same train loss at
    every step and the same validation losses (metrics.csv against pytorch-metrics.csv, 1e-3 relative);
  - one and two processes give the same numbers (1e-4 relative);
  - the checkpoint train.py wrote opens in `rnn-tui inspect` and `rnn-tui train --init`.
Needs torch, safetensors and numpy in the Python running this script (torchrun beside it).
"""
import argparse
import csv
import json
import os
import shutil
import subprocess
import sys

CASES = [
    ("lstm-corpus-onehot", ["--dataset", "corpus", "--cell", "lstm", "--hidden", "16", "--seq-len", "16"]),
    ("gru-before-embedding-2layers", ["--dataset", "corpus", "--cell", "gru", "--gru-convention", "before",
                                      "--embedding", "8", "--layers", "2", "--hidden", "12", "--seq-len", "12",
                                      "--optimizer", "adamw", "--weight-decay", "0.01"]),
    ("gru-after-sentiment", ["--dataset", "sentiment", "--cell", "gru", "--hidden", "16", "--seq-len", "24",
                             "--embedding", "8", "--optimizer", "momentum", "--nesterov", "--lr", "0.05"]),
    ("rnn-relu-series", ["--dataset", "series", "--cell", "rnn", "--nonlinearity", "relu", "--hidden", "16",
                         "--seq-len", "12", "--optimizer", "rmsprop", "--lr", "0.001", "--schedule", "cosine"]),
    ("lstm-sine-everystep", ["--dataset", "sine", "--cell", "lstm", "--hidden", "8", "--seq-len", "16",
                             "--optimizer", "sgd", "--lr", "0.1", "--schedule", "step", "--decay-every", "4"]),
    ("lstm-adding-clip", ["--dataset", "adding", "--cell", "lstm", "--hidden", "8", "--seq-len", "10",
                          "--clip", "0.05"]),
]
STEPS = 12


def run(command, cwd=None):
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"failed ({result.returncode}): {' '.join(command)}\n{result.stdout}\n{result.stderr}")
    return result.stdout


def rows(path):
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


def series(table, column):
    return [(int(r["step"]), float(r[column])) for r in table if r[column] != ""]


def near(a, b, relative):
    return abs(a - b) <= relative * max(abs(a), abs(b), 1e-3)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/rnn-tui")
    parser.add_argument("--work", default="/tmp/rnn-export-check")
    parser.add_argument("--only", help="run only the cases whose name contains this")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    torchrun = os.path.join(os.path.dirname(sys.executable), "torchrun")
    shutil.rmtree(args.work, ignore_errors=True)
    passed, failed = 0, 0
    for name, flags in CASES:
        if args.only and args.only not in name:
            continue
        folder = os.path.join(args.work, name)
        base = os.path.join(folder, "run")
        # The same length as the comparison runs, so a cosine schedule spans the same steps on every side.
        run([binary, "train", *flags, "--batch", "8", "--steps", str(STEPS), "--eval-every", "100", "--out", base, "--plain"])
        export = os.path.join(folder, "export")
        run([binary, "export", "pytorch", base, "--out", export])
        expected = json.load(open(os.path.join(export, "export.json")))["expected_first_loss"]
        single = run([sys.executable, "train.py", "--steps", str(STEPS), "--metrics", "one.csv", "--out", "one.safetensors"], cwd=export)
        run([torchrun, "--nproc_per_node", "2", "train.py", "--steps", str(STEPS), "--metrics", "two.csv",
             "--out", "two.safetensors"], cwd=export)
        again = os.path.join(folder, "rnn-tui-continued")
        run([binary, "train", *flags, "--batch", "8", "--steps", str(STEPS), "--eval-every", "100",
             "--init", os.path.join(base, "checkpoint.safetensors"), "--out", again, "--plain"])
        first = float(single.split("first batch loss ")[1].split()[0])
        problems = []
        if abs(first - expected) > 1e-4:
            problems.append(f"first batch loss {first} vs rnn-tui {expected}")
        ours, one, two = rows(os.path.join(again, "metrics.csv")), rows(os.path.join(export, "one.csv")), rows(os.path.join(export, "two.csv"))
        for column in ("train_loss", "val_loss", "grad_norm"):
            a, b, c = series(ours, column), series(one, column), series(two, column)
            if [s for s, _ in a] != [s for s, _ in b] or [s for s, _ in b] != [s for s, _ in c]:
                problems.append(f"{column}: steps differ {[s for s, _ in a]} / {[s for s, _ in b]} / {[s for s, _ in c]}")
                continue
            for (step, x), (_, y), (_, z) in zip(a, b, c):
                if not near(x, y, 1e-3):
                    problems.append(f"{column} step {step}: rnn-tui {x} vs train.py {y}")
                if not near(y, z, 1e-4):
                    problems.append(f"{column} step {step}: 1 process {y} vs 2 processes {z}")
        if "corpus" in flags or "sentiment" in flags:
            run([binary, "inspect", "--checkpoint", os.path.join(export, "two.safetensors"), "--tokens", "1,2,3"])
        run([binary, "train", *flags, "--batch", "8", "--steps", "2", "--init", os.path.join(export, "two.safetensors"),
             "--out", os.path.join(folder, "back-in-rnn-tui"), "--plain"])
        status = "ok" if not problems else "FAILED"
        print(f"{name}: {status}; first batch loss {first:.6f} vs {expected:.6f}; step {STEPS} train loss "
              f"rnn-tui {series(ours, 'train_loss')[-1][1]} / train.py {series(one, 'train_loss')[-1][1]} / "
              f"torchrun x2 {series(two, 'train_loss')[-1][1]}")
        for problem in problems[:8]:
            print("   ", problem)
        passed, failed = passed + (not problems), failed + bool(problems)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
