"""Train an exported rnn-tui run in PyTorch, on one process or many (DistributedDataParallel).

    python train.py                                  # from the run's weights (checkpoint.safetensors)
    python train.py --fresh --steps 500              # from PyTorch's default initialisation
    torchrun --nproc_per_node 2 train.py             # 2 processes: gloo on CPU, nccl on GPUs

The same optimizer, learning rate, schedule, clipping and batches as the rnn-tui run (export.json,
data.safetensors). Each process takes an equal slice of every batch's B sequences (B must divide by
the process count) and its loss is scaled so that DDP's gradient average is the gradient of the whole
batch's mean loss: one step on N processes is one rnn-tui step. Epoch 0 visits rnn-tui's batches in its
order; later epochs reshuffle them (keep the order when the state is carried, as in truncated BPTT).
Writes --out (default trained.safetensors): the state_dict with rnn-tui's names and metadata, which
`rnn-tui inspect`, `rnn-tui train --init` and the notebook open; and --metrics (default
pytorch-metrics.csv) in rnn-tui's metrics.csv format, so `rnn-tui plot` overlays both runs.
Needs torch, safetensors and numpy.
"""
import argparse
import json
import math
import os
import sys
import time

import torch
import torch.distributed as dist
from safetensors import safe_open
from safetensors.torch import load_file, save_file
from torch.nn.parallel import DistributedDataParallel

from model import Net, counted, loss_sum

HERE = os.path.dirname(os.path.abspath(__file__))


def parse_arguments():
    parser = argparse.ArgumentParser(description="Train an exported rnn-tui run.")
    parser.add_argument("--init", default=os.path.join(HERE, "checkpoint.safetensors"), help="weights to start from")
    parser.add_argument("--fresh", action="store_true", help="start from PyTorch's default initialisation")
    parser.add_argument("--steps", type=int, help="stop after this many steps (default: the run's)")
    parser.add_argument("--epochs", type=int, help="stop after this many epochs (default: the run's)")
    parser.add_argument("--out", default="trained.safetensors", help="checkpoint to write at the end")
    parser.add_argument("--metrics", default="pytorch-metrics.csv", help="rnn-tui's metrics.csv format")
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    return parser.parse_args()


def load_batches(path, split, device):
    """[(inputs, targets, mask)] of one split; token ids are stored as F32 (exact below 2**24)."""
    tensors = load_file(path)
    batches, index = [], 0
    while f"{split}.{index}.inputs" in tensors:
        get = lambda name: tensors.get(f"{split}.{index}.{name}")
        batches.append(tuple(None if t is None else t.to(device) for t in (get("inputs"), get("targets"), get("mask"))))
        index += 1
    return batches


def prepare(batch, model):
    """Casts token ids and class targets to int64; returns (inputs, targets, mask, lengths)."""
    inputs, targets, mask = batch
    if model["input"] != "numeric":
        inputs = inputs.long()
    if model["head"] in ("tokenEveryStep", "classifyLast"):
        targets = targets.long()
    lengths = mask.sum(0).long() if mask is not None else None
    return inputs, targets, mask, lengths


def columns(tensor, rank, world, batch_dim):
    if tensor is None or world == 1:
        return tensor
    size = tensor.shape[batch_dim] // world
    return tensor.narrow(batch_dim, rank * size, size)


def detach(state):
    return tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()


