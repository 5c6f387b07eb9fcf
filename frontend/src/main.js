// The briefgen preview page: a YAML editor on the left, the brief's PDF pages on the right.
// It talks only to the documented HTTP API (README, "Preview"); the token comes from the URL.
import { autocompletion, completionKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { yaml, yamlLanguage } from "@codemirror/lang-yaml";
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from "@codemirror/language";
import { lintGutter, setDiagnostics } from "@codemirror/lint";
import { EditorState } from "@codemirror/state";
import { EditorView, drawSelection, highlightActiveLine, hoverTooltip, keymap, lineNumbers } from "@codemirror/view";
import { stateExtensions, updateSchema } from "codemirror-json-schema";
import { yamlCompletion, yamlSchemaHover } from "codemirror-json-schema/yaml";
import * as pdfjs from "pdfjs-dist";

pdfjs.GlobalWorkerOptions.workerSrc = "/static/pdf.worker.min.mjs";

const TOKEN = new URLSearchParams(location.search).get("token") || "";
const PAUSE_MS = 350; // re-check and re-render after this much quiet in typing
const $ = (id) => document.getElementById(id);

const state = { path: null, etag: null, saved: "", audiences: {}, timer: null, lastGood: {} };

async function api(method, url, body) {
  const response = await fetch(url, {
    method,
    headers: { "X-Briefgen-Token": TOKEN, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return response;
}

function status(text, kind = "") {
  const el = $("status");
  el.textContent = text;
  el.className = kind;
}

// ---- editor -------------------------------------------------------------------------------
const view = new EditorView({
  parent: $("editor"),
  state: EditorState.create({
    doc: "",
    extensions: [
      lineNumbers(), history(), drawSelection(), highlightActiveLine(), indentOnInput(),
      bracketMatching(), syntaxHighlighting(defaultHighlightStyle), lintGutter(),
      yaml(), yamlLanguage.data.of({ autocomplete: yamlCompletion() }),
      hoverTooltip(yamlSchemaHover()), stateExtensions(), autocompletion(),
      keymap.of([
        { key: "Mod-s", preventDefault: true, run: () => { save(false); return true; } },
        indentWithTab, ...completionKeymap, ...defaultKeymap, ...historyKeymap,
      ]),
      EditorView.updateListener.of((update) => { if (update.docChanged) edited(); }),
    ],
  }),
});

const text = () => view.state.doc.toString();

function setText(value) {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: value } });
}

function edited() {
  $("dirty").hidden = text() === state.saved;
  clearTimeout(state.timer);
  state.timer = setTimeout(refresh, PAUSE_MS);
}

// ---- diagnostics --------------------------------------------------------------------------
function showDiagnostics(diagnostics) {
  const doc = view.state.doc;
  const marks = [];
  const list = $("problems");
  list.replaceChildren();
  for (const d of diagnostics) {
    const ours = !d.file || d.file === state.path;
    const line = ours && d.line ? Math.min(d.line, doc.lines) : null;
    let mark = null;
    if (line) {
      const info = doc.line(line);
      const from = Math.min(info.from + Math.max((d.column || 1) - 1, 0), info.to);
      const to = from < info.to ? Math.min(info.to, from + wordLength(info.text, from - info.from)) : from;
      mark = { from, to, severity: d.severity, source: d.code,
               message: d.hint ? `${d.message}\nhint: ${d.hint}` : d.message };
      marks.push(mark);
    }
    const item = document.createElement("li");
    item.className = d.severity;
    item.dataset.line = line || "";
    const where = `${ours ? "" : (d.file || "") + ":"}${d.line ?? "?"}:${d.column ?? "?"}`;
    item.textContent = `${where}: ${d.severity}[${d.code}]: ${d.message}${d.hint ? " — hint: " + d.hint : ""}`;
    if (mark) item.onclick = () => { view.dispatch({ selection: { anchor: mark.from }, scrollIntoView: true }); view.focus(); };
    list.append(item);
  }
  list.hidden = diagnostics.length === 0;
  view.dispatch(setDiagnostics(view.state, marks));
}

function wordLength(lineText, start) {
  const match = /^[^\s:]+/.exec(lineText.slice(start));
  return match ? match[0].length : 1;
}

// ---- preview ------------------------------------------------------------------------------
const panes = {
  main: { el: () => $("pages-main"), audience: () => $("audience").value, controller: null },
  compare: { el: () => $("pages-compare"), audience: () => $("compare").value, controller: null },
};

async function renderPane(name, source) {
  const pane = panes[name];
  const audience = pane.audience();
  const box = pane.el().closest(".pane");
  box.hidden = !audience;
  if (!audience) return null;
  box.querySelector(".pane-title").textContent = state.audiences[audience]?.label || audience;
  pane.controller?.abort(); // a newer edit supersedes the render still on its way
  pane.controller = new AbortController();
  let response;
  try {
    response = await fetch("/api/render", {
      method: "POST", signal: pane.controller.signal,
      headers: { "X-Briefgen-Token": TOKEN, "Content-Type": "application/json" },
      body: JSON.stringify({ path: state.path, text: source, audience, format: "pdf" }),
    });
  } catch (error) {
    if (error.name === "AbortError") return null;
    throw error;
  }
  if (response.status === 409) return null; // superseded on the server
  if (response.status === 422) return (await response.json()).diagnostics;
  if (!response.ok) { status(`render failed: ${response.status}`, "error"); return null; }
  const marking = decodeURIComponent(response.headers.get("X-Briefgen-Marking") || "");
  const bytes = new Uint8Array(await response.arrayBuffer());
  await drawPages(pane.el(), bytes);
  const badge = box.querySelector(".marking");
  badge.textContent = marking;
  badge.dataset.marking = marking;
  state.lastGood[name] = { audience, text: source };
  return [];
}

async function drawPages(container, bytes) {
  const scroller = container.closest(".pages-scroll");
  const keep = scroller.scrollTop; // re-rendering must not jump the reader back to page 1
  const pdf = await pdfjs.getDocument({ data: bytes, isEvalSupported: false }).promise;
  const fresh = document.createDocumentFragment();
  for (let number = 1; number <= pdf.numPages; number++) {
    const page = await pdf.getPage(number);
    // Fit the pane's width (two audiences side by side get half each), within reason.
    const natural = page.getViewport({ scale: 1 }).width;
    const room = Math.max(scroller.clientWidth - 28, 200);
    const viewport = page.getViewport({ scale: Math.min(Math.max(room / natural, 0.5), 2) });
    const canvas = document.createElement("canvas");
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.floor(viewport.width * ratio);
    canvas.height = Math.floor(viewport.height * ratio);
    canvas.style.width = `${Math.floor(viewport.width)}px`;
    await page.render({ canvasContext: canvas.getContext("2d"), viewport,
                        transform: ratio !== 1 ? [ratio, 0, 0, ratio, 0, 0] : null }).promise;
    // The page's words, for screen readers and find-in-page (the canvas itself is an image).
    const words = (await page.getTextContent()).items.map((item) => item.str).join(" ");
    const wrapper = document.createElement("figure");
    wrapper.className = "page";
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", `page ${number}`);
    const caption = document.createElement("figcaption");
    caption.className = "page-text";
    caption.textContent = words;
    wrapper.append(canvas, caption);
    fresh.append(wrapper);
  }
  await pdf.destroy();
  container.replaceChildren(fresh);
  scroller.scrollTop = keep;
}

async function refresh() {
  if (!state.path) return;
  const source = text();
  status("checking…");
  const checking = api("POST", "/api/check", { path: state.path, text: source })
    .then((r) => (r.ok ? r.json() : { diagnostics: [] }));
  const rendered = await Promise.all([renderPane("main", source), renderPane("compare", source)]);
  const checked = await checking;
  if (source !== text()) return; // typing went on; the next pause refreshes again
  const renderProblems = rendered.find((d) => d && d.length) || [];
  const all = checked.diagnostics.some((d) => d.severity === "error") ? checked.diagnostics
    : [...renderProblems, ...checked.diagnostics];
  showDiagnostics(all);
  const errors = all.filter((d) => d.severity === "error").length;
  const warnings = all.length - errors;
  document.body.classList.toggle("has-errors", errors > 0);
  status(errors ? `${errors} error(s): showing the last good preview` :
         warnings ? `${warnings} warning(s)` : "up to date", errors ? "error" : "ok");
}

// ---- files --------------------------------------------------------------------------------
async function openFile(path) {
  const response = await api("GET", `/api/files/${encodeURI(path)}`);
  if (!response.ok) { status(`cannot open ${path}: ${response.status}`, "error"); return; }
  const data = await response.json();
  state.path = path;
  state.etag = data.etag;
  state.saved = data.text;
  $("files").value = path;
  window.history.replaceState(null, "", `?token=${encodeURIComponent(TOKEN)}&file=${encodeURIComponent(path)}`);
  setText(data.text);
  $("dirty").hidden = true;
  clearTimeout(state.timer);
  await refresh();
}

async function save(force) {
  if (!state.path) return;
  const source = text();
  const response = await api("PUT", `/api/files/${encodeURI(state.path)}`,
                             { text: source, etag: state.etag, force });
  const data = await response.json();
  if (response.ok) {
    state.etag = data.etag;
    state.saved = source;
    $("dirty").hidden = text() === state.saved;
    status(`saved ${state.path}`, "ok");
  } else if (response.status === 409) {
    status("not saved: the file changed on disk since you opened it", "error");
    if (confirm(`${state.path} changed on disk since you opened it. Overwrite it with your text?`)) {
      state.etag = data.etag;
      await save(force);
    }
  } else if (response.status === 422) {
    showDiagnostics(data.diagnostics);
    status("not saved: the text is not a valid meeting", "error");
    if (confirm("The text is not a valid meeting. Save it anyway?")) await save(true);
  } else {
    status(`not saved: ${data.error || response.status}`, "error");
  }
}

async function download(format) {
  const audience = $("audience").value;
  const response = await api("POST", "/api/render", { path: state.path, text: text(), audience, format });
  if (!response.ok) { status(`cannot build the ${format.toUpperCase()}: fix the errors first`, "error"); return; }
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await response.blob());
  link.download = `${state.path.split("/").pop().replace(/\.ya?ml$/, "")}.${audience}.${format}`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
}

