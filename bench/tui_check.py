#!/usr/bin/env python3
"""What the notebook costs: training throughput with the TUI open vs headless, key latency, memory over time.

Runs the release binary (builds it first unless --no-build) on the same setup both ways and measures whole-run
throughput (optimizer steps counted from metrics.csv over a wall-clock window, so evaluation, gate snapshots and
UI work all count), then, with training running at full speed in the TUI, the time from a key press (tmux
send-keys) until the screen shows its effect (tmux capture-pane, polled every 2 ms), then the process's resident
memory sampled while it keeps training. Not run by CI.

    python3 bench/tui_check.py                      # 30 s windows, 20 key presses, 60 s of memory samples
    python3 bench/tui_check.py --memory-seconds 600 # the 10-minute memory check
    python3 bench/tui_check.py --views-only         # throughput with each insight view open against headless
    python3 bench/tui_check.py --paired             # each view against the loss view, both training at once
"""
import argparse, os, shutil, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, ".build", "release", "rnn-tui")


def max_step(metrics_path):
    try:
        with open(metrics_path) as f:
            rows = f.read().splitlines()[1:]
    except FileNotFoundError:
        return 0
    steps = [int(r.split(",")[0]) for r in rows if r and r[0].isdigit()]
    return max(steps) if steps else 0


def find_metrics(folder):
    for dirpath, _, files in os.walk(folder):
        if "metrics.csv" in files:
            return os.path.join(dirpath, "metrics.csv")
    return None


def window_rate(metrics_lookup, warmup, window, tokens_per_step):
    time.sleep(warmup)
    path = metrics_lookup()
    start_step, start = max_step(path), time.time()
    time.sleep(window)
    path = metrics_lookup()
    end_step, end = max_step(path), time.time()
    return (end_step - start_step) * tokens_per_step / (end - start), end_step - start_step


def tmux(*args, capture=False):
    result = subprocess.run(["tmux", "-L", "rnn-tui-check", *args], capture_output=True, text=True)
    return result.stdout if capture else None


