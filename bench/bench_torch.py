#!/usr/bin/env python3
"""Times full PyTorch training steps of the rnn-tui benchmark model (not run by CI).

Model: one-hot input of size V -> one recurrent layer (nn.RNN tanh | nn.LSTM | nn.GRU, hidden H) -> nn.Linear(H, V)
at every timestep, mean cross-entropy over all B*T positions, Adam (lr 1e-3). One step = forward, BPTT, Adam update.
The batch (random tokens, its one-hot encoding and next-token targets) is made once, outside the timing.

    python bench_torch.py --cell lstm --hidden 128 --batch 32 --seq-len 64 --vocab 64 --steps 20 --threads 2

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
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3, help="untimed steps first")
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

    class Model(nn.Module):
        def __init__(self, cell: str, vocab: int, hidden: int):
            super().__init__()
            recurrent = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[cell]
            self.rnn = recurrent(vocab, hidden)  # time-major, like the engine
            self.head = nn.Linear(hidden, vocab)

        def forward(self, inputs: torch.Tensor) -> torch.Tensor:
            output, _ = self.rnn(inputs)  # inputs: (T, B, V) -> output: (T, B, H)
            return self.head(output)  # (T, B, V)

    torch.set_num_threads(arguments.threads)
    torch.manual_seed(arguments.seed)
    vocab, batch, steps_per_sequence = arguments.vocab, arguments.batch, arguments.seq_len

    model = Model(arguments.cell, vocab, arguments.hidden)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    tokens = torch.randint(0, vocab, (steps_per_sequence + 1, batch))
    inputs = F.one_hot(tokens[:-1], vocab).float()  # (T, B, V)
    targets = tokens[1:].reshape(-1)  # (T*B)

    def train_step() -> float:
        optimizer.zero_grad(set_to_none=True)
        logits = model(inputs)
        loss = F.cross_entropy(logits.reshape(-1, vocab), targets)
        loss.backward()
        optimizer.step()
        return loss.item()

    for _ in range(arguments.warmup):
        train_step()
    start = time.perf_counter()
    loss = 0.0
    for _ in range(arguments.steps):
        loss = train_step()
    seconds = time.perf_counter() - start

    print(json.dumps({
        "framework": "torch", "version": torch.__version__,
        "cell": arguments.cell, "hidden": arguments.hidden, "batch": batch, "seq_len": steps_per_sequence,
        "vocab": vocab, "steps": arguments.steps, "threads": arguments.threads,
        "omp_wait_policy": arguments.omp_wait_policy,
        "seconds": round(seconds, 4), "tokens_per_second": round(batch * steps_per_sequence * arguments.steps / seconds, 1),
        "final_loss": round(loss, 5),
    }))


if __name__ == "__main__":
    main()
