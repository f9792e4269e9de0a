"""``mlplab export MODEL.npz --to onnx|torch OUT``: a saved model for other tools."""

from __future__ import annotations

FORMATS = ("onnx", "torch")


def _cmd_export(args) -> int:
    from .. import nn
    from ..nn._atomic import atomic_file, check_target

    check_target(args.out, create_parents=False, what=f"{args.to} file")
    model = nn.load(args.model)
    if args.to == "onnx":
        from ..interop.onnx import to_onnx

        to_onnx(model, args.out, replica=args.replica)
        how = "onnxruntime.InferenceSession(path).run(['Y'], {'X': x})"
    else:
        import torch

        module = model.to_torch(replica=args.replica)
        with atomic_file(args.out, "wb") as f:
            torch.save(module, f)
        how = "torch.load(path, weights_only=False)"
    print(f"wrote {args.out} ({args.to}: {model.n_inputs} inputs -> {model.n_outputs} outputs, "
          f"{model.dtype}); load it with {how}")
    scaler = (model.meta or {}).get("scaler") or {}
    if scaler.get("kind", "none") != "none":
        print(f"note: the network expects features scaled as in training ({scaler.get('kind')}: "
              f"x_scaled = (x - offset) / scale)")
        if len(scaler.get("offset", ())) <= 8:
            for name in ("offset", "scale"):
                print(f"      {name:6} = [{', '.join(f'{v:.6g}' for v in scaler[name])}]")
        print(f"      in Python: mlplab.nn.load({str(args.model)!r}).meta['scaler']")
    return 0


def add(sub):
    p = sub.add_parser("export", help="write a saved model as an ONNX file or a PyTorch module",
                       description="Export a model saved by `mlplab train --save` (inference mode: "
                                   "dropout off, batch norm with its running statistics).")
    p.add_argument("model", metavar="MODEL.npz", help="a model saved by `mlplab train --save`")
    p.add_argument("--to", choices=FORMATS, required=True,
                   help="onnx (needs the 'onnx' extra) or torch (a pickled torch.nn.Sequential; "
                        "the 'torch' extra)")
    p.add_argument("out", metavar="OUT", help="the file to write (net.onnx, net.pt)")
    p.add_argument("--replica", type=int, metavar="K",
                   help="for a model of several seeds: export replica K (from 0)")
    p.set_defaults(run=_cmd_export)
