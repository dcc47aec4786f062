"""The network of an rnn-tui run as a PyTorch module, written by `rnn-tui export pytorch`.

Attribute and parameter names are those of the rnn-tui checkpoint, so `Net.load_state_dict` takes its
tensors unchanged: `embedding` (nn.Embedding, token models with an embedding table), `rnn` (nn.RNN,
nn.LSTM, nn.GRU, or GRUResetBefore below) and `head` (nn.Linear from the top layer's h).
Shapes: tokens (T, B) ids, features (T, B, D), mask (T, B) 1 = real step; time-major like rnn-tui.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class GRUResetBefore(nn.Module):
    """A GRU with the reset gate applied before the recurrent product (Cho et al. 2014):

        r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)      z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
        n = tanh(W_in x + b_in + W_hn (r * h) + b_hn)   h' = (1 - z) * n + z * h

    nn.GRU applies r after the product (r * (W_hn h + b_hn)); this module has the same parameter names
    and shapes (weight_ih_l{k} (3H, I), weight_hh_l{k} (3H, H), bias_ih_l{k}, bias_hh_l{k}; gates r, z, n).
    A Python loop over time: slower than nn.GRU, exact.
    """

    def __init__(self, input_size, hidden_size, num_layers=1, dropout=0.0):
        super().__init__()
        self.hidden_size, self.num_layers, self.dropout = hidden_size, num_layers, dropout
        for layer in range(num_layers):
            width = input_size if layer == 0 else hidden_size
            self.register_parameter(f"weight_ih_l{layer}", nn.Parameter(torch.empty(3 * hidden_size, width)))
            self.register_parameter(f"weight_hh_l{layer}", nn.Parameter(torch.empty(3 * hidden_size, hidden_size)))
            self.register_parameter(f"bias_ih_l{layer}", nn.Parameter(torch.empty(3 * hidden_size)))
            self.register_parameter(f"bias_hh_l{layer}", nn.Parameter(torch.empty(3 * hidden_size)))
        bound = 1 / math.sqrt(hidden_size)
        for parameter in self.parameters():
            nn.init.uniform_(parameter, -bound, bound)

    def forward(self, x, h0):
        """x (T, B, I), h0 (L, B, H) -> outputs (T, B, H), h_T (L, B, H)."""
        hidden = self.hidden_size
        outputs, finals = x, []
        for layer in range(self.num_layers):
            if layer > 0 and self.training and self.dropout > 0:
                outputs = F.dropout(outputs, self.dropout, training=True)
            w_hh = getattr(self, f"weight_hh_l{layer}")
            b_hh = getattr(self, f"bias_hh_l{layer}")
            projected = F.linear(outputs, getattr(self, f"weight_ih_l{layer}"), getattr(self, f"bias_ih_l{layer}"))
            h, steps = h0[layer], []
            for t in range(x.shape[0]):
                i_r, i_z, i_n = projected[t].chunk(3, dim=1)
                h_r, h_z = F.linear(h, w_hh[: 2 * hidden], b_hh[: 2 * hidden]).chunk(2, dim=1)
                r = torch.sigmoid(i_r + h_r)
                z = torch.sigmoid(i_z + h_z)
                n = torch.tanh(i_n + F.linear(r * h, w_hh[2 * hidden :], b_hh[2 * hidden :]))
                h = (1 - z) * n + z * h
                steps.append(h)
            outputs = torch.stack(steps)
            finals.append(h)
        return outputs, torch.stack(finals)


class Net(nn.Module):
    """`model` is export.json's "model" object: cell, nonlinearity, gru_reset_after, input
    ("embedding", "one_hot" or "numeric"), input_size, vocabulary_size, hidden_size, layers, dropout,
    head, output_size."""

    def __init__(self, model):
        super().__init__()
        self.config = model
        cell, hidden, layers = model["cell"], model["hidden_size"], model["layers"]
        dropout = model["dropout"] if layers > 1 else 0.0
        if model["input"] == "embedding":
            self.embedding = nn.Embedding(model["vocabulary_size"], model["input_size"])
        if cell == "lstm":
            self.rnn = nn.LSTM(model["input_size"], hidden, layers, dropout=dropout)
        elif cell == "gru" and model["gru_reset_after"]:
            self.rnn = nn.GRU(model["input_size"], hidden, layers, dropout=dropout)
        elif cell == "gru":
            self.rnn = GRUResetBefore(model["input_size"], hidden, layers, dropout=dropout)
        else:
            self.rnn = nn.RNN(model["input_size"], hidden, layers, nonlinearity=model["nonlinearity"], dropout=dropout)
        self.head = nn.Linear(hidden, model["output_size"])

    def initial_state(self, batch_size, device):
        """Zeros: (L, B, H), or (h, c) for an LSTM."""
        zeros = torch.zeros(self.config["layers"], batch_size, self.config["hidden_size"], device=device)
        return (zeros, zeros.clone()) if self.config["cell"] == "lstm" else zeros

    def forward(self, inputs, state, lengths=None):
        """inputs: token ids (T, B) or features (T, B, D); lengths (B) real steps per sequence.
        Returns outputs — (T, B, O) for every-step heads, (B, O) read at each sequence's last real step —
        and the final state."""
        if self.config["input"] == "embedding":
            x = self.embedding(inputs)
        elif self.config["input"] == "one_hot":
            x = F.one_hot(inputs, self.config["vocabulary_size"]).float()
        else:
            x = inputs
        hidden, state = self.rnn(x, state)
        if self.config["head"] in ("tokenEveryStep", "regressEveryStep"):
            return self.head(hidden), state
        if lengths is None:
            last = hidden[-1]
        else:
            last = hidden[(lengths - 1).clamp(min=0), torch.arange(hidden.shape[1], device=hidden.device)]
        return self.head(last), state


def counted(head, targets, mask, lengths, output_size):
    """How many terms rnn-tui's mean loss divides by: real positions (or non-empty sequences) for
    cross-entropy, times the output width for squared error."""
    if head == "tokenEveryStep":
        return mask.sum() if mask is not None else torch.tensor(float(targets.numel()))
    if head == "regressEveryStep":
        positions = mask.sum() if mask is not None else torch.tensor(float(targets.shape[0] * targets.shape[1]))
        return positions * output_size
    sequences = (lengths > 0).sum().float() if lengths is not None else torch.tensor(float(targets.shape[0]))
    return sequences * (output_size if head == "regressLast" else 1)


def loss_sum(head, outputs, targets, mask, lengths):
    """The head's loss summed over counted positions and the number of correct predictions, as rnn-tui
    counts them: cross-entropy per real position (or per non-empty sequence), squared error per value of
    each real position (or non-empty sequence). The mean loss is this sum / `counted(...)`."""
    zero = torch.zeros((), device=outputs.device)
    if head == "tokenEveryStep":
        weight = mask if mask is not None else torch.ones_like(targets, dtype=outputs.dtype)
        losses = F.cross_entropy(outputs.reshape(-1, outputs.shape[-1]), targets.reshape(-1), reduction="none")
        correct = ((outputs.argmax(-1) == targets).to(outputs.dtype) * weight).sum()
        return (losses * weight.reshape(-1)).sum(), correct
    if head == "regressEveryStep":
        weight = mask if mask is not None else torch.ones(outputs.shape[:2], device=outputs.device)
        return (((outputs - targets) ** 2).sum(-1) * weight).sum(), zero
    weight = (lengths > 0).to(outputs.dtype) if lengths is not None else torch.ones(outputs.shape[0], device=outputs.device)
    if head == "classifyLast":
        losses = F.cross_entropy(outputs, targets, reduction="none")
        correct = ((outputs.argmax(-1) == targets).to(outputs.dtype) * weight).sum()
        return (losses * weight).sum(), correct
    return (((outputs - targets) ** 2).sum(-1) * weight).sum(), zero
