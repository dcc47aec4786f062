#!/usr/bin/env bash
# Builds the release configuration and counts fused multiply-add instructions (vfmadd…ps on ymm registers)
# in the RNNKernels object files. Exits nonzero when there are none: the FMA code generation was lost
# (a missing -mfma flag turns every FMA into a libm call; see docs on "Speed").
# Usage: scripts/check-fma.sh   (from anywhere inside the package)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --target RNNKernels >/dev/null
objects_dir="$(swift build -c release --show-bin-path)/RNNKernels.build"
shopt -s nullglob
objects=("$objects_dir"/*.o)
if [ ${#objects[@]} -eq 0 ]; then
    echo "check-fma: no object files in $objects_dir" >&2
    exit 2
fi
total=0
for object in "${objects[@]}"; do
    count=$(objdump -d --no-show-raw-insn "$object" | grep -c 'vfmadd[0-9]*ps.*ymm' || true)
    libm_calls=$(objdump -d --no-show-raw-insn "$object" | grep -c 'call.*<fmaf' || true)
    printf '%-40s %6d vfmadd (ymm)  %4d fmaf calls\n' "$(basename "$object")" "$count" "$libm_calls"
    total=$((total + count))
done
echo "total vfmadd (ymm): $total"
if [ "$total" -eq 0 ]; then
    echo "check-fma: no vfmadd instructions in RNNKernels; check the -Xcc -mavx2 -Xcc -mfma flags in Package.swift" >&2
    exit 1
fi
