#!/usr/bin/env python3
"""Compares rnn-tui's training speed with PyTorch, Keras on TensorFlow and Keras on JAX (not run by CI).

    python3 bench/compare.py                          # build, create the venv if missing, 2 interleaved rounds
    python3 bench/compare.py --rounds 3 --workloads 1,6,7 --json results.json
    python3 bench/compare.py --only rnn-tui,keras-jax --no-build

Nine workloads (issue 15), each run by every runner and variant one after the other (interleaved, so a burst
of load from elsewhere hits them alike), round after round:
  rnn-tui    `.build/release/rnn-tui bench ... --json` with 1 and 2 threads
  torch      bench_torch.py with 1 and 2 threads
  keras-tf   bench_keras.py on TensorFlow-CPU, with and without jit_compile (XLA)
  keras-jax  bench_keras.py on JAX (always jitted)
The table keeps each runner's best tokens/s over rounds and variants and shows rnn-tui's ratio to the fastest
peer, then every runner's min..max. Needs only python3; the peers run in one virtualenv ($RNN_TUI_PEER_VENV,
default ~/.cache/rnn-tui/bench-venv) created with pip when missing (torch from PyPI pulls CUDA libraries, ~5 GB,
and runs fine on the CPU; tensorflow-cpu ~1.5 GB; keras; jax).
"""
import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import time

BENCH = pathlib.Path(__file__).resolve().parent
REPOSITORY = BENCH.parent
DEFAULT_VENV = pathlib.Path(os.environ.get("RNN_TUI_PEER_VENV", pathlib.Path.home() / ".cache/rnn-tui/bench-venv"))
PEER_PACKAGES = {"torch": "torch", "tensorflow": "tensorflow-cpu", "keras": "keras", "jax": "jax"}
RUNNERS = ["rnn-tui", "torch", "keras-tf", "keras-jax"]

# number: (cell, hidden H, batch B, seq-len T, vocab V, embedding E (0 = one-hot), layers L, task, peer steps,
# rnn-tui steps, what). The peers' steps give each run a few seconds on 2 cores (torch stops after
# TORCH_MAX_SECONDS); rnn-tui, faster, runs more steps in 5 timed windows. Tokens/s does not depend on the count.
WORKLOADS = {
    1: ("lstm", 128, 32, 64, 64, 0, 1, "lm", 60, 200, "LSTM 128"),
    2: ("gru", 128, 32, 64, 64, 0, 1, "lm", 60, 200, "GRU 128"),
    3: ("rnn", 128, 32, 64, 64, 0, 1, "lm", 100, 500, "RNN 128"),
    4: ("lstm", 512, 64, 64, 64, 0, 1, "lm", 6, 15, "LSTM 512"),
    5: ("lstm", 32, 16, 32, 32, 0, 1, "lm", 400, 3000, "LSTM 32"),
    6: ("lstm", 16, 32, 24, 1000, 16, 1, "classify", 400, 4000, "Keras textbook classifier, LSTM"),
    7: ("gru", 16, 32, 24, 1000, 16, 1, "classify", 400, 4000, "Keras textbook classifier, GRU"),
    8: ("gru", 64, 32, 64, 128, 32, 1, "lm", 150, 800, "RLtools GRU shape"),
    9: ("lstm", 128, 50, 50, 65, 0, 2, "lm", 40, 150, "char-rnn defaults (2 layers)"),
}
TORCH_MAX_SECONDS = 6


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds; the best of each is kept")
    parser.add_argument("--workloads", default=",".join(map(str, WORKLOADS)), help="comma-separated numbers, 1-9")
    parser.add_argument("--rnn-tui-threads", default="1,2", help="thread counts tried for rnn-tui (best is kept)")
    parser.add_argument("--torch-threads", default="1,2", help="thread counts tried for torch (best is kept)")
    parser.add_argument("--keras-threads", default="2", help="TensorFlow intra-op threads tried")
    parser.add_argument("--keras-jit", default="false,true", help="XLA variants of Keras on TensorFlow (best is kept)")
    parser.add_argument("--steps-scale", type=float, default=1.0, help="multiply every workload's step count")
    parser.add_argument("--only", default=",".join(RUNNERS), help="comma-separated subset of " + ", ".join(RUNNERS))
    parser.add_argument("--venv", type=pathlib.Path, default=DEFAULT_VENV, help="the peers' virtualenv")
    parser.add_argument("--no-build", action="store_true", help="skip `swift build -c release`")
    parser.add_argument("--binary", type=pathlib.Path, default=REPOSITORY / ".build/release/rnn-tui",
                        help="the rnn-tui binary to time (default: the release build of this checkout)")
    parser.add_argument("--json", type=pathlib.Path, help="also write every measurement to this file (as it goes)")
    return parser.parse_args()


