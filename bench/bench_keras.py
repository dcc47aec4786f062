#!/usr/bin/env python3
"""Times full Keras 3 (TensorFlow CPU backend) training steps of the rnn-tui benchmark model (not run by CI).

Model: one-hot input of size V -> one recurrent layer (SimpleRNN tanh | LSTM | GRU (reset_after, as PyTorch),
hidden H, return_sequences) -> Dense(V) softmax at every timestep, mean sparse cross-entropy over all B*T positions
(computed from logits, which is the same function), Adam (lr 1e-3). One step = one compiled `train_on_batch`:
forward, BPTT, Adam update. The batch is made once, outside the timing.

    python bench_keras.py --cell lstm --hidden 128 --batch 32 --seq-len 64 --vocab 64 --steps 20 --threads 2

Prints one JSON line with tokens_per_second = B*T*steps/seconds.
"""
import argparse
import json
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cell", choices=["lstm", "gru", "rnn"], required=True)
    parser.add_argument("--hidden", type=int, required=True)
    parser.add_argument("--batch", type=int, required=True)
    parser.add_argument("--seq-len", type=int, required=True)
    parser.add_argument("--vocab", type=int, required=True)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3, help="untimed steps first (the first one compiles)")
    parser.add_argument("--threads", type=int, default=2, help="TensorFlow intra-op threads")
    parser.add_argument("--inter-op-threads", type=int, default=1)
    parser.add_argument("--jit-compile", choices=["auto", "true", "false"], default="false",
                        help="XLA; 'false' (the default) was the faster on this CPU")
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args()


def main() -> None:
    arguments = parse_arguments()
    import numpy as np
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(arguments.threads)
    tf.config.threading.set_inter_op_parallelism_threads(arguments.inter_op_threads)
    import keras

    keras.utils.set_random_seed(arguments.seed)
    vocab, batch, steps_per_sequence, hidden = arguments.vocab, arguments.batch, arguments.seq_len, arguments.hidden
    recurrent = {
        "rnn": lambda: keras.layers.SimpleRNN(hidden, activation="tanh", return_sequences=True),
        "lstm": lambda: keras.layers.LSTM(hidden, return_sequences=True),
        "gru": lambda: keras.layers.GRU(hidden, return_sequences=True, reset_after=True),
    }[arguments.cell]
    model = keras.Sequential([
        keras.Input((steps_per_sequence, vocab)),  # (B, T, V)
        recurrent(),  # (B, T, H)
        keras.layers.Dense(vocab),  # (B, T, V) logits; softmax is inside the loss
    ])
    jit_compile = {"auto": "auto", "true": True, "false": False}[arguments.jit_compile]
    model.compile(optimizer=keras.optimizers.Adam(1e-3),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), jit_compile=jit_compile)

    rng = np.random.default_rng(arguments.seed)
    tokens = rng.integers(0, vocab, size=(batch, steps_per_sequence + 1))
    inputs = tf.constant(np.eye(vocab, dtype=np.float32)[tokens[:, :-1]])  # (B, T, V)
    targets = tf.constant(tokens[:, 1:].astype(np.int32))  # (B, T)

    for _ in range(arguments.warmup):
        model.train_on_batch(inputs, targets)
    start = time.perf_counter()
    loss = 0.0
    for _ in range(arguments.steps):
        loss = model.train_on_batch(inputs, targets)
    seconds = time.perf_counter() - start

    print(json.dumps({
        "framework": "keras", "version": f"keras {keras.__version__}, tensorflow {tf.__version__}",
        "cell": arguments.cell, "hidden": hidden, "batch": batch, "seq_len": steps_per_sequence, "vocab": vocab,
        "steps": arguments.steps, "threads": arguments.threads, "jit_compile": arguments.jit_compile,
        "seconds": round(seconds, 4), "tokens_per_second": round(batch * steps_per_sequence * arguments.steps / seconds, 1),
        "final_loss": round(float(loss), 5),
    }))


if __name__ == "__main__":
    main()
