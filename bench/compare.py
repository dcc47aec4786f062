#!/usr/bin/env python3
"""Compares rnn-tui's training speed with PyTorch and Keras on the same model (not run by CI).

    python3 bench/compare.py                 # build, create the venvs if missing, 3 interleaved rounds
    python3 bench/compare.py --rounds 5 --only torch,keras --json results.json

For each configuration it runs `.build/release/rnn-tui bench ... --json`, bench_torch.py and bench_keras.py
(Keras once per --keras-jit variant) interleaved over several rounds, keeps each one's best tokens/s, and prints a
table with rnn-tui's ratio to the faster peer. Needs only python3 itself; the peers run in their own virtualenvs,
created with pip when missing (torch: ~5 GB with its CUDA wheels; tensorflow-cpu: ~1.5 GB).
"""
import argparse
import json
import os
import pathlib
import subprocess
import sys
import time

BENCH = pathlib.Path(__file__).resolve().parent
REPOSITORY = BENCH.parent
TORCH_VENV = pathlib.Path(os.environ.get("RNN_TUI_TORCH_VENV", "/work/venv-torch"))
KERAS_VENV = pathlib.Path(os.environ.get("RNN_TUI_KERAS_VENV", "/work/venv-keras"))

# (cell, hidden, batch, seq_len, vocab, steps): steps chosen for a few seconds per run on 2 cores.
CONFIGURATIONS = [
    ("lstm", 128, 32, 64, 64, 20),
    ("gru", 128, 32, 64, 64, 20),
    ("rnn", 128, 32, 64, 64, 20),
    ("lstm", 512, 64, 64, 64, 4),
    ("lstm", 32, 16, 32, 32, 100),
]


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds; the best of each is kept")
    parser.add_argument("--threads", default="1,2",
                        help="thread counts to try for torch and keras (best is kept; on a busy 2-core machine 1 "
                             "thread often wins)")
    parser.add_argument("--steps-scale", type=float, default=1.0, help="multiply every configuration's step count")
    parser.add_argument("--only", default="rnn-tui,torch,keras", help="comma-separated subset of runners")
    parser.add_argument("--keras-jit", default="false,true", help="XLA variants of Keras to try (best is kept)")
    parser.add_argument("--no-build", action="store_true", help="skip `swift build -c release`")
    parser.add_argument("--json", type=pathlib.Path, help="also write every measurement to this file")
    return parser.parse_args()


