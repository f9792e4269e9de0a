"""The playground's speed, measured by driving a real server.

A 2-8-8-2 ReLU network on the circle data, SGD at batch size 10,
``--epochs-per-frame`` epochs per frame, in two sizes: TensorFlow Playground's
500 points at a 50% training ratio (250 training points), and 1000 points (500
training points). For ``--seconds`` the benchmark reads the frames the server sends and
reports epochs per second trained on the server, frames per second received and
the frame size. With Chromium and Playwright installed it then opens the real page,
presses Play and counts the frames the page itself receives and draws.

Targets: >= 200 epochs per second while the page receives >= 25 frames per second
with the 100x100 output map (TensorFlow Playground trains one epoch per frame).

    python benchmarks/playground.py [--epochs-per-frame 8] [--seconds 8]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CONFIG = {"dataset": "circle", "train_ratio": 0.5, "batch_size": 10,
          "layers": [8, 8], "activations": ["relu", "relu"], "optimizer": "sgd", "lr": 0.03}


def start_server():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "mlplab", "playground", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    for _ in range(150):
        try:
            urllib.request.urlopen(url + "health", timeout=1)
            return proc, url
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the playground server did not start")


async def socket_run(url, epf, seconds, n_samples):
    import websockets

    async with websockets.connect(url.replace("http", "ws") + "ws", max_size=None) as ws:
        await ws.send(json.dumps({"type": "config", "config": {**CONFIG, "epochs_per_frame": epf,
                                                                "n_samples": n_samples}}))
        while json.loads(await ws.recv())["type"] != "frame":
            pass
        await ws.send(json.dumps({"type": "play"}))
        first = None
        frames = size = 0
        while True:
            text = await ws.recv()
            msg = json.loads(text)
            if msg["type"] != "frame":
                continue
            if first is None:
                first, start = msg["epoch"], time.perf_counter()
                continue
            frames += 1
            size += len(text)
            last = msg["epoch"]
            if time.perf_counter() - start >= seconds:
                break
        elapsed = time.perf_counter() - start
        await ws.send(json.dumps({"type": "pause"}))
        return (last - first) / elapsed, frames / elapsed, size / frames


def page_run(url, epf, seconds, n_samples):
    from playwright.sync_api import sync_playwright

    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"]
    hash_ = (f"#dataset=circle&n_samples={n_samples}&layers=8,8&activations=relu,relu"
             f"&epochs_per_frame={epf}")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(url + hash_)
        page.wait_for_function("window.mlplab.frames > 0")
        page.click("#play")
        page.wait_for_timeout(1000)
        probe = "[window.mlplab.frames, window.mlplab.state.frame.epoch, performance.now()]"
        f0, e0, t0 = page.evaluate(probe)
        page.wait_for_timeout(seconds * 1000)
        f1, e1, t1 = page.evaluate(probe)
        browser.close()
    dt = (t1 - t0) / 1000
    return (e1 - e0) / dt, (f1 - f0) / dt


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs-per-frame", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=8)
    args = parser.parse_args(argv)
    proc, url = start_server()
    try:
        for n_samples in (500, 1000):
            print(f"circle, {n_samples} points ({n_samples // 2} training), batch 10, "
                  f"{args.epochs_per_frame} epochs per frame")
            eps, fps, size = asyncio.run(socket_run(url, args.epochs_per_frame, args.seconds, n_samples))
            print(f"  socket client : {eps:6.0f} epochs/s   {fps:5.1f} frames/s   "
                  f"{size / 1024:.1f} KB per frame (JSON with base64 maps)")
            if not Path("/usr/bin/chromium").exists():
                print("  page          : skipped (no /usr/bin/chromium)")
                continue
            try:
                eps, fps = page_run(url, args.epochs_per_frame, args.seconds, n_samples)
            except ImportError:
                print("  page          : skipped (pip install playwright)")
                continue
            print(f"  page          : {eps:6.0f} epochs/s   {fps:5.1f} frames/s received and drawn")
            ok = eps >= 200 and fps >= 25
            print(f"  targets >= 200 epochs/s and >= 25 frames/s in the page: {'met' if ok else 'NOT met'}")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    main()