def learning_rate_factor(schedule, step):
    """rnn-tui's schedule as a factor on the base rate at 0-based step `step`."""
    if schedule["kind"] == "step":
        return schedule["factor"] ** (step // schedule["interval"]) if schedule["interval"] > 0 else 1.0
    if schedule["kind"] == "cosine":
        total = schedule["total_steps"]
        if total <= 0:
            return 1.0
        progress = min(step, total) / total
        return schedule["minimum_factor"] + (1 - schedule["minimum_factor"]) * (1 + math.cos(math.pi * progress)) / 2
    return 1.0


def make_optimizer(parameters, training):
    kind, rate, decay = training["optimizer"], training["learning_rate"], training["weight_decay"]
    betas, eps = (training["beta1"], training["beta2"]), training["epsilon"]
    if kind == "sgd":
        return torch.optim.SGD(parameters, lr=rate, weight_decay=decay)
    if kind == "momentum":
        return torch.optim.SGD(parameters, lr=rate, momentum=training["momentum"], nesterov=training["nesterov"], weight_decay=decay)
    if kind == "rmsprop":
        return torch.optim.RMSprop(parameters, lr=rate, alpha=training["rmsprop_alpha"], eps=eps, weight_decay=decay)
    if kind == "adamw":
        return torch.optim.AdamW(parameters, lr=rate, betas=betas, eps=eps, weight_decay=decay)
    return torch.optim.Adam(parameters, lr=rate, betas=betas, eps=eps, weight_decay=decay)


def evaluate(net, batches, model, device):
    """Mean validation loss (each batch from a zero state) and accuracy for classifiers."""
    net.eval()
    total, terms, correct = 0.0, 0.0, 0.0
    with torch.no_grad():
        for batch in batches:
            inputs, targets, mask, lengths = prepare(batch, model)
            outputs, _ = net(inputs, net.initial_state(inputs.shape[1], device), lengths)
            loss, hits = loss_sum(model["head"], outputs, targets, mask, lengths)
            total += loss.item()
            terms += counted(model["head"], targets, mask, lengths, model["output_size"]).item()
            correct += hits.item()
    net.train()
    return total / max(terms, 1), correct / max(terms, 1)


class MetricsLog:
    """rnn-tui's metrics.csv: a row per step (training columns) and per evaluation (validation columns)."""

    header = "step,epoch,train_loss,val_loss,val_accuracy,learning_rate,grad_norm,tokens_per_second"

    def __init__(self, path):
        self.handle = open(path, "w") if path else None
        self.write([self.header])

    def write(self, cells):
        if self.handle:
            self.handle.write(",".join(cells) + "\n")

    def step(self, step, epoch, loss, rate, norm, tokens_per_second):
        self.write([str(step), str(epoch), f"{loss:.6g}", "", "", f"{rate:.6g}", f"{norm:.6g}", f"{tokens_per_second:.1f}"])

    def evaluation(self, step, epoch, loss, accuracy, rate):
        self.write([str(step), str(epoch), "", f"{loss:.6g}", "" if accuracy is None else f"{accuracy:.6g}", f"{rate:.6g}", "", ""])

    def close(self):
        if self.handle:
            self.handle.close()


def main():
    args = parse_arguments()
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    device = torch.device(args.device)
    if world > 1:
        backend = "nccl" if device.type == "cuda" else "gloo"
        dist.init_process_group(backend)
        if device.type == "cuda":
            device = torch.device("cuda", int(os.environ.get("LOCAL_RANK", "0")))
            torch.cuda.set_device(device)
    say = print if rank == 0 else (lambda *a, **k: None)

    with open(os.path.join(HERE, "export.json")) as handle:
        export = json.load(handle)
    model, training = export["model"], export["training"]
    torch.manual_seed(training["seed"])
    net = Net(model).to(device)
    if args.fresh:
        if model["cell"] == "lstm" and training["unit_forget_bias"]:
            hidden = model["hidden_size"]
            with torch.no_grad():
                for layer in range(model["layers"]):
                    getattr(net.rnn, f"bias_ih_l{layer}")[hidden : 2 * hidden] = 1
                    getattr(net.rnn, f"bias_hh_l{layer}")[hidden : 2 * hidden] = 0
    else:
        net.load_state_dict(load_file(args.init, device=str(device)))
    data = os.path.join(HERE, "data.safetensors")
    train_batches = load_batches(data, "train", device)
    validation_batches = load_batches(data, "validation", device)
    batch_size = train_batches[0][0].shape[1]
    for index, batch in enumerate(train_batches):
        if batch[0].shape[1] % world != 0:
            sys.exit(f"train.py: error: train batch {index} has {batch[0].shape[1]} sequences, which do not divide by {world} processes")
    wrapped = DistributedDataParallel(net) if world > 1 else net
    optimizer = make_optimizer(net.parameters(), training)
    base_rate = training["learning_rate"]
    clip = training.get("clip_norm")
    carry = training["carry_state"]
    head = model["head"]
    steps_per_epoch = len(train_batches)
    limits = []
    steps, epochs = args.steps or training.get("steps"), args.epochs or training.get("epochs")
    if steps is not None:
        limits.append(steps)
    if epochs is not None:
        limits.append(epochs * steps_per_epoch)
    total_steps = min(limits) if limits else 10 * steps_per_epoch
    say(f"train.py: {model['cell']} H={model['hidden_size']} x{model['layers']}, "
        f"{sum(p.numel() for p in net.parameters())} parameters; {steps_per_epoch} batches of {batch_size} "
        f"per epoch, {total_steps} steps on {world} process(es), {device.type}; "
        f"{'fresh weights' if args.fresh else 'weights ' + args.init}")

    first = prepare(train_batches[0], model)
    if not args.fresh:
        # The comparison with rnn-tui: the loss of the first batch on the loaded weights (no dropout).
        net.eval()
        with torch.no_grad():
            outputs, _ = net(first[0], net.initial_state(batch_size, device), first[3])
            loss, _ = loss_sum(head, outputs, first[1], first[2], first[3])
        net.train()
        check = loss.item() / counted(head, first[1], first[2], first[3], model["output_size"]).item()
        expected = export["expected_first_loss"]
        say(f"first batch loss {check:.6f} (rnn-tui: {expected:.6f}, difference {abs(check - expected):.1e})")

    log = MetricsLog(args.metrics if rank == 0 else None)
    tokens_per_second, started = 0.0, time.perf_counter()
    step, epoch, best, since_best = 0, 0, math.inf, 0
    patience = training.get("patience")
    finished = False
    while not finished:
        order = list(range(steps_per_epoch))
        if epoch > 0 and not carry:
            generator = torch.Generator().manual_seed((training["seed"] * 1000 + epoch) % 2**63)
            order = torch.randperm(steps_per_epoch, generator=generator).tolist()
        state = None
        for position, index in enumerate(order):
            inputs, targets, mask, lengths = prepare(train_batches[index], model)
            # The whole batch's count, so the per-process sums add up to the whole batch's mean.
            count = counted(head, targets, mask, lengths, model["output_size"]).to(device)
            target_dim = 1 if head in ("tokenEveryStep", "regressEveryStep") else 0
            inputs, mask, lengths = columns(inputs, rank, world, 1), columns(mask, rank, world, 1), columns(lengths, rank, world, 0)
            targets = columns(targets, rank, world, target_dim)
            if state is None or not carry:
                state = net.initial_state(inputs.shape[1], device)
            rate = base_rate * learning_rate_factor(training["schedule"], step)
            for group in optimizer.param_groups:
                group["lr"] = rate
            outputs, state = wrapped(inputs, state, lengths)
            total, _ = loss_sum(head, outputs, targets, mask, lengths)
            optimizer.zero_grad()
            (total / count * world).backward()
            if clip is not None:
                norm = torch.nn.utils.clip_grad_norm_(net.parameters(), clip)
            else:
                norm = torch.nn.utils.clip_grad_norm_(net.parameters(), math.inf)
            mean = total.detach().clone()
            if world > 1:
                dist.all_reduce(mean)
            mean = (mean / count).item()
            if not (math.isfinite(mean) and math.isfinite(norm.item())):
                say(f"step {step + 1}: diverged (loss {mean}, gradient norm {norm.item()}); stopping")
                finished = True
                break
            optimizer.step()
            state = detach(state) if carry else None
            step += 1
            now = time.perf_counter()
            measured = inputs.shape[0] * inputs.shape[1] * world / max(now - started, 1e-9)  # timesteps x sequences
            tokens_per_second = measured if step == 1 else 0.9 * tokens_per_second + 0.1 * measured
            started = now
            end_of_epoch = position == steps_per_epoch - 1
            log.step(step, epoch + 1 if end_of_epoch else epoch, mean, rate, norm.item(), tokens_per_second)
            if step == 1:
                say(f"step 1 train loss {mean:.6f}, gradient norm {norm.item():.6f}")
            finished = step >= total_steps
            if step % training["evaluation_interval"] == 0 or end_of_epoch or finished:
                if rank == 0:
                    loss, accuracy = evaluate(net, validation_batches, model, device)
                    extra = f", accuracy {accuracy:.4f}" if head in ("tokenEveryStep", "classifyLast") else ""
                    say(f"step {step} epoch {epoch} train loss {mean:.6f} | validation loss {loss:.6f}{extra}")
                    classifier = head in ("tokenEveryStep", "classifyLast")
                    log.evaluation(step, epoch + 1 if end_of_epoch else epoch, loss, accuracy if classifier else None, rate)
                    if loss < best:
                        best, since_best = loss, 0
                    else:
                        since_best += 1
                stop = torch.tensor([1.0 if patience is not None and since_best >= patience else 0.0])
                if world > 1:
                    dist.broadcast(stop, 0)
                if stop.item() > 0:
                    say(f"stopped early: no better validation loss in {patience} evaluations")
                    finished = True
            if finished:
                break
        epoch += 1

    log.close()
    if rank == 0:
        state_dict = {name: tensor.detach().cpu().contiguous() for name, tensor in net.state_dict().items()}
        save_file(state_dict, args.out, metadata=export["checkpoint_metadata"])
        say(f"wrote {args.out} (open it with rnn-tui inspect --checkpoint, rnn-tui train --init, or the notebook)")
    if world > 1:
        dist.barrier()
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
