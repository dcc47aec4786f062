#!/usr/bin/env python3
"""Interrupt latency of `rnn-tui train`: start it, wait until it is inside a training step, send a signal,
and time (a) until it says it stopped ("interrupted at step N; saving") and (b) until it exits (after the save).

    python3 scripts/interrupt_latency.py [--binary PATH] [--signal TERM|INT] [--wait S] [--rounds N] -- TRAIN FLAGS

Example (the largest size the size guard allows on a 24 GB machine):
    python3 scripts/interrupt_latency.py --wait 40 -- --dataset corpus --hidden 8192 --steps 100
Not part of `swift test`.
"""
import argparse, os, signal, subprocess, sys, tempfile, time

parser = argparse.ArgumentParser()
parser.add_argument("--binary", default=".build/release/rnn-tui")
parser.add_argument("--signal", default="TERM", choices=["TERM", "INT"])
parser.add_argument("--wait", type=float, default=20, help="seconds after start before the signal")
parser.add_argument("--rounds", type=int, default=1)
parser.add_argument("flags", nargs=argparse.REMAINDER)
arguments = parser.parse_args()
flags = [f for f in arguments.flags if f != "--"]

for round_number in range(arguments.rounds):
    out = tempfile.mkdtemp(prefix="rnn-interrupt-")
    process = subprocess.Popen([arguments.binary, "train", "--plain", "--out", out] + flags,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    time.sleep(arguments.wait)
    if process.poll() is not None:
        print(process.stdout.read())
        sys.exit(f"train ended before the signal (status {process.returncode})")
    sent = time.monotonic()
    process.send_signal(signal.SIGTERM if arguments.signal == "TERM" else signal.SIGINT)
    stopped = None
    lines = []
    for line in process.stdout:
        lines.append(line.rstrip())
        if stopped is None and line.startswith("interrupted at step"):
            stopped = time.monotonic() - sent
    process.wait()
    exited = time.monotonic() - sent
    print("\n".join(lines))
    print(f"round {round_number + 1}: SIG{arguments.signal} -> training stopped after "
          f"{stopped if stopped is None else round(stopped, 2)} s, process exited (checkpoint saved) after "
          f"{exited:.2f} s, status {process.returncode}")
    subprocess.run(["rm", "-rf", out])