def ensure_venv(path: pathlib.Path, modules: list[str]) -> pathlib.Path:
    """The venv's python, created and given the missing peer packages with pip when needed."""
    python = path / "bin/python"
    if not python.exists():
        print(f"creating {path} (python -m venv) ...", file=sys.stderr)
        path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
    missing = [module for module in modules
               if subprocess.run([str(python), "-c", f"import {module}"], capture_output=True).returncode != 0]
    if missing:
        packages = [PEER_PACKAGES[module] for module in missing] + ["numpy"]
        print(f"pip install {' '.join(packages)} into {path} ...", file=sys.stderr)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *packages], check=True)
    return python


def run_json(command: list[str], label: str, environment: dict | None = None) -> dict | None:
    """Runs a benchmark, returns its last JSON line, or None (and says why) when it fails."""
    started = time.perf_counter()
    try:
        result = subprocess.run(command, capture_output=True, text=True, cwd=REPOSITORY,
                                env={**os.environ, **(environment or {})})
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


def commands_for(number: int, arguments: argparse.Namespace, runners: set, rnn_tui: pathlib.Path,
                 python: pathlib.Path | None) -> list[tuple[str, str, list[str]]]:
    """(runner, variant label, command) for one workload, in the order they run."""
    cell, hidden, batch, seq_len, vocab, embedding, layers, task, steps, ours, _ = WORKLOADS[number]
    steps = max(1, round(steps * arguments.steps_scale))
    ours = max(1, round(ours * arguments.steps_scale))
    shape = ["--cell", cell, "--hidden", str(hidden), "--batch", str(batch), "--seq-len", str(seq_len),
             "--vocab", str(vocab), "--embedding", str(embedding), "--layers", str(layers), "--task", task]
    commands = []
    if "rnn-tui" in runners:
        for threads in arguments.rnn_tui_threads.split(","):
            commands.append(("rnn-tui", f"rnn-tui (threads {threads})", [
                str(rnn_tui), "bench", *shape, "--steps", str(ours), "--windows", str(min(5, ours)),
                "--threads", threads, "--json"]))
    if python and "torch" in runners:
        for threads in arguments.torch_threads.split(","):
            commands.append(("torch", f"torch (threads {threads})", [
                str(python), str(BENCH / "bench_torch.py"), *shape, "--steps", str(steps), "--threads", threads,
                "--max-seconds", str(TORCH_MAX_SECONDS)]))
    if python and "keras-tf" in runners:
        for threads in arguments.keras_threads.split(","):
            for jit in arguments.keras_jit.split(","):
                commands.append(("keras-tf", f"keras-tf (threads {threads}, jit {jit})", [
                    str(python), str(BENCH / "bench_keras.py"), "--backend", "tensorflow", *shape,
                    "--steps", str(steps), "--threads", threads, "--jit-compile", jit]))
    if python and "keras-jax" in runners:
        commands.append(("keras-jax", "keras-jax", [
            str(python), str(BENCH / "bench_keras.py"), "--backend", "jax", *shape, "--steps", str(steps)]))
    return commands


