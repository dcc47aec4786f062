#!/usr/bin/env python3
"""Writes the small safetensors files that SafeTensorsTests reads, with the Python `safetensors` package.

    /work/venv-torch/bin/python scripts/pytorch/make_safetensors_fixture.py

reference_dtypes.safetensors: one tensor per float dtype (F32, F16, BF16, F64) holding values that are exact in
that dtype (incl. subnormals and infinities), a zero-size tensor, and string metadata.
reference_int64.safetensors: an I64 tensor, which the engine must refuse by name.
"""
import math
import pathlib

import torch
from safetensors.torch import save_file

OUT = pathlib.Path(__file__).resolve().parents[2] / "Tests/RNNEngineTests/Fixtures/safetensors"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    inf = math.inf
    tensors = {
        "f32": torch.tensor([[0.0, 0.5, -1.25], [3.0, 0.001, -7.5]], dtype=torch.float32),
        "f16": torch.tensor([1.0, -2.0, 65504.0, 2.0**-14, 2.0**-24, 0.333251953125, inf, -inf], dtype=torch.float16),
        "bf16": torch.tensor([[1.0, -2.0, 0.333984375], [3.3895313892515355e38, 2.0**-133, inf]], dtype=torch.bfloat16),
        "f64": torch.tensor([0.1, -2.5, 1e-300, 1e300], dtype=torch.float64),
        "empty": torch.zeros((0, 3), dtype=torch.float32),
    }
    # Values must survive the dtype exactly (the Swift test compares bit for bit).
    assert tensors["bf16"][1, 1].item() == 2.0**-133
    assert tensors["f16"][4].item() == 2.0**-24
    save_file(tensors, OUT / "reference_dtypes.safetensors",
              metadata={"format": "pt", "made_by": "scripts/pytorch/make_safetensors_fixture.py"})
    save_file({"token_ids": torch.arange(4, dtype=torch.int64)}, OUT / "reference_int64.safetensors")
    print(f"wrote {OUT} with torch {torch.__version__}")


if __name__ == "__main__":
    main()
