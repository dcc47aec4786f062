#!/usr/bin/env python3
"""Times full Keras 3 training steps of an rnn-tui benchmark workload, on TensorFlow-CPU or JAX (not run by CI).

Model: one-hot input of size V, or Embedding(V, E) when --embedding E > 0 -> L stacked recurrent layers
(SimpleRNN tanh | LSTM | GRU (reset_after, as PyTorch), hidden H) -> Dense(O) logits:
- --task lm: return_sequences, O = V at every timestep, mean sparse cross-entropy over all B*T positions;
- --task classify: the last timestep only, O = --classes K, mean sparse cross-entropy over the B sequences.
Cross-entropy from logits (the same function as a softmax layer and the loss). Adam (lr 1e-3).

One step = forward, BPTT, Adam update. The timed run is one `fit` over the same batch repeated --steps times
with `steps_per_execution` (several steps per compiled call, Keras' fastest loop; `--loop batch` uses one
`train_on_batch` per step instead). A first, identical `fit` compiles and warms up, untimed.

    python bench_keras.py --cell lstm --hidden 128 --batch 32 --seq-len 64 --vocab 64 --steps 20 --threads 2
    python bench_keras.py --backend jax --cell lstm --hidden 16 --batch 32 --seq-len 24 --vocab 1000 \
        --embedding 16 --task classify --steps 200

Prints one JSON line with tokens_per_second = B*T*steps/seconds.
"""
import argparse
import json
import os
import time


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["tensorflow", "jax"], default="tensorflow")
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
    parser.add_argument("--steps-per-execution", type=int, default=0,
                        help="steps per compiled call (0: the largest divisor of --steps up to 32)")
    parser.add_argument("--loop", choices=["fit", "batch"], default="fit")
    parser.add_argument("--warmup", type=int, default=3, help="untimed steps first (train_on_batch loop)")
    parser.add_argument("--threads", type=int, default=2, help="TensorFlow intra-op threads (ignored on JAX)")
    parser.add_argument("--inter-op-threads", type=int, default=1)
    parser.add_argument("--jit-compile", choices=["auto", "true", "false"], default="auto",
                        help="XLA on TensorFlow (auto = Keras' default: no XLA on a CPU-only TensorFlow, "
                             "always jitted on JAX)")
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args()


def main() -> None:
    arguments = parse_arguments()
    os.environ["KERAS_BACKEND"] = arguments.backend
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    import numpy as np

    version = ""
    if arguments.backend == "tensorflow":
        import tensorflow as tf

        tf.config.threading.set_intra_op_parallelism_threads(arguments.threads)
        tf.config.threading.set_inter_op_parallelism_threads(arguments.inter_op_threads)
        version = f"tensorflow {tf.__version__}"
    else:
        import jax

        version = f"jax {jax.__version__}"
    import keras

    keras.utils.set_random_seed(arguments.seed)
    vocab, batch, steps_per_sequence, hidden = arguments.vocab, arguments.batch, arguments.seq_len, arguments.hidden
    classify, embedding = arguments.task == "classify", arguments.embedding
    outputs = arguments.classes if classify else vocab
    layers: list = [keras.Input((steps_per_sequence,), dtype="int32") if embedding > 0
                    else keras.Input((steps_per_sequence, vocab))]  # (B, T) ids or (B, T, V)
    if embedding > 0:
        layers.append(keras.layers.Embedding(vocab, embedding))  # (B, T, E)
    for layer in range(arguments.layers):
        sequences = not classify or layer < arguments.layers - 1
        layers.append({
            "rnn": lambda: keras.layers.SimpleRNN(hidden, activation="tanh", return_sequences=sequences),
            "lstm": lambda: keras.layers.LSTM(hidden, return_sequences=sequences),
            "gru": lambda: keras.layers.GRU(hidden, return_sequences=sequences, reset_after=True),
        }[arguments.cell]())  # (B, T, H), or (B, H) for the classifier's last layer
    layers.append(keras.layers.Dense(outputs))  # logits; the softmax is inside the loss
    model = keras.Sequential(layers)
    steps = arguments.steps
    per_execution = arguments.steps_per_execution or max(d for d in range(1, min(32, steps) + 1) if steps % d == 0)
    jit_compile = {"auto": "auto", "true": True, "false": False}[arguments.jit_compile]
    model.compile(optimizer=keras.optimizers.Adam(1e-3),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), jit_compile=jit_compile,
                  steps_per_execution=per_execution if arguments.loop == "fit" else 1)

    rng = np.random.default_rng(arguments.seed)
    tokens = rng.integers(0, vocab, size=(batch, steps_per_sequence + 1))
    inputs = (tokens[:, :-1].astype(np.int32) if embedding > 0
              else np.eye(vocab, dtype=np.float32)[tokens[:, :-1]])  # (B, T) or (B, T, V)
    targets = (rng.integers(0, outputs, size=(batch,)) if classify else tokens[:, 1:]).astype(np.int32)  # (B) or (B, T)

    if arguments.loop == "fit":
        repeats = (steps,) + (1,) * (inputs.ndim - 1)
        all_inputs = np.tile(inputs, repeats)
        all_targets = np.tile(targets, (steps,) + (1,) * (targets.ndim - 1))

        def run() -> float:
            history = model.fit(all_inputs, all_targets, batch_size=batch, epochs=1, shuffle=False, verbose=0)
            return float(history.history["loss"][-1])

        run()  # compiles
        start = time.perf_counter()
        loss = run()
        seconds = time.perf_counter() - start
    else:
        for _ in range(arguments.warmup):
            model.train_on_batch(inputs, targets)
        start = time.perf_counter()
        loss = 0.0
        for _ in range(steps):
            loss = model.train_on_batch(inputs, targets)
        seconds = time.perf_counter() - start

    print(json.dumps({
        "framework": f"keras-{arguments.backend}", "version": f"keras {keras.__version__}, {version}",
        "cell": arguments.cell, "hidden": hidden, "batch": batch, "seq_len": steps_per_sequence, "vocab": vocab,
        "embedding": embedding, "layers": arguments.layers, "task": arguments.task, "steps": steps,
        "threads": arguments.threads, "jit_compile": arguments.jit_compile, "loop": arguments.loop,
        "steps_per_execution": per_execution if arguments.loop == "fit" else 1,
        "seconds": round(seconds, 4), "tokens_per_second": round(batch * steps_per_sequence * steps / seconds, 1),
        "final_loss": round(float(loss), 5),
    }))


if __name__ == "__main__":
    main()
