"""The playground's web app: FastAPI routes and the WebSocket endpoint.

(No ``from __future__ import annotations`` here: FastAPI reads the endpoint's
parameter types at run time.)
"""

import asyncio
import threading
from importlib import resources

from fastapi import FastAPI, WebSocket, WebSocketDisconnect
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from .connection import Connection


def create_app():
    static = resources.files(__package__) / "static"
    app = FastAPI(title="mlplab playground", docs_url=None, redoc_url=None)
    app.state.connections = set()
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    @app.get("/", response_class=HTMLResponse)
    def index():
        return (static / "index.html").read_text(encoding="utf-8")

    @app.get("/favicon.ico")
    def favicon():
        return Response(content=(static / "favicon.svg").read_bytes(), media_type="image/svg+xml")

    @app.get("/presets")
    def presets():
        from .presets import presets as all_presets
        return JSONResponse({"presets": all_presets()})

    @app.get("/health")
    def health():
        return JSONResponse({"status": "ok", "sessions": len(app.state.connections)})

    @app.websocket("/ws")
    async def ws(websocket: WebSocket):
        await websocket.accept()
        conn = Connection(websocket.send_text, asyncio.get_running_loop())
        app.state.connections.add(conn)
        conn.start()
        try:
            while True:
                message = await websocket.receive()
                if message["type"] == "websocket.disconnect":
                    break
                # text or binary frame: the connection answers a binary one with an error
                text = message.get("text")
                await conn.handle(text if text is not None else message.get("bytes") or b"")
        except WebSocketDisconnect:
            pass
        finally:
            app.state.connections.discard(conn)
            await asyncio.get_running_loop().run_in_executor(None, conn.stop)

    return app


def serve(host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False, page: str = ""):
    """Run the playground at ``http://host:port/``; ``open_browser`` opens that page plus
    ``page`` (e.g. ``"#preset=a-disc-ring-4-4"``) in a browser once the server is up."""
    import uvicorn

    if open_browser:
        import webbrowser
        threading.Timer(1.0, lambda: webbrowser.open(f"http://{host}:{port}/{page}")).start()
    # one BLAS thread (unless `mlplab --threads N` chose): the matrices are tiny, and idle BLAS
    # threads spinning on the second core would take it from the browser drawing the frames
    from ..nn import blas_threads
    if blas_threads.chosen() is None:
        blas_threads.set_threads(blas_threads.DEFAULT)
    # frames are base64 maps on a local socket: compressing them costs more than it saves
    uvicorn.run(create_app(), host=host, port=port, log_level="warning", ws_per_message_deflate=False)
