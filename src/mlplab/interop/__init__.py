"""Bridges to other tools: PyTorch (:mod:`.torch`), ONNX (:mod:`.onnx`) and the
side-by-side check against PyTorch (:mod:`.verify`). Each imports its tool lazily and
names the extra to install when it is missing."""