def rss_megabytes(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def measure_views(options, setup, tokens_per_step, work):
    """Per round: headless, then one notebook per view with its keys pressed after Enter; the best of each."""
    views = [entry.split(":", 1) for entry in options.views.split(",")]
    best = {"headless": 0.0}
    for round_index in range(options.rounds):
        headless_out = os.path.join(work, f"headless{round_index}")
        process = subprocess.Popen([BINARY, "train", *setup, "--steps", "100000000", "--plain", "--out", headless_out],
                                   cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        rate, steps = window_rate(lambda: os.path.join(headless_out, "metrics.csv"), options.warmup, options.window,
                                  tokens_per_step)
        process.terminate(); process.wait()
        best["headless"] = max(best["headless"], rate)
        print(f"round {round_index + 1} headless: {rate:,.0f} tokens/s ({steps} steps)", flush=True)
        for keys, name in views:
            runs = os.path.join(work, f"runs-{round_index}-{keys}")
            tmux("kill-server")
            tmux("new-session", "-d", "-s", "check", "-x", "120", "-y", "40",
                 f"cd {ROOT} && exec {BINARY} {' '.join(setup)} --runs {runs}")
            time.sleep(1.5)
            tmux("send-keys", "-t", "check", "Enter")
            time.sleep(1.0)
            for key in keys:
                tmux("send-keys", "-t", "check", key)
                time.sleep(0.3)
            rate, steps = window_rate(lambda: find_metrics(runs), options.warmup, options.window, tokens_per_step)
            header = (tmux("capture-pane", "-p", "-t", "check", capture=True).splitlines() or [""])[0]
            best[name] = max(best.get(name, 0.0), rate)
            print(f"round {round_index + 1} {name}: {rate:,.0f} tokens/s ({steps} steps; header: {header.strip()[:60]})",
                  flush=True)
            tmux("send-keys", "-t", "check", "q")
            time.sleep(1)
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (1 min), {os.getloadavg()[1]:.1f} (5 min)")
    for name, rate in best.items():
        print(f"best {name}: {rate:,.0f} tokens/s = {100 * rate / best['headless']:.1f}% of headless")


def measure_paired(options, setup, work):
    """Steps of a notebook with the view open over steps of one on the loss view, both running at once."""
    views = [entry.split(":", 1) for entry in options.views.split(",") if not entry.startswith("l:")]
    setup = [flag for flag in setup] + ["--threads", "1"]
    for keys, name in views:
        ratios = []
        for swap in (False, True):
            tmux("kill-server")
            folders = {}
            for session, view_keys in (("a", "l"), ("b", keys)) if not swap else (("b", keys), ("a", "l")):
                folders[session] = os.path.join(work, f"paired-{keys}-{swap}-{session}")
                tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "40",
                     f"cd {ROOT} && exec {BINARY} {' '.join(setup)} --runs {folders[session]}")
            time.sleep(1.5)
            for session in folders:
                tmux("send-keys", "-t", session, "Enter")
            time.sleep(1.0)
            for key in keys:
                tmux("send-keys", "-t", "b", key)
                time.sleep(0.3)
            time.sleep(options.warmup)
            start = {session: max_step(find_metrics(folder)) for session, folder in folders.items()}
            time.sleep(options.window)
            done = {session: max_step(find_metrics(folder)) - start[session] for session, folder in folders.items()}
            ratios.append(done["b"] / max(1, done["a"]))
            print(f"{name}{' (swapped start order)' if swap else ''}: view {done['b']} steps, loss view {done['a']} steps",
                  flush=True)
            for session in folders:
                tmux("send-keys", "-t", session, "q")
            time.sleep(1)
        print(f"{name}: {100 * statistics.mean(ratios):.1f}% of the loss view's steps (load avg {os.getloadavg()[0]:.1f})",
              flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--setup", default="--dataset corpus --cell lstm --hidden 128 --batch 32 --seq-len 64",
                        help="rnn-tui flags describing the run (same for both modes)")
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--window", type=float, default=30)
    parser.add_argument("--keys", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2, help="alternating headless/notebook rounds (best of each kept)")
    parser.add_argument("--memory-seconds", type=float, default=60)
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--views", default="l:loss,g:gates,gz:gates glance,G:gradient flow (probe),Gv:gradient flow (validation),"
                        "S:gate statistics,T:text by unit",
                        help="comma list of KEYS:NAME: notebook rounds with KEYS pressed after Enter (the view they open)")
    parser.add_argument("--views-only", action="store_true",
                        help="measure only headless against each of --views (no key latency or memory)")
    parser.add_argument("--paired", action="store_true",
                        help="per view: two notebooks (--threads 1) train at the same time, one on the loss view, one on "
                             "the view, then swapped; the ratio of their steps shrugs off load that hits both alike")
    options = parser.parse_args()
    if not options.no_build:
        subprocess.run(["swift", "build", "-c", "release", "--product", "rnn-tui"], cwd=ROOT, check=True)
    setup = options.setup.split()
    batch = int(setup[setup.index("--batch") + 1]) if "--batch" in setup else 32
    seq_len = int(setup[setup.index("--seq-len") + 1]) if "--seq-len" in setup else 64
    tokens_per_step = batch * seq_len
    work = tempfile.mkdtemp(prefix="rnn-tui-check-")
    report = {}
    if options.paired:
        try:
            measure_paired(options, setup, work)
        finally:
            tmux("kill-server")
            shutil.rmtree(work, ignore_errors=True)
        return
    if options.views_only:
        try:
            measure_views(options, setup, tokens_per_step, work)
        finally:
            tmux("kill-server")
            shutil.rmtree(work, ignore_errors=True)
        return
    try:
        # Throughput, alternating headless and notebook rounds so load from elsewhere hits both alike.
        runs = os.path.join(work, "tui-runs")
        headless_rates, notebook_rates = [], []
        for round_index in range(options.rounds):
            headless_out = os.path.join(work, f"headless{round_index}")
            process = subprocess.Popen([BINARY, "train", *setup, "--steps", "100000000", "--plain", "--out", headless_out],
                                       cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            rate, steps = window_rate(lambda: os.path.join(headless_out, "metrics.csv"), options.warmup, options.window,
                                      tokens_per_step)
            process.terminate(); process.wait()
            headless_rates.append(rate)
            print(f"round {round_index + 1} headless: {rate:,.0f} tokens/s ({steps} steps in {options.window:.0f} s)")
            last_round = round_index == options.rounds - 1
            shutil.rmtree(runs, ignore_errors=True)
            tmux("kill-server")
            tmux("new-session", "-d", "-s", "check", "-x", "120", "-y", "40",
                 f"cd {ROOT} && exec {BINARY} {' '.join(setup)} --runs {runs}")
            time.sleep(1.5)
            tmux("send-keys", "-t", "check", "Enter")
            rate, steps = window_rate(lambda: find_metrics(runs), options.warmup, options.window, tokens_per_step)
            notebook_rates.append(rate)
            print(f"round {round_index + 1} notebook: {rate:,.0f} tokens/s ({steps} steps in {options.window:.0f} s)")
            if not last_round:
                tmux("kill-server")
        headless, tui = max(headless_rates), max(notebook_rates)
        print(f"best: headless {headless:,.0f}, notebook {tui:,.0f} tokens/s = {100 * tui / headless:.1f}% of headless")

        # Key latency while training: 'g' opens the gate view, 'l' the loss view (plain keys: Escape would add
        # ncurses' ESCDELAY, the wait that tells a lone Esc from an escape sequence).
        latencies = []
        for _ in range(options.keys):
            for key, header in (("g", "│ gates │"), ("l", "│ loss │")):
                start = time.perf_counter()
                tmux("send-keys", "-t", "check", key)
                while True:
                    screen = tmux("capture-pane", "-p", "-t", "check", capture=True)
                    if header in (screen.splitlines() or [""])[0]:
                        break
                    if time.perf_counter() - start > 2:
                        break
                    time.sleep(0.002)
                latencies.append((time.perf_counter() - start) * 1000)
                time.sleep(0.1)
        latencies.sort()
        print(f"key latency (send-keys → screen, incl. tmux): median {statistics.median(latencies):.1f} ms, "
              f"p95 {latencies[int(0.95 * (len(latencies) - 1))]:.1f} ms, max {latencies[-1]:.1f} ms over {len(latencies)} keys")

        # The harness's own share: the same measurement against terminal-check, which only echoes keys.
        tmux("new-session", "-d", "-s", "echo", "-x", "120", "-y", "40", os.path.join(ROOT, ".build", "release", "terminal-check"))
        time.sleep(1)
        baseline = []
        for index in range(options.keys):
            key = "a" if index % 2 == 0 else "b"
            start = time.perf_counter()
            tmux("send-keys", "-t", "echo", key)
            while f"key: char({key})" not in tmux("capture-pane", "-p", "-t", "echo", capture=True):
                if time.perf_counter() - start > 2:
                    break
                time.sleep(0.002)
            baseline.append((time.perf_counter() - start) * 1000)
            time.sleep(0.05)
        tmux("kill-session", "-t", "echo")
        baseline.sort()
        print(f"harness baseline (terminal-check, idle machine part): median {statistics.median(baseline):.1f} ms, "
              f"max {baseline[-1]:.1f} ms")

        # Memory while training goes on.
        pid = int(subprocess.run(["pgrep", "-n", "-f", f"{BINARY} {setup[0]}"], capture_output=True, text=True).stdout.split()[0])
        samples = []
        deadline = time.time() + options.memory_seconds
        while time.time() < deadline:
            samples.append(rss_megabytes(pid))
            time.sleep(min(10, max(1, options.memory_seconds / 30)))
        samples.append(rss_megabytes(pid))
        print(f"memory (RSS) over {options.memory_seconds:.0f} s: first {samples[0]:.1f} MB, "
              f"max {max(samples):.1f} MB, last {samples[-1]:.1f} MB; steps done {max_step(find_metrics(runs))}")
        tmux("send-keys", "-t", "check", "q")
        time.sleep(1)
    finally:
        tmux("kill-server")
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
