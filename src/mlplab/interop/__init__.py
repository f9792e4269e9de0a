"""Bridges to other tools: PyTorch (:mod:`.torch`), ONNX (:mod:`.onnx`), scikit-learn
(:mod:`.sklearn`, also as :mod:`mlplab.estimators`); the side-by-side check against
PyTorch is :mod:`mlplab.lab.verify`. Each imports its tool lazily and names the extra
to install when it is missing."""