def ensure_venv(path: pathlib.Path, packages: list[str]) -> pathlib.Path:
    python = path / "bin/python"
    if not python.exists():
        print(f"creating {path} with {' '.join(packages)} (pip) ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *packages], check=True)
    return python


def run_json(command: list[str], label: str) -> dict | None:
    """Runs a benchmark, returns its last JSON line, or None (and says why) when it fails."""
    started = time.perf_counter()
    try:
        result = subprocess.run(command, capture_output=True, text=True, cwd=REPOSITORY)
    except OSError as error:
        print(f"  {label}: cannot run {command[0]}: {error.strerror}", file=sys.stderr)
        return None
    for line in reversed(result.stdout.strip().splitlines()):
        if line.startswith("{"):
            try:
                return json.loads(line)
            except json.JSONDecodeError:
                break
    last_error = (result.stderr.strip().splitlines() or ["no output"])[-1]
    print(f"  {label}: failed after {time.perf_counter() - started:.1f}s (exit {result.returncode}): {last_error}",
          file=sys.stderr)
    return None


def main() -> None:
    arguments = parse_arguments()
    runners = set(arguments.only.split(","))
    rnn_tui = REPOSITORY / ".build/release/rnn-tui"
    if "rnn-tui" in runners and not arguments.no_build:
        print("swift build -c release ...", file=sys.stderr)
        subprocess.run(["swift", "build", "-c", "release"], cwd=REPOSITORY, check=True)
    torch_python = ensure_venv(TORCH_VENV, ["torch", "safetensors", "numpy"]) if "torch" in runners else None
    keras_python = ensure_venv(KERAS_VENV, ["tensorflow-cpu"]) if "keras" in runners else None

    measurements: list[dict] = []
    best: dict[tuple, dict[str, dict]] = {}  # configuration -> runner -> best speed, its variant, every speed
    for round_index in range(arguments.rounds):
        for cell, hidden, batch, seq_len, vocab, steps in CONFIGURATIONS:
            steps = max(1, round(steps * arguments.steps_scale))
            key = (cell, hidden, batch, seq_len, vocab)
            shape = ["--cell", cell, "--hidden", str(hidden), "--batch", str(batch), "--seq-len", str(seq_len),
                     "--vocab", str(vocab), "--steps", str(steps)]
            commands: list[tuple[str, list[str]]] = []
            if "rnn-tui" in runners:
                commands.append(("rnn-tui", [str(rnn_tui), "bench", *shape, "--json"]))
            for threads in arguments.threads.split(","):
                if torch_python:
                    commands.append((f"torch (threads {threads})", [
                        str(torch_python), str(BENCH / "bench_torch.py"), *shape, "--threads", threads]))
                if keras_python:
                    for jit in arguments.keras_jit.split(","):
                        commands.append((f"keras (threads {threads}, jit {jit})", [
                            str(keras_python), str(BENCH / "bench_keras.py"), *shape, "--threads", threads,
                            "--jit-compile", jit]))
            for label, command in commands:
                result = run_json(command, f"round {round_index + 1} {key} {label}")
                if result is None or "tokens_per_second" not in result:
                    continue
                speed = float(result["tokens_per_second"])
                print(f"round {round_index + 1} {cell} H={hidden} B={batch} T={seq_len} V={vocab}: "
                      f"{label} {speed:,.0f} tok/s", file=sys.stderr)
                measurements.append({"round": round_index + 1, "runner": label, **result})
                runner = label.split(" ")[0]
                entry = best.setdefault(key, {}).setdefault(runner, {"speed": 0.0, "variant": label, "all": []})
                entry["all"].append(speed)
                if speed > entry["speed"]:
                    entry["speed"], entry["variant"] = speed, label

    def speed_of(speeds: dict, runner: str) -> float | None:
        return speeds[runner]["speed"] if runner in speeds else None

    def cell_text(value: float | None) -> str:
        return f"{value:,.0f}" if value else "n/a"

    header = f"{'cell':5} {'H':>4} {'B':>3} {'T':>3} {'V':>3} | {'rnn-tui':>9} {'torch':>9} {'keras':>9} | rnn-tui/best peer"
    print(header)
    print("-" * len(header))
    for cell, hidden, batch, seq_len, vocab, _ in CONFIGURATIONS:
        speeds = best.get((cell, hidden, batch, seq_len, vocab), {})
        ours, torch_speed, keras_speed = (speed_of(speeds, runner) for runner in ("rnn-tui", "torch", "keras"))
        peer = max(torch_speed or 0.0, keras_speed or 0.0)
        ratio = f"{ours / peer:.2f}x" if ours and peer else "n/a"
        print(f"{cell:5} {hidden:>4} {batch:>3} {seq_len:>3} {vocab:>3} | {cell_text(ours):>9} "
              f"{cell_text(torch_speed):>9} {cell_text(keras_speed):>9} | {ratio}")
    print(f"(tokens/s, best of {arguments.rounds} interleaved rounds and of the variants tried)")
    print("best variants and spread (min..max over rounds and variants):")
    for key, speeds in best.items():
        for runner, entry in speeds.items():
            print(f"  {key} {entry['variant']}: {min(entry['all']):,.0f}..{max(entry['all']):,.0f}")
    if arguments.json:
        arguments.json.write_text(json.dumps(measurements, indent=1) + "\n")


if __name__ == "__main__":
    main()
