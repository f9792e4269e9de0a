"""``mlplab playground``: the browser playground, a local web server."""

from __future__ import annotations

from .options import number


def _serve():
    try:
        from ..playground.app import serve
    except ImportError as exc:  # fastapi / uvicorn missing
        raise ValueError(f"the playground needs the 'playground' extra: pip install 'mlplab[playground]' "
                         f"({exc})") from None
    return serve


def _cmd_playground(args) -> int:
    serve = _serve()
    print(f"mlplab playground on http://{args.host}:{args.port}/  (Ctrl-C to stop)")
    serve(args.host, args.port, open_browser=args.open)
    return 0


def _cmd_playground_at(port: int, presets) -> int:
    """``mlplab lesson X --playground``: the playground on this machine, opened on the
    lesson's first preset (the page lists the others)."""
    serve = _serve()
    page = f"#preset={presets[0]}" if presets else ""
    print(f"mlplab playground on http://127.0.0.1:{port}/{page}  (Ctrl-C to stop)")
    if presets:
        print(f"this lesson's presets: {', '.join(presets)} (open one with #preset=NAME)")
    serve("127.0.0.1", port, open_browser=True, page=page)
    return 0


def add(sub):
    pg = sub.add_parser("playground", help="start the browser playground (a local web server)")
    pg.add_argument("--host", default="127.0.0.1",
                    help="address to bind (default 127.0.0.1: this machine only)")
    pg.add_argument("--port", type=number(int, lambda v: 0 <= v <= 65535, "a port from 0 to 65535"),
                    default=8000, help="default 8000")
    pg.add_argument("--open", action="store_true", help="open the page in a browser")
    pg.set_defaults(run=_cmd_playground)
