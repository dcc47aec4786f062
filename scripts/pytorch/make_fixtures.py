#!/usr/bin/env python3
"""PyTorch reference fixtures for the rnn-tui engine (not run by CI).

    /work/venv-torch/bin/python scripts/pytorch/make_fixtures.py

For each case it builds a small model -- `embedding` (nn.Embedding, optional), `rnn` (nn.RNN / nn.LSTM / nn.GRU,
batch_first=False) and `head` (nn.Linear) -- with a fixed seed, and writes into
Tests/RNNEngineTests/Fixtures/pytorch/:

  <case>.safetensors  the state_dict (PyTorch parameter names), metadata {"cell", "nonlinearity" (rnn),
                      "gru_reset_after": "true" (gru)}
  <case>.json         the expected result of running ONE sequence (batch 1, zero initial state):
                      {"cell", "nonlinearity", "input", "dtype", "config", "tokens" | "features", "targets",
                       "layers": [{"h": [[H] per t], "c": [[H] per t] (lstm), "gates": {...}} per layer],
                       "logits": [[O] per t], "loss": mean cross-entropy over timesteps,
                       "grads": {"param name": flat row-major list}}

Multi-label cases (`multi_label=True`) put a sigmoid head at the last step: "loss" is
nn.BCEWithLogitsLoss (mean over the labels) of head(h_T) against "label_targets" ([L] of 0/1), the metadata adds
"head_activation": "sigmoid", and "logits" still holds the head applied at every timestep (what inspect prints).

    /work/venvs/classic/bin/python scripts/pytorch/make_fixtures.py --only multilabel_lstm_embedding

rewrites only the named cases.

and into Tests/RNNEngineTests/Fixtures/pytorch_dh/ (GRADIENT_CASES; `--gradients-only` writes just these):

  <case>.safetensors  F32 state_dict, metadata {"cell", "rnn_tui.head", "nonlinearity" | "gru_reset_after"}
  <case>.json         {"cell", "head", "gru_reset_after", "steps" T, "batch" B, "hidden" H, "tokens" (T, B),
                       "mask" (T, B), "targets" (T, B) or (B), "loss",
                       "layers": [{"dh": (T, B, H), "dc": (T, B, H) (lstm)} per layer]}
                      dh/dc are dL/dh_t and dL/dc_t from a cell-by-cell loop with retain_grad (both GRU
                      conventions, two layers, right-padded masked batches).

Token models without an embedding take one-hot vectors of size weight_ih_l0.shape[1] (= vocabulary size).
The reference numbers are computed in float64 from exactly the stored weights (after rounding to the stored dtype),
so an engine that loads the file and computes in float32 should match to ~1e-6.

Gates are not exposed by PyTorch, so a manual implementation of PyTorch's equations computes them from the same
weights (LSTM i, f, g, o after their nonlinearities; GRU r, z, n, reset-after as PyTorch; RNN none) and the script
asserts that its h (and c) equal nn.RNN/LSTM/GRU's outputs to 1e-6 before writing anything.
"""
from __future__ import annotations

import dataclasses
import json
import pathlib

import torch
import torch.nn.functional as F
from safetensors.torch import save_file
from torch import nn

OUT = pathlib.Path(__file__).resolve().parents[2] / "Tests/RNNEngineTests/Fixtures/pytorch"


@dataclasses.dataclass
class Case:
    name: str
    cell: str  # rnn | lstm | gru
    input: str  # onehot | embedding | numeric
    nonlinearity: str = "tanh"  # rnn only
    vocab: int = 7  # token cases: vocabulary = output classes
    embedding_dim: int = 4
    features: int = 3  # numeric case: features per timestep
    outputs: int = 7  # classes of the head
    hidden: int = 5
    layers: int = 1
    steps: int = 6
    dtype: str = "F32"  # stored dtype: F32 | F16 | BF16 | F64
    seed: int = 0
    multi_label: bool = False  # sigmoid head at the last step, BCEWithLogitsLoss over `outputs` labels


