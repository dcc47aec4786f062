#!/usr/bin/env python3
"""Times full PyTorch training steps of an rnn-tui benchmark workload (not run by CI).

Model: one-hot input of size V, or nn.Embedding(V, E) when --embedding E > 0 -> L stacked recurrent layers
(nn.RNN tanh | nn.LSTM | nn.GRU, hidden H) -> nn.Linear(H, O):
- --task lm: O = V at every timestep, mean cross-entropy over all B*T positions;
- --task classify: O = --classes K at the last timestep, mean cross-entropy over the B sequences.
Adam (lr 1e-3). One step = forward, BPTT, Adam update. The batch (random tokens, their one-hot encoding and
targets) is made once, outside the timing.

    python bench_torch.py --cell lstm --hidden 128 --batch 32 --seq-len 64 --vocab 64 --steps 20 --threads 2
    python bench_torch.py --cell gru --hidden 16 --batch 32 --seq-len 24 --vocab 1000 --embedding 16 --task classify

Prints one JSON line with tokens_per_second = B*T*steps/seconds.
"""
import argparse
import json
import os
import time


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cell", choices=["lstm", "gru", "rnn"], required=True)
    parser.add_argument("--hidden", type=int, required=True)
    parser.add_argument("--batch", type=int, required=True)
    parser.add_argument("--seq-len", type=int, required=True)
    parser.add_argument("--vocab", type=int, required=True)
    parser.add_argument("--embedding", type=int, default=0, help="0 = one-hot input of size V")
    parser.add_argument("--layers", type=int, default=1)
    parser.add_argument("--task", choices=["lm", "classify"], default="lm")
    parser.add_argument("--classes", type=int, default=2)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3, help="untimed steps first")
    parser.add_argument("--max-seconds", type=float, default=0,
                        help="stop the timed loop early once this many seconds have passed (0 = never); "
                             "tokens/s counts the steps done")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--omp-wait-policy", choices=["passive", "active"], default="passive",
                        help="OpenMP's idle threads sleep (passive) or spin (active); on a busy machine spinning "
                             "threads stall each other's barriers and 2 threads run up to 10x slower than 1")
    return parser.parse_args()


def main() -> None:
    arguments = parse_arguments()
    os.environ["OMP_WAIT_POLICY"] = arguments.omp_wait_policy.upper()  # read when torch starts OpenMP
    import torch
    import torch.nn.functional as F
    from torch import nn

    vocab, batch, steps_per_sequence = arguments.vocab, arguments.batch, arguments.seq_len
    embedding, classify = arguments.embedding, arguments.task == "classify"
    outputs = arguments.classes if classify else vocab

    class Model(nn.Module):
        def __init__(self):
            super().__init__()
            recurrent = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[arguments.cell]
            self.embedding = nn.Embedding(vocab, embedding) if embedding > 0 else None
            # time-major, like the engine
            self.rnn = recurrent(embedding or vocab, arguments.hidden, num_layers=arguments.layers)
            self.head = nn.Linear(arguments.hidden, outputs)

        def forward(self, inputs: torch.Tensor) -> torch.Tensor:
            if self.embedding is not None:
                inputs = self.embedding(inputs)  # (T, B) ids -> (T, B, E)
            output, _ = self.rnn(inputs)  # (T, B, I) -> (T, B, H)
            return self.head(output[-1] if classify else output)  # (B, K) or (T, B, V)

    torch.set_num_threads(arguments.threads)
    torch.manual_seed(arguments.seed)
    model = Model()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    tokens = torch.randint(0, vocab, (steps_per_sequence + 1, batch))
    inputs = tokens[:-1] if embedding > 0 else F.one_hot(tokens[:-1], vocab).float()  # (T, B) or (T, B, V)
    targets = torch.randint(0, outputs, (batch,)) if classify else tokens[1:].reshape(-1)  # (B) or (T*B)

    def train_step() -> float:
        optimizer.zero_grad(set_to_none=True)
        logits = model(inputs)
        loss = F.cross_entropy(logits.reshape(-1, outputs), targets)
        loss.backward()
        optimizer.step()
        return loss.item()

    for _ in range(arguments.warmup):
        train_step()
    start = time.perf_counter()
    loss = 0.0
    steps = 0
    while steps < arguments.steps:
        loss = train_step()
        steps += 1
        if arguments.max_seconds and time.perf_counter() - start > arguments.max_seconds:
            break
    seconds = time.perf_counter() - start

    print(json.dumps({
        "framework": "torch", "version": torch.__version__,
        "cell": arguments.cell, "hidden": arguments.hidden, "batch": batch, "seq_len": steps_per_sequence,
        "vocab": vocab, "embedding": embedding, "layers": arguments.layers, "task": arguments.task,
        "steps": steps, "threads": arguments.threads, "omp_wait_policy": arguments.omp_wait_policy,
        "seconds": round(seconds, 4), "tokens_per_second": round(batch * steps_per_sequence * steps / seconds, 1),
        "final_loss": round(loss, 5),
    }))


if __name__ == "__main__":
    main()