function listen() {
  const events = new EventSource(`/api/events?token=${encodeURIComponent(TOKEN)}`);
  events.onmessage = async (message) => {
    const { changed } = JSON.parse(message.data);
    if (changed === state.path) {
      if (text() === state.saved) {
        const response = await api("GET", `/api/files/${encodeURI(state.path)}`);
        if (response.ok) {
          const data = await response.json();
          if (data.etag !== state.etag) {
            state.etag = data.etag; state.saved = data.text; setText(data.text);
          }
        }
      } else {
        status(`${changed} changed on disk; saving will ask before overwriting`, "error");
      }
    }
    clearTimeout(state.timer);
    state.timer = setTimeout(refresh, 50); // a template, theme or label file may have changed
  };
}

async function start() {
  const project = await api("GET", "/api/project");
  if (!project.ok) { status("this page needs the URL with its token that briefgen preview printed", "error"); return; }
  const info = await project.json();
  state.audiences = info.audiences;
  updateSchema(view, info.schema);
  for (const [name, audience] of Object.entries(info.audiences)) {
    $("audience").append(new Option(audience.label, name));
    $("compare").append(new Option(audience.label, name));
  }
  $("audience").value = info.audiences.staff ? "staff" : Object.keys(info.audiences)[0];
  const files = (await (await api("GET", "/api/files")).json()).files;
  for (const file of files) $("files").append(new Option(file, file));
  $("files").onchange = () => {
    if (text() !== state.saved && !confirm("Discard the unsaved changes?")) { $("files").value = state.path; return; }
    openFile($("files").value);
  };
  $("audience").onchange = $("compare").onchange = refresh;
  $("save").onclick = () => save(false);
  $("download-pdf").onclick = () => download("pdf");
  $("download-docx").onclick = () => download("docx");
  window.addEventListener("beforeunload", (event) => { if (text() !== state.saved) event.preventDefault(); });
  listen();
  const wanted = new URLSearchParams(location.search).get("file");
  const first = files.includes(wanted) ? wanted : files[0];
  if (first) await openFile(first); else status("no meeting files in this folder");
  document.body.dataset.ready = "true";
}

start();