CASES = [
    Case("rnn_tanh", "rnn", "onehot", nonlinearity="tanh", seed=1),
    Case("rnn_relu", "rnn", "numeric", nonlinearity="relu", outputs=4, seed=12),
    Case("lstm_embedding_2layer", "lstm", "embedding", layers=2, seed=3),
    Case("lstm_onehot", "lstm", "onehot", seed=4),
    Case("gru_embedding", "gru", "embedding", seed=5),
    Case("gru_2layer", "gru", "onehot", layers=2, seed=6),
    # Stored in other dtypes, to test conversion on load.
    Case("lstm_embedding_f16", "lstm", "embedding", dtype="F16", seed=7),
    Case("gru_onehot_bf16", "gru", "onehot", dtype="BF16", seed=8),
    Case("rnn_tanh_f64", "rnn", "onehot", nonlinearity="tanh", layers=2, dtype="F64", seed=9),
    # Multi-label: sigmoid + binary cross-entropy at the last step.
    Case("multilabel_lstm_embedding", "lstm", "embedding", outputs=4, layers=2, multi_label=True, seed=21),
    Case("multilabel_gru_onehot", "gru", "onehot", outputs=3, multi_label=True, seed=22),
]

TORCH_DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "F64": torch.float64}


class Model(nn.Module):
    def __init__(self, case: Case):
        super().__init__()
        if case.input == "embedding":
            self.embedding = nn.Embedding(case.vocab, case.embedding_dim)
            input_size = case.embedding_dim
        elif case.input == "onehot":
            self.embedding = None
            input_size = case.vocab
        else:
            self.embedding = None
            input_size = case.features
        if case.cell == "rnn":
            self.rnn = nn.RNN(input_size, case.hidden, case.layers, nonlinearity=case.nonlinearity)
        elif case.cell == "lstm":
            self.rnn = nn.LSTM(input_size, case.hidden, case.layers)
        else:
            self.rnn = nn.GRU(input_size, case.hidden, case.layers)
        self.head = nn.Linear(case.hidden, case.outputs)
        self.case = case

    def layer0_input(self, inputs: torch.Tensor) -> torch.Tensor:
        """inputs: (T,) token ids or (T, D) features -> (T, 1, input size)."""
        if self.case.input == "embedding":
            return self.embedding(inputs).unsqueeze(1)
        if self.case.input == "onehot":
            return F.one_hot(inputs, self.case.vocab).to(self.head.weight.dtype).unsqueeze(1)
        return inputs.unsqueeze(1)

    def forward(self, inputs: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Returns logits (T, O) and the last layer's outputs (T, H); zero initial state."""
        output, _ = self.rnn(self.layer0_input(inputs))
        return self.head(output[:, 0, :]), output[:, 0, :]


def manual_layers(model: Model, inputs: torch.Tensor) -> list[dict]:
    """PyTorch's equations written out, one timestep at a time, keeping the gates."""
    case = model.case
    x_sequence = model.layer0_input(inputs)[:, 0, :]  # (T, D)
    results = []
    for layer in range(case.layers):
        w_ih = getattr(model.rnn, f"weight_ih_l{layer}")
        w_hh = getattr(model.rnn, f"weight_hh_l{layer}")
        b_ih = getattr(model.rnn, f"bias_ih_l{layer}")
        b_hh = getattr(model.rnn, f"bias_hh_l{layer}")
        h = torch.zeros(case.hidden, dtype=w_ih.dtype)
        c = torch.zeros(case.hidden, dtype=w_ih.dtype)
        hs, cs = [], []
        gates: dict[str, list] = {name: [] for name in {"rnn": [], "lstm": "ifgo", "gru": "rzn"}[case.cell]}
        for x in x_sequence:
            input_part = w_ih @ x + b_ih
            hidden_part = w_hh @ h + b_hh
            if case.cell == "rnn":
                pre = input_part + hidden_part
                # A pre-activation at ReLU's kink would make float32 and float64 gradients disagree.
                assert case.nonlinearity == "tanh" or pre.abs().min() > 1e-3, (case.name, "pick another seed")
                h = torch.tanh(pre) if case.nonlinearity == "tanh" else torch.relu(pre)
            elif case.cell == "lstm":
                i, f, g, o = (input_part + hidden_part).chunk(4)
                i, f, g, o = torch.sigmoid(i), torch.sigmoid(f), torch.tanh(g), torch.sigmoid(o)
                c = f * c + i * g
                h = o * torch.tanh(c)
                for name, value in zip("ifgo", (i, f, g, o)):
                    gates[name].append(value)
                cs.append(c)
            else:
                input_r, input_z, input_n = input_part.chunk(3)
                hidden_r, hidden_z, hidden_n = hidden_part.chunk(3)
                r = torch.sigmoid(input_r + hidden_r)
                z = torch.sigmoid(input_z + hidden_z)
                n = torch.tanh(input_n + r * hidden_n)  # reset after the hidden matmul, as PyTorch
                h = (1 - z) * n + z * h
                for name, value in zip("rzn", (r, z, n)):
                    gates[name].append(value)
            hs.append(h)
        layer_result = {"h": torch.stack(hs)}
        if case.cell == "lstm":
            layer_result["c"] = torch.stack(cs)
        layer_result["gates"] = {name: torch.stack(values) for name, values in gates.items()}
        results.append(layer_result)
        x_sequence = layer_result["h"]
    return results


def rounded(tensor: torch.Tensor) -> list:
    """Nested lists of floats with 10 significant digits (far below the 1e-4 the engine is held to)."""
    values = tensor.detach().double().tolist()

    def walk(value):
        return [walk(item) for item in value] if isinstance(value, list) else float(f"{value:.10g}")

    return walk(values)


def to_json(value, indent: str = "") -> str:
    """JSON with objects and lists of lists spread over lines, and lists of numbers on one line."""
    inner = indent + "  "
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{inner}{json.dumps(key)}: {to_json(item, inner)}" for key, item in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, list) and any(isinstance(item, (list, dict)) for item in value):
        return "[\n" + ",\n".join(inner + to_json(item, inner) for item in value) + "\n" + indent + "]"
    return json.dumps(value)


def make_case(case: Case) -> None:
    torch.manual_seed(case.seed)
    model = Model(case)
    if case.dtype == "F64":
        # Perturb below float32 precision so the file really needs F64 -> Float conversion.
        model = model.double()
        with torch.no_grad():
            for parameter in model.parameters():
                parameter.add_(torch.randn_like(parameter) * 1e-9)
    stored = {name: tensor.detach().to(TORCH_DTYPES[case.dtype]).contiguous()
              for name, tensor in model.state_dict().items()}
    # The reference is computed in float64 from exactly the stored values.
    model = model.double()
    model.load_state_dict({name: tensor.double() for name, tensor in stored.items()})

    generator = torch.Generator().manual_seed(1000 + case.seed)
    if case.input == "numeric":
        inputs = torch.randn(case.steps, case.features, generator=generator, dtype=torch.float64)
    else:
        inputs = torch.randint(0, case.vocab, (case.steps,), generator=generator)
    targets = torch.randint(0, case.outputs, (case.steps,), generator=generator)
    if case.multi_label:
        # Each label present or absent; at least one of each so both terms of the loss are exercised.
        label_targets = torch.tensor([1.0, 0.0] + [float(v) for v in
                                     torch.randint(0, 2, (case.outputs - 2,), generator=generator)],
                                     dtype=torch.float64)

    logits, last_output = model(inputs)
    if case.multi_label:
        loss = nn.BCEWithLogitsLoss()(logits[-1], label_targets)  # mean over the labels of the last step
    else:
        loss = F.cross_entropy(logits, targets)  # mean over timesteps
    model.zero_grad()
    loss.backward()

    with torch.no_grad():
        manual = manual_layers(model, inputs)
        # Check the manual equations against nn.RNN / nn.LSTM / nn.GRU, layer by layer.
        x = model.layer0_input(inputs)
        state_h = torch.zeros(case.layers, 1, case.hidden, dtype=torch.float64)
        if case.cell == "lstm":
            _, (final_h, final_c) = model.rnn(x, (state_h, state_h.clone()))
        else:
            _, final_h = model.rnn(x, state_h)
        assert torch.allclose(manual[-1]["h"], last_output, atol=1e-6, rtol=0), case.name
        for layer in range(case.layers):
            assert torch.allclose(manual[layer]["h"][-1], final_h[layer, 0], atol=1e-6, rtol=0), case.name
            if case.cell == "lstm":
                assert torch.allclose(manual[layer]["c"][-1], final_c[layer, 0], atol=1e-6, rtol=0), case.name
        # Intermediate layers' full sequences: run a one-layer module with the same weights on each layer.
        layer_input = x
        for layer in range(case.layers):
            single = type(model.rnn)(layer_input.shape[-1], case.hidden, 1,
                                     **({"nonlinearity": case.nonlinearity} if case.cell == "rnn" else {})).double()
            for kind in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
                getattr(single, f"{kind}_l0").copy_(getattr(model.rnn, f"{kind}_l{layer}"))
            sequence, _ = single(layer_input)
            assert torch.allclose(manual[layer]["h"], sequence[:, 0, :], atol=1e-6, rtol=0), (case.name, layer)
            layer_input = sequence
        # The head on the manual h gives the same logits.
        assert torch.allclose(model.head(manual[-1]["h"]), logits, atol=1e-6, rtol=0), case.name

    metadata = {"cell": case.cell}
    if case.cell == "rnn":
        metadata["nonlinearity"] = case.nonlinearity
    if case.cell == "gru":
        metadata["gru_reset_after"] = "true"
    if case.multi_label:
        metadata["head_activation"] = "sigmoid"
    OUT.mkdir(parents=True, exist_ok=True)
    save_file(stored, OUT / f"{case.name}.safetensors", metadata=metadata)

    expected: dict = {"cell": case.cell}
    if case.cell == "rnn":
        expected["nonlinearity"] = case.nonlinearity
    expected["input"] = case.input
    expected["dtype"] = case.dtype
    expected["config"] = {
        "vocab": case.vocab if case.input != "numeric" else None,
        "embedding_dim": case.embedding_dim if case.input == "embedding" else None,
        "features": case.features if case.input == "numeric" else None,
        "hidden": case.hidden, "layers": case.layers, "outputs": case.outputs, "steps": case.steps,
    }
    if case.input == "numeric":
        expected["features"] = rounded(inputs)
    else:
        expected["tokens"] = inputs.tolist()
    if case.multi_label:
        expected["head_activation"] = "sigmoid"
        expected["label_targets"] = label_targets.tolist()
    else:
        expected["targets"] = targets.tolist()
    expected["layers"] = []
    for layer in manual:
        entry = {"h": rounded(layer["h"])}
        if "c" in layer:
            entry["c"] = rounded(layer["c"])
        entry["gates"] = {name: rounded(values) for name, values in layer["gates"].items()}
        expected["layers"].append(entry)
    expected["logits"] = rounded(logits)
    expected["loss"] = float(f"{loss.item():.12g}")
    expected["grads"] = {name: rounded(parameter.grad.flatten()) for name, parameter in model.named_parameters()}
    with open(OUT / f"{case.name}.json", "w") as file:
        file.write(to_json(expected) + "\n")
    print(f"{case.name}: loss {loss.item():.6f}, {len(stored)} tensors as {case.dtype}")


# --- Gradients through time: dL/dh_t and dL/dc_t, from a cell-by-cell loop with retain_grad ---------------

GRADIENT_OUT = OUT.parent / "pytorch_dh"


@dataclasses.dataclass
class GradientCase:
    name: str
    cell: str  # rnn | lstm | gru
    input: str  # onehot | embedding
    head: str = "tokenEveryStep"  # or classifyLast
    reset_after: bool = True  # gru only; False: n = tanh(W_in x + b_in + W_hn (r * h') + b_hn)
    lengths: tuple = (6,)  # one per sequence; shorter ones are right-padded with token 0 and masked
    vocab: int = 7
    embedding_dim: int = 4
    hidden: int = 5
    layers: int = 2
    outputs: int = 7
    seed: int = 0


GRADIENT_CASES = [
    GradientCase("rnn_tanh_2layer", "rnn", "onehot", seed=21),
    GradientCase("lstm_2layer_embedding", "lstm", "embedding", seed=22),
    GradientCase("gru_after_2layer", "gru", "onehot", seed=23),
    GradientCase("gru_before_2layer_embedding", "gru", "embedding", reset_after=False, seed=24),
    GradientCase("lstm_masked_classify", "lstm", "onehot", head="classifyLast", lengths=(6, 3), outputs=3, seed=25),
    GradientCase("gru_before_masked_classify", "gru", "onehot", head="classifyLast", reset_after=False, lengths=(6, 4),
                 outputs=3, seed=26),
    GradientCase("rnn_tanh_masked_every_step", "rnn", "embedding", lengths=(5, 6, 2), seed=27),
]


def make_gradient_case(case: GradientCase) -> None:
    """Runs the module's equations one cell at a time (batch B, time-major, zero state), keeps every h_t and
    c_t with retain_grad, and writes the loss and their .grad: the total derivative through the head at t,
    the recurrence into t+1 and the layer above."""
    torch.manual_seed(case.seed)
    as_case = Case(case.name, case.cell, case.input, vocab=case.vocab, embedding_dim=case.embedding_dim,
                   outputs=case.outputs, hidden=case.hidden, layers=case.layers)
    model = Model(as_case).double()
    # Round the weights to float32 first, so the float64 reference is computed from the stored values.
    model.load_state_dict({name: tensor.float().double() for name, tensor in model.state_dict().items()})
    steps, batch = max(case.lengths), len(case.lengths)
    generator = torch.Generator().manual_seed(2000 + case.seed)
    tokens = torch.randint(1, case.vocab, (steps, batch), generator=generator)
    mask = torch.zeros(steps, batch, dtype=torch.float64)
    for row, length in enumerate(case.lengths):
        mask[:length, row] = 1
        tokens[length:, row] = 0
    if case.head == "tokenEveryStep":
        targets = torch.randint(0, case.outputs, (steps, batch), generator=generator)
    else:
        targets = torch.randint(0, case.outputs, (batch,), generator=generator)

    if case.input == "embedding":
        layer_input = model.embedding(tokens)  # (T, B, E)
    else:
        layer_input = F.one_hot(tokens, case.vocab).double()
    hidden_states, cell_states = [], []
    for layer in range(case.layers):
        w_ih = getattr(model.rnn, f"weight_ih_l{layer}")
        w_hh = getattr(model.rnn, f"weight_hh_l{layer}")
        b_ih = getattr(model.rnn, f"bias_ih_l{layer}")
        b_hh = getattr(model.rnn, f"bias_hh_l{layer}")
        h = torch.zeros(batch, case.hidden, dtype=torch.float64)
        c = torch.zeros(batch, case.hidden, dtype=torch.float64)
        hs, cs = [], []
        for time in range(steps):
            x = layer_input[time]
            if case.cell == "rnn":
                h = torch.tanh(x @ w_ih.T + b_ih + h @ w_hh.T + b_hh)
            elif case.cell == "lstm":
                i, f, g, o = (x @ w_ih.T + b_ih + h @ w_hh.T + b_hh).chunk(4, dim=1)
                c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
                c.retain_grad()
                cs.append(c)
                h = torch.sigmoid(o) * torch.tanh(c)
            else:
                input_r, input_z, input_n = (x @ w_ih.T + b_ih).chunk(3, dim=1)
                w_hr, w_hz, w_hn = w_hh.chunk(3, dim=0)
                b_hr, b_hz, b_hn = b_hh.chunk(3)
                r = torch.sigmoid(input_r + h @ w_hr.T + b_hr)
                z = torch.sigmoid(input_z + h @ w_hz.T + b_hz)
                if case.reset_after:
                    n = torch.tanh(input_n + r * (h @ w_hn.T + b_hn))
                else:
                    n = torch.tanh(input_n + (r * h) @ w_hn.T + b_hn)
                h = (1 - z) * n + z * h
            h.retain_grad()
            hs.append(h)
        hidden_states.append(hs)
        cell_states.append(cs)
        layer_input = torch.stack(hs)
    top = torch.stack(hidden_states[-1])  # (T, B, H)
    if case.head == "tokenEveryStep":
        logits = model.head(top)  # (T, B, O)
        losses = F.cross_entropy(logits.reshape(-1, case.outputs), targets.reshape(-1), reduction="none")
        loss = (losses * mask.reshape(-1)).sum() / mask.sum()  # mean over real positions
    else:
        last = torch.stack([top[length - 1, row] for row, length in enumerate(case.lengths)])
        loss = F.cross_entropy(model.head(last), targets)  # mean over sequences
    loss.backward()

    def gradients(states: list) -> list:
        return [rounded(state.grad if state.grad is not None else torch.zeros_like(state)) for state in states]

    metadata = {"cell": case.cell, "rnn_tui.head": case.head}
    if case.cell == "rnn":
        metadata["nonlinearity"] = "tanh"
    if case.cell == "gru":
        metadata["gru_reset_after"] = "true" if case.reset_after else "false"
    GRADIENT_OUT.mkdir(parents=True, exist_ok=True)
    stored = {name: tensor.detach().float().contiguous() for name, tensor in model.state_dict().items()}
    assert all(torch.equal(tensor.double(), tensor.double().float().double()) for tensor in stored.values())
    save_file(stored, GRADIENT_OUT / f"{case.name}.safetensors", metadata=metadata)
    expected = {
        "cell": case.cell, "head": case.head, "gru_reset_after": case.reset_after if case.cell == "gru" else None,
        "steps": steps, "batch": batch, "hidden": case.hidden,
        "tokens": tokens.tolist(), "mask": mask.tolist(), "targets": targets.tolist(),
        "loss": float(f"{loss.item():.12g}"),
        "layers": [
            {"dh": gradients(hidden_states[layer]), **({"dc": gradients(cell_states[layer])} if case.cell == "lstm" else {})}
            for layer in range(case.layers)
        ],
    }
    with open(GRADIENT_OUT / f"{case.name}.json", "w") as file:
        file.write(to_json(expected) + "\n")
    print(f"{case.name}: loss {loss.item():.6f} (dL/dh_t, dL/dc_t for {case.layers} layers x {steps} steps x {batch})")


def main() -> None:
    import argparse
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="write only these cases (of CASES or GRADIENT_CASES)")
    parser.add_argument("--gradients-only", action="store_true", help="write only the dL/dh_t fixtures (GRADIENT_CASES)")
    arguments = parser.parse_args()
    torch.set_num_threads(1)
    unknown = set(arguments.only or []) - {case.name for case in CASES} - {case.name for case in GRADIENT_CASES}
    if unknown:
        parser.error(f"unknown case(s): {', '.join(sorted(unknown))}")
    if not arguments.gradients_only:
        for case in CASES:
            if arguments.only is None or case.name in arguments.only:
                make_case(case)
        print(f"wrote {OUT} with torch {torch.__version__}")
    for case in GRADIENT_CASES:
        if arguments.only is None or case.name in arguments.only:
            make_gradient_case(case)
    print(f"wrote {GRADIENT_OUT}")


if __name__ == "__main__":
    main()
