"""The preview's routes: the page, its static bundle, and the JSON/bytes API the page uses."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from briefgen.preview import workers
from briefgen.preview.files import (
    YAML_SUFFIXES,
    Folder,
    OutsideFolder,
    current_etag,
    read_with_etag,
    save_text,
)
from briefgen.preview.guard import Gate, GuardMiddleware
from briefgen.preview.watch import Watcher
from briefgen.preview.workers import Failed, Job, RenderPool
from briefgen.writers import FORMATS

STATIC = Path(__file__).resolve().parent / "static"
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
KEEP_ALIVE_SECONDS = 15.0


@dataclass
class Preview:
    """The running preview's state: one served folder, its watcher, the pool, pending renders."""

    folder: Folder
    gate: Gate
    pool: RenderPool
    watcher: Watcher = field(init=False)
    latest: dict[tuple[str, str, str], int] = field(default_factory=dict)
    locks: dict[Any, asyncio.Lock] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.watcher = Watcher(self.folder)

    def job(self, path: str, text: str) -> Job:
        return Job(str(self.folder.root), self.watcher.generation, path, text)

    def lock(self, key: Any) -> asyncio.Lock:
        return self.locks.setdefault(key, asyncio.Lock())


def refuse(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status)


async def body_json(request: Request) -> dict[str, Any]:
    try:
        data = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        data = None
    if not isinstance(data, dict):
        raise BadRequest("the request body must be a JSON object")
    return data


class BadRequest(Exception):
    pass


def text_field(data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    if not isinstance(value, str):
        raise BadRequest(f"`{name}` must be a string")
    return value


def meeting_path(preview: Preview, relative: str) -> Path:
    path = preview.folder.confine(relative)
    if path.suffix not in YAML_SUFFIXES:
        raise OutsideFolder(relative)  # the API reads and writes YAML files only
    return path


def create_app(preview: Preview) -> Starlette:
    async def index(request: Request) -> Response:
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-store"})

    async def list_files(request: Request) -> Response:
        return JSONResponse({"files": preview.folder.meeting_files()})

    async def project(request: Request) -> Response:
        info = await preview.pool.call(
            workers.project_info, str(preview.folder.root), preview.watcher.generation
        )
        from briefgen.preview.schema import editor_schema

        info["schema"] = editor_schema(info["levels"])
        return JSONResponse(info)

    async def get_file(request: Request) -> Response:
        path = meeting_path(preview, request.path_params["path"])
        try:
            text, etag = read_with_etag(path)
        except FileNotFoundError:
            return refuse(404, "no such file")
        except UnicodeDecodeError:
            return refuse(422, "the file is not UTF-8 text")
        return JSONResponse({"text": text, "etag": etag})

    async def put_file(request: Request) -> Response:
        relative = request.path_params["path"]
        path = meeting_path(preview, relative)
        data = await body_json(request)
        text = text_field(data, "text")
        etag = data.get("etag")
        async with preview.lock(("save", path)):
            if current_etag(path) != etag:
                return refuse(
                    409, "the file changed on disk since it was opened", etag=current_etag(path)
                )
            if data.get("force") is not True:
                job = preview.job(relative, text)
                problems = await preview.pool.call(workers.check, job, False)
                if problems:
                    return JSONResponse({"diagnostics": problems}, status_code=422)
            new_etag = await asyncio.to_thread(save_text, path, text)
        return JSONResponse({"etag": new_etag})

    async def check(request: Request) -> Response:
        data = await body_json(request)
        relative, text = text_field(data, "path"), text_field(data, "text")
        meeting_path(preview, relative)
        problems = await preview.pool.call(workers.check, preview.job(relative, text))
        return JSONResponse({"diagnostics": problems})

    async def render(request: Request) -> Response:
        data = await body_json(request)
        relative, text = text_field(data, "path"), text_field(data, "text")
        audience = data.get("audience", "staff")
        fmt = data.get("format", "pdf")
        if not isinstance(audience, str) or fmt not in FORMATS:
            raise BadRequest(f"`format` must be one of {', '.join(FORMATS)}")
        meeting_path(preview, relative)
        # A newer edit of the same file for the same view supersedes this one if it arrives
        # while this one waits for the previous render: only the newest text is rendered.
        key = (relative, audience, fmt)
        ticket = preview.latest[key] = preview.latest.get(key, 0) + 1
        async with preview.lock(key):
            if preview.latest[key] != ticket:
                return refuse(409, "superseded by a newer edit", superseded=True)
            try:
                result = await preview.pool.call(
                    workers.render, preview.job(relative, text), audience, fmt
                )
            except Failed as exc:
                return JSONResponse({"diagnostics": exc.diagnostics}, status_code=422)
        stem = Path(relative).stem
        return Response(
            result.data,
            media_type=CONTENT_TYPES[fmt],
            headers={
                "X-Briefgen-Marking": quote(result.marking),
                "Content-Disposition": f'inline; filename="{quote(stem)}.{quote(audience)}.{fmt}"',
                "Cache-Control": "no-store",
            },
        )

    async def events(request: Request) -> Response:
        async def stream() -> AsyncIterator[str]:
            with preview.watcher.subscribe() as queue:
                yield "retry: 1000\n\n"
                while True:
                    try:
                        item = await asyncio.wait_for(queue.get(), KEEP_ALIVE_SECONDS)
                    except asyncio.TimeoutError:
                        yield ": keep-alive\n\n"
                        continue
                    if item is None:  # the server is stopping
                        return
                    yield f"data: {json.dumps(item)}\n\n"

        return StreamingResponse(
            stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"}
        )

    async def outside(request: Request, exc: Exception) -> Response:
        return refuse(403, "that path is outside the served folder, or not a YAML file")

    async def bad_request(request: Request, exc: Exception) -> Response:
        return refuse(400, str(exc))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        task = asyncio.create_task(preview.watcher.run())
        try:
            yield
        finally:
            preview.watcher.stop()
            await task

    routes = [
        Route("/", index),
        Route("/api/files", list_files),
        Route("/api/files/{path:path}", get_file, methods=["GET"]),
        Route("/api/files/{path:path}", put_file, methods=["PUT"]),
        Route("/api/project", project),
        Route("/api/check", check, methods=["POST"]),
        Route("/api/render", render, methods=["POST"]),
        Route("/api/events", events),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    return Starlette(
        routes=routes,
        middleware=[Middleware(GuardMiddleware, gate=preview.gate)],
        exception_handlers={OutsideFolder: outside, BadRequest: bad_request},
        lifespan=lifespan,
    )
