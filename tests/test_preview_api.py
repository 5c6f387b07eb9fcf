"""The preview's HTTP API against a real server: every endpoint, and every refusal."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from tests.conftest import EXAMPLE
from tests.preview_support import Running, make_project, pdf_text, running

TITLE = "NATO Secretary General Meets Chair of the Presidency of Bosnia and Herzegovina"
EXAMPLE_TEXT = EXAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    root = make_project(tmp_path_factory.mktemp("preview") / "project")
    (root / "notes.txt").write_text("not YAML\n", encoding="utf-8")
    with running(root) as started:
        yield started


@pytest.fixture
def api(server: Running) -> Iterator[httpx.Client]:
    with server.client() as client:
        yield client


def root_of(server: Running) -> Path:
    return server.preview.folder.root


# ---- files ---------------------------------------------------------------------------------


def test_files_lists_the_meeting_files_only(api: httpx.Client) -> None:
    files = api.get("/api/files").json()["files"]
    assert "example.yaml" in files and "sub/second.yaml" in files
    # briefgen.yaml, themes and labels are YAML but not meetings
    assert not [f for f in files if f.startswith("tpl/") or f == "briefgen.yaml"]


def test_get_file_gives_the_text_and_an_etag(api: httpx.Client) -> None:
    answer = api.get("/api/files/sub/second.yaml")
    assert answer.status_code == 200
    body = answer.json()
    assert body["text"] == EXAMPLE_TEXT
    assert len(body["etag"]) == 32
    assert api.get("/api/files/sub/second.yaml").json()["etag"] == body["etag"]


def test_get_missing_file_is_404(api: httpx.Client) -> None:
    assert api.get("/api/files/nothing-here.yaml").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "../outside.yaml",
        "sub/../../outside.yaml",
        "/etc/passwd.yaml",
        "notes.txt",
        "tpl/staff.md.j2",
        "link-out.yaml",
    ],
)
def test_paths_outside_the_folder_or_not_yaml_are_403(
    server: Running, api: httpx.Client, path: str
) -> None:
    # Quoted, so the HTTP client sends the dots and slashes instead of normalising them away.
    in_url = quote(path, safe="")
    outside = root_of(server).parent / "outside.yaml"
    outside.write_text(EXAMPLE_TEXT, encoding="utf-8")
    link = root_of(server) / "link-out.yaml"
    if not link.is_symlink():
        link.symlink_to(outside)
    assert api.get(f"/api/files/{in_url}").status_code == 403
    answer = api.put(f"/api/files/{in_url}", json={"text": "x: 1\n", "etag": None, "force": True})
    assert answer.status_code == 403
    assert api.post("/api/check", json={"path": path, "text": EXAMPLE_TEXT}).status_code == 403
    assert api.post("/api/render", json={"path": path, "text": EXAMPLE_TEXT}).status_code == 403
    assert outside.read_text(encoding="utf-8") == EXAMPLE_TEXT  # never written through


def test_put_saves_atomically_and_returns_the_new_etag(server: Running, api: httpx.Client) -> None:
    target = root_of(server) / "saved.yaml"
    target.write_text(EXAMPLE_TEXT, encoding="utf-8")
    os.chmod(target, 0o600)
    etag = api.get("/api/files/saved.yaml").json()["etag"]
    new_text = EXAMPLE_TEXT.replace("NATO Headquarters, Brussels", "Sarajevo")
    answer = api.put("/api/files/saved.yaml", json={"text": new_text, "etag": etag})
    assert answer.status_code == 200
    assert target.read_text(encoding="utf-8") == new_text
    assert target.stat().st_mode & 0o777 == 0o600  # the file keeps its permissions
    assert answer.json()["etag"] == api.get("/api/files/saved.yaml").json()["etag"] != etag
    assert [p.name for p in target.parent.glob(".saved.yaml.*")] == []  # no temporary left


def test_put_with_a_stale_etag_is_409_and_writes_nothing(
    server: Running, api: httpx.Client
) -> None:
    target = root_of(server) / "conflict.yaml"
    target.write_text(EXAMPLE_TEXT, encoding="utf-8")
    etag = api.get("/api/files/conflict.yaml").json()["etag"]
    changed_elsewhere = EXAMPLE_TEXT + "# edited in another editor\n"
    target.write_text(changed_elsewhere, encoding="utf-8")
    answer = api.put("/api/files/conflict.yaml", json={"text": EXAMPLE_TEXT, "etag": etag})
    assert answer.status_code == 409
    assert answer.json()["etag"] == api.get("/api/files/conflict.yaml").json()["etag"]
    assert target.read_text(encoding="utf-8") == changed_elsewhere


def test_put_of_an_invalid_meeting_is_422_unless_forced(server: Running, api: httpx.Client) -> None:
    target = root_of(server) / "invalid.yaml"
    target.write_text(EXAMPLE_TEXT, encoding="utf-8")
    etag = api.get("/api/files/invalid.yaml").json()["etag"]
    broken = EXAMPLE_TEXT.replace("purpose:", "purpse:")
    answer = api.put("/api/files/invalid.yaml", json={"text": broken, "etag": etag})
    assert answer.status_code == 422
    assert [d["message"] for d in answer.json()["diagnostics"]] == ["purpse: unknown key `purpse`"]
    assert target.read_text(encoding="utf-8") == EXAMPLE_TEXT
    forced = api.put("/api/files/invalid.yaml", json={"text": broken, "etag": etag, "force": True})
    assert forced.status_code == 200
    assert target.read_text(encoding="utf-8") == broken


def test_put_creates_a_new_file_with_a_null_etag(server: Running, api: httpx.Client) -> None:
    answer = api.put("/api/files/sub/new.yaml", json={"text": EXAMPLE_TEXT, "etag": None})
    assert answer.status_code == 200
    assert (root_of(server) / "sub" / "new.yaml").read_text(encoding="utf-8") == EXAMPLE_TEXT
    again = api.put("/api/files/sub/new.yaml", json={"text": EXAMPLE_TEXT, "etag": None})
    assert again.status_code == 409  # it exists now: a null etag no longer matches


def test_bad_bodies_are_400(api: httpx.Client) -> None:
    assert api.post("/api/check", content=b"not json").status_code == 400
    assert api.post("/api/check", json=["a list"]).status_code == 400
    assert api.post("/api/check", json={"path": "example.yaml"}).status_code == 400
    answer = api.post(
        "/api/render", json={"path": "example.yaml", "text": EXAMPLE_TEXT, "format": "odt"}
    )
    assert answer.status_code == 400


# ---- check and render ----------------------------------------------------------------------


def test_check_reports_validation_errors_at_their_line_with_the_hint(api: httpx.Client) -> None:
    text = EXAMPLE_TEXT.replace("  location: NATO", "  locaton: NATO")
    line = text.splitlines().index("  locaton: NATO Headquarters, Brussels") + 1
    answer = api.post("/api/check", json={"path": "example.yaml", "text": text})
    assert answer.status_code == 200
    assert answer.json()["diagnostics"] == [
        {
            "file": "example.yaml",
            "line": line,
            "column": 3,
            "severity": "error",
            "code": "validation",
            "message": "meeting.locaton: unknown key `locaton`",
            "hint": answer.json()["diagnostics"][0]["hint"],
        }
    ]
    assert answer.json()["diagnostics"][0]["hint"].startswith("did you mean `location`?")


def test_check_reports_lint_warnings_of_a_valid_meeting(api: httpx.Client) -> None:
    text = EXAMPLE_TEXT.replace(
        "  location: NATO Headquarters, Brussels", "  location: NATO  Headquarters, Brussels"
    )
    diagnostics = api.post("/api/check", json={"path": "example.yaml", "text": text}).json()[
        "diagnostics"
    ]
    line = text.splitlines().index("  location: NATO  Headquarters, Brussels") + 1
    assert [(d["line"], d["severity"]) for d in diagnostics] == [(line, "warning")]
    assert diagnostics[0]["code"]  # the lint rule's code, e.g. for a word list


def test_check_of_a_clean_meeting_is_empty(api: httpx.Client) -> None:
    answer = api.post("/api/check", json={"path": "example.yaml", "text": EXAMPLE_TEXT})
    assert answer.json() == {"diagnostics": []}


def test_render_pdf_is_the_brief_with_its_marking(api: httpx.Client) -> None:
    text = EXAMPLE_TEXT.replace("NATO Headquarters, Brussels", "Unsaved Location Text")
    answer = api.post(
        "/api/render",
        json={"path": "example.yaml", "text": text, "audience": "staff", "format": "pdf"},
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["x-briefgen-marking"] == "PUBLIC"
    words = pdf_text(answer.content)
    assert "Unsaved Location Text" in words and "Staff brief" in words  # label: briefgen.yaml


def test_render_docx(api: httpx.Client) -> None:
    answer = api.post(
        "/api/render",
        json={"path": "example.yaml", "text": EXAMPLE_TEXT, "audience": "public", "format": "docx"},
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"].endswith("wordprocessingml.document")
    assert answer.content.startswith(b"PK")


def test_render_of_invalid_text_or_audience_is_422_with_diagnostics(api: httpx.Client) -> None:
    broken = EXAMPLE_TEXT.replace("purpose:", "purpse:")
    answer = api.post("/api/render", json={"path": "example.yaml", "text": broken})
    assert answer.status_code == 422
    assert answer.json()["diagnostics"][0]["code"] == "validation"
    answer = api.post(
        "/api/render", json={"path": "example.yaml", "text": EXAMPLE_TEXT, "audience": "staf"}
    )
    assert answer.status_code == 422
    assert answer.json()["diagnostics"][0]["code"] == "audience"
    assert "staff" in answer.json()["diagnostics"][0]["hint"]


def test_a_newer_edit_supersedes_a_waiting_render(api: httpx.Client) -> None:
    # A long meeting keeps the first render busy while two newer edits queue behind it: the
    # middle one is dropped, the newest is rendered.
    many = "".join(
        f"  - Point {i} about the shipping lanes and the grain corridor.\n" for i in range(1500)
    )
    slow = EXAMPLE_TEXT.replace("key_points:\n", f"key_points:\n{many}", 1)
    results: dict[str, httpx.Response] = {}

    def post(name: str, text: str) -> None:
        results[name] = api.post("/api/render", json={"path": "sub/second.yaml", "text": text})

    threads = [threading.Thread(target=post, args=("first", slow))]
    threads[0].start()
    time.sleep(0.4)
    for name in ("middle", "newest"):
        thread = threading.Thread(
            target=post,
            args=(
                name,
                EXAMPLE_TEXT.replace("NATO Headquarters, Brussels", f"{name.title()} Place"),
            ),
        )
        thread.start()
        threads.append(thread)
        time.sleep(0.1)
    for thread in threads:
        thread.join(60)
    assert results["first"].status_code == 200
    assert results["middle"].status_code == 409
    assert results["middle"].json()["superseded"] is True
    assert "Newest Place" in pdf_text(results["newest"].content)


def test_project_lists_audiences_and_a_schema_with_the_levels(api: httpx.Client) -> None:
    body = api.get("/api/project").json()
    assert {"principal", "staff", "public", "archive"} <= set(body["audiences"])
    assert body["audiences"]["staff"]["label"] == "Staff brief"
    classification = body["schema"]["$defs"]["MeetingInfo"]["properties"]["classification"]
    assert (
        classification["enum"]
        == body["levels"]
        == ["PUBLIC", "INTERNAL", "RESTRICTED", "CONFIDENTIAL"]
    )


# ---- events --------------------------------------------------------------------------------


def test_events_announce_a_file_changed_on_disk(server: Running) -> None:
    with server.client() as client, client.stream("GET", "/api/events") as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        lines = stream.iter_lines()
        assert next(lines).startswith("retry:")
        (root_of(server) / "sub" / "second.yaml").write_text(
            EXAMPLE_TEXT + "# touched\n", encoding="utf-8"
        )
        for line in lines:
            if line.startswith("data:"):
                assert json.loads(line[5:]) == {"changed": "sub/second.yaml"}
                break


# ---- refusals ------------------------------------------------------------------------------

API_CALLS = [
    ("GET", "/api/files", None),
    ("GET", "/api/files/example.yaml", None),
    ("PUT", "/api/files/example.yaml", {"text": "x", "etag": None, "force": True}),
    ("POST", "/api/check", {"path": "example.yaml", "text": EXAMPLE_TEXT}),
    ("POST", "/api/render", {"path": "example.yaml", "text": EXAMPLE_TEXT}),
    ("GET", "/api/events", None),
    ("GET", "/api/project", None),
]


@pytest.mark.parametrize(("method", "url", "body"), API_CALLS)
def test_every_api_call_needs_the_token(
    server: Running, method: str, url: str, body: object
) -> None:
    with server.client(token=False) as client:
        assert client.request(method, url, json=body).status_code == 403
        wrong = {"X-Briefgen-Token": server.token[:-1] + "x"}
        assert client.request(method, url, json=body, headers=wrong).status_code == 403
    assert (root_of(server) / "example.yaml").read_text(encoding="utf-8") == EXAMPLE_TEXT


def test_the_token_may_come_in_the_query(server: Running) -> None:
    with server.client(token=False) as client:
        assert client.get("/api/files", params={"token": server.token}).status_code == 200


@pytest.mark.parametrize(
    "host", ["evil.example:80", "evil.example", "127.0.0.1:1", "localhost.evil.example", ""]
)
def test_only_its_own_host_is_served(server: Running, host: str) -> None:
    with server.client() as client:
        assert client.get("/api/files", headers={"Host": host}).status_code == 403
        assert client.get("/", headers={"Host": host}).status_code == 403


def test_localhost_is_its_own_host(server: Running) -> None:
    port = server.base.rsplit(":", 1)[1]
    with server.client() as client:
        answer = client.get("/api/files", headers={"Host": f"localhost:{port}"})
        assert answer.status_code == 200


@pytest.mark.parametrize("origin", ["http://evil.example", "null", "http://127.0.0.1:1"])
def test_a_foreign_origin_is_refused(server: Running, origin: str) -> None:
    with server.client() as client:
        answer = client.post(
            "/api/render",
            headers={"Origin": origin},
            json={"path": "example.yaml", "text": EXAMPLE_TEXT},
        )
        assert answer.status_code == 403
        assert "Origin" in answer.json()["error"]


def test_its_own_origin_is_accepted(server: Running) -> None:
    with server.client() as client:
        answer = client.post(
            "/api/check",
            headers={"Origin": server.base},
            json={"path": "example.yaml", "text": EXAMPLE_TEXT},
        )
        assert answer.status_code == 200


def test_the_page_and_its_bundle_need_no_token(server: Running) -> None:
    with server.client(token=False) as client:
        page = client.get("/")
        assert page.status_code == 200
        assert '<script type="module" src="/static/app.js">' in page.text
        assert client.get("/static/app.js").status_code == 200
        assert client.get("/static/pdf.worker.min.mjs").status_code == 200
        assert client.get("/static/../pyproject.toml").status_code == 404
