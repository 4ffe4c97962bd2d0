#!/usr/bin/env python3
"""Exports Fixtures/onnx/torch-small.onnx with torch.onnx.export (tooling only; needs PyTorch,
e.g. Debian's python3-torch). A small conv stem, `x.view(x.size(0), -1)`-style flattening and a
one-layer transformer encoder, exported with a dynamic batch axis so that the file carries the
Shape -> Gather -> Unsqueeze -> Concat -> Reshape subgraphs torch emits."""
import os

import torch
from torch import nn


class Small(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
                                  nn.MaxPool2d(2))                      # [b, 16, 8, 8]
        self.encoder = nn.TransformerEncoderLayer(d_model=16, nhead=4, dim_feedforward=32, batch_first=True)
        self.head = nn.Linear(16, 10)

    def forward(self, x):
        features = self.stem(x)
        tokens = features.view(features.size(0), features.size(1), -1).transpose(1, 2)   # [b, 64, 16]
        encoded = self.encoder(tokens)
        return self.head(encoded.mean(dim=1))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Small().eval()
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures", "onnx", "torch-small.onnx")
    torch.onnx.export(model, torch.randn(1, 3, 32, 32), path, opset_version=14, input_names=["x"], output_names=["y"],
                      dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}}, do_constant_folding=False)
    print(path, os.path.getsize(path))