def main() -> None:
    arguments = parse_arguments()
    runners = set(arguments.only.split(","))
    numbers = [int(number) for number in arguments.workloads.split(",")]
    rnn_tui = arguments.binary
    if "rnn-tui" in runners and not arguments.no_build:
        print("swift build -c release ...", file=sys.stderr)
        subprocess.run(["swift", "build", "-c", "release"], cwd=REPOSITORY, check=True)
    modules = [module for runner, needs in (("torch", ["torch"]), ("keras-tf", ["keras", "tensorflow"]),
                                            ("keras-jax", ["keras", "jax"])) if runner in runners for module in needs]
    python = ensure_venv(arguments.venv, sorted(set(modules))) if modules else None

    load = os.getloadavg()
    print(f"load average at start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}", file=sys.stderr)
    measurements: list[dict] = []
    best: dict[int, dict[str, dict]] = {}  # workload -> runner -> best speed, its variant and result, every speed
    for round_index in range(arguments.rounds):
        for number in numbers:
            for runner, label, command in commands_for(number, arguments, runners, rnn_tui, python):
                result = run_json(command, f"round {round_index + 1} workload {number} {label}")
                if result is None or "tokens_per_second" not in result:
                    continue
                speed = float(result["tokens_per_second"])
                print(f"round {round_index + 1} workload {number}: {label} {speed:,.0f} tok/s", file=sys.stderr)
                measurements.append({"round": round_index + 1, "workload": number, "runner": label, **result})
                if arguments.json:  # after every measurement, so an interrupted run keeps what it measured
                    arguments.json.write_text(json.dumps(measurements, indent=1) + "\n")
                entry = best.setdefault(number, {}).setdefault(runner, {"speed": 0.0, "variant": label, "all": []})
                entry["all"].append(speed)
                if speed > entry["speed"]:
                    entry.update(speed=speed, variant=label, result=result)
    load = os.getloadavg()
    print(f"load average at end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}", file=sys.stderr)

    def text(value: float | None) -> str:
        return f"{value:,.0f}" if value else "n/a"

    peers = [runner for runner in RUNNERS[1:] if runner in runners]
    header = (f"{'#':>1} {'cell':4} {'H':>3} {'B':>2} {'T':>2} {'V':>4} {'E':>2} {'L':>1} {'task':8} | "
              + " ".join(f"{runner:>10}" for runner in ["rnn-tui", *peers]) + " | fastest peer | ratio | GFLOP/s")
    print(header)
    print("-" * len(header))
    for number in numbers:
        cell, hidden, batch, seq_len, vocab, embedding, layers, task, _, _, _ = WORKLOADS[number]
        speeds = best.get(number, {})
        ours = speeds.get("rnn-tui", {}).get("speed")
        peer_speeds = {runner: speeds[runner]["speed"] for runner in peers if runner in speeds}
        fastest = max(peer_speeds, key=peer_speeds.get) if peer_speeds else None
        ratio = f"{ours / peer_speeds[fastest]:.2f}x" if ours and fastest else "n/a"
        gigaflops = speeds.get("rnn-tui", {}).get("result", {}).get("gflops")
        print(f"{number:>1} {cell:4} {hidden:>3} {batch:>2} {seq_len:>2} {vocab:>4} {embedding:>2} {layers:>1} {task:8} | "
              + " ".join(f"{text(speeds.get(runner, {}).get('speed')):>10}" for runner in ["rnn-tui", *peers])
              + f" | {fastest or 'n/a':>12} | {ratio:>5} | {gigaflops or 0:.1f}")
    print(f"(tokens/s, best of {arguments.rounds} interleaved rounds and of the variants tried)")
    print("best variants and spread (min..max over rounds and variants; rnn-tui: median of its windows too):")
    for number in numbers:
        for runner, entry in best.get(number, {}).items():
            windows = entry.get("result", {}).get("window_tokens_per_second")
            extra = (f", windows {windows['min']:,.0f}/{windows['median']:,.0f}/{windows['max']:,.0f}"
                     if windows else "")
            print(f"  {number} {entry['variant']}: {min(entry['all']):,.0f}..{max(entry['all']):,.0f}"
                  f" (median {statistics.median(entry['all']):,.0f}{extra})")
    if arguments.json:
        arguments.json.write_text(json.dumps(measurements, indent=1) + "\n")


if __name__ == "__main__":
    main()
