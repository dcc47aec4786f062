#!/usr/bin/env bash
# kill -9 loop: starts `rnn-tui train` on a setup that saves a checkpoint at every step (so kills land
# during saves), kills it with SIGKILL at a random moment, and checks the run folder after every kill.
#
#   scripts/kill-loop.sh [KILLS] [BINARY]        (default: 120 kills, .build/release/rnn-tui)
#
# Runs go into one of two folders, each time with one of two model sizes, so a folder is often reused
# by another model (which `train` must refuse) and by the same one (which appends to its history).
# Counted after each kill:
#   temporary   .*.tmp files left by the kill (allowed: the next open removes them)
#   orphans     .*.tmp files still there after `train` opened the folder again (must be 0)
#   mismatches  config.json and checkpoint.safetensors describing different models (must be 0)
#   torn        a checkpoint that does not parse (must be 0)
#   lost        metrics.csv with fewer complete rows than before the kill, or header-only after rows (must be 0)
#   refused     a different model refused to reuse the folder (expected, the refusal is the fix)
# Not part of `swift test` (CommandLineEndToEndTests does a few kills).
set -u
kills=${1:-120}
binary=${2:-.build/release/rnn-tui}
[ -x "$binary" ] || { echo "kill-loop: no executable at $binary (swift build -c release first)" >&2; exit 2; }
work=$(mktemp -d /tmp/rnn-kill-loop.XXXXXX)
trap 'rm -rf "$work"' EXIT

check() {  # check FOLDER PREVIOUS_ROWS -> prints "temporary mismatch torn lost rows"
    python3 - "$1" "$2" <<'PY'
import json, os, struct, sys
folder, previous = sys.argv[1], int(sys.argv[2])
temporary = len([n for n in os.listdir(folder) if n.startswith(".") and n.endswith(".tmp")]) if os.path.isdir(folder) else 0
mismatch = torn = lost = rows = 0
config_path, checkpoint_path = os.path.join(folder, "config.json"), os.path.join(folder, "checkpoint.safetensors")
hidden_config = hidden_checkpoint = None
if os.path.exists(config_path):
    try: hidden_config = json.load(open(config_path))["hiddenSize"]
    except Exception: torn += 1
if os.path.exists(checkpoint_path):
    try:
        data = open(checkpoint_path, "rb").read()
        (length,) = struct.unpack("<Q", data[:8])
        header = json.loads(data[8:8 + length])
        end = max(v["data_offsets"][1] for k, v in header.items() if k != "__metadata__")
        if 8 + length + end != len(data): raise ValueError("size")
        hidden_checkpoint = header["rnn.weight_hh_l0"]["shape"][1]
    except Exception: torn += 1
if hidden_checkpoint is not None and hidden_config != hidden_checkpoint: mismatch = 1
metrics = os.path.join(folder, "metrics.csv")
if os.path.exists(metrics):
    text = open(metrics, encoding="utf-8", errors="replace").read()
    complete = text[: text.rfind("\n") + 1] if "\n" in text else ""
    rows = max(0, len(complete.splitlines()) - 1)
if rows < previous: lost = 1
print(temporary, mismatch, torn, lost, rows)
PY
}

declare -A rows_before=([a]=0 [b]=0)
temporary=0 orphans=0 mismatches=0 torn=0 lost=0 refused=0 done_runs=0
for ((kill = 1; kill <= kills; kill++)); do
    name=$([ $((RANDOM % 2)) -eq 0 ] && echo a || echo b)
    hidden=$([ $((RANDOM % 4)) -eq 0 ] && echo 384 || echo 512)
    folder="$work/$name"
    # Orphans: a folder opened again must hold no temporary file of a dead writer.
    "$binary" train --dataset corpus --hidden "$hidden" --batch 8 --seq-len 16 --steps 100000 --eval-every 50 \
        --save-every 1 --threads 1 --plain --out "$folder" > "$work/out.txt" 2> "$work/err.txt" &
    pid=$!
    delay=$(python3 -c "import random; print(round(random.uniform(0.4, 3.0), 3))")
    sleep "$delay"
    if ! kill -0 "$pid" 2>/dev/null; then
        wait "$pid"; status=$?
        if grep -q "holds a run of another model" "$work/err.txt"; then refused=$((refused + 1)); else
            echo "kill $kill: train ended by itself with status $status: $(cat "$work/err.txt")"; fi
        kill=$((kill - 1)); done_runs=$((done_runs + 1))
        [ "$done_runs" -gt $((kills * 4)) ] && { echo "kill-loop: too many runs ended before the kill"; break; }
        continue
    fi
    # After opening, the folder must have no temporary file of an earlier (dead) writer.
    if [ -d "$folder" ]; then
        stale=$(find "$folder" -maxdepth 1 -name '.*.tmp' ! -name "*.$pid-*" | wc -l)
        orphans=$((orphans + stale))
    fi
    kill -9 "$pid"; wait "$pid" 2>/dev/null
    read -r t m c l r < <(check "$folder" "${rows_before[$name]}")
    temporary=$((temporary + t)); mismatches=$((mismatches + m)); torn=$((torn + c)); lost=$((lost + l))
    [ "$m$c$l" != "000" ] && echo "kill $kill ($folder, H=$hidden, after ${delay}s): mismatch $m torn $c lost $l"
    rows_before[$name]=$r
done
echo "kill-loop: $kills kills: temporary files left at a kill $temporary, orphans after reopening $orphans," \
     "config/checkpoint mismatches $mismatches, torn checkpoints $torn, metrics history lost $lost," \
     "other-model reuse refused $refused"
[ $((orphans + mismatches + torn + lost)) -eq 0 ]
