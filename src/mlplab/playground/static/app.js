// mlplab playground: draws what the server's training sends, and sends what the user changes.
"use strict";

const CLASS_COLORS = ["#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"];
const MAX_NEURONS = 32;  // lesson A's sliders
const DATASETS = [
  ["circle", "Circle"], ["xor", "XOR"], ["xor_table", "XOR table"], ["and_table", "AND table"], ["or_table", "OR table"], ["gauss", "Gaussian"], ["spiral", "Spiral"], ["moons", "Moons"],
  ["spirals3", "3 spirals"], ["blobs3", "3 blobs"], ["blobs4", "4 blobs"], ["moons_circles", "Moons+circles"],
  ["iris", "Iris (2-D)"], ["reg_plane", "Plane (regr.)"], ["reg_gauss", "Gaussians (regr.)"], ["reg_line", "Line (1-D regr.)"], ["points", "My points"],
];
const FEATURES = ["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"];
const FEATURE_FN = {
  "x1": (x, y) => x, "x2": (x, y) => y, "x1^2": (x, y) => x * x, "x2^2": (x, y) => y * y,
  "x1*x2": (x, y) => x * y, "sin(x1)": (x, y) => Math.sin(x), "sin(x2)": (x, y) => Math.sin(y),
};
const ACTIVATIONS = ["relu", "tanh", "sigmoid", "identity", "leaky_relu", "elu", "selu", "softplus", "swish", "gelu", "mish"];
// lesson B's perceptron: one step unit, trained by the perceptron rule, only without hidden layers
const STEP_HIDDEN = "A step unit cannot be a hidden unit: its derivative is 0 everywhere (undefined at 0), so " +
  "backpropagation passes no gradient through it and cannot train the layers before it. Remove the hidden layers " +
  "to train a perceptron (one step unit, the perceptron rule).";
const INITS = ["xavier_uniform", "xavier_normal", "he_normal", "he_uniform", "lecun_normal", "lecun_uniform", "torch", "normal", "uniform", "zeros"];
const LRS = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const REG_RATES = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const DEFAULTS = {
  dataset: "circle", n_samples: 500, noise: 0, train_ratio: 0.5, data_seed: 0, batch_size: 10,
  features: ["x1", "x2"], layers: [4, 2], activations: ["tanh", "tanh"], problem: "classification",
  loss: "cross_entropy", output: "linear", optimizer: "sgd", lr: 0.03, regularization: "none", reg_rate: 0,
  init: "xavier_uniform", dropout: 0, batchnorm: false, clip_norm: 0, schedule: "none", seed: 0,
  epochs_per_frame: 1, epoch_limit: 0, early_stopping: false,
};
const DOMAIN = 6;

const $ = (id) => document.getElementById(id);
const state = {
  config: JSON.parse(JSON.stringify(DEFAULTS)), view: { show_test: false, discretize: false },
  hide: [], preset: "", presets: [], data: { train: [], test: [], task: "classification", n_classes: 2 }, frame: null,
  curve: [], playing: false, drawn: null, gradHistory: [],
};
window.mlplab = { frames: 0, bytes: 0, state, curve1d: () => state.frame && curve1d(state.frame) };  // read by the browser tests

// ------------------------------------------------------------------ URL state
function encodeState() {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(state.config)) {
    if (JSON.stringify(v) !== JSON.stringify(DEFAULTS[k])) p.set(k, Array.isArray(v) ? v.join(",") : String(v));
  }
  if (state.view.show_test) p.set("show_test", "1");
  if (state.view.discretize) p.set("discretize", "1");
  if (state.hide.length) p.set("hide", state.hide.join(","));
  if (state.preset) p.set("preset", state.preset);
  return p.toString();
}
function presetNamed(name) { return state.presets.find((x) => x.name === name); }
function decodeState(hash) {
  const p = new URLSearchParams(hash.replace(/^#/, ""));
  // a lesson's setup first (teacher mode: #preset=b-xor-2-hidden&hide=lr,optimizer), then the settings the link changes
  const preset = presetNamed(p.get("preset") || "");
  if (preset) { state.preset = preset.name; state.config = JSON.parse(JSON.stringify(preset.config)); }
  for (const [k, v] of p.entries()) {
    if (k === "show_test" || k === "discretize") state.view[k] = v === "1";
    else if (k === "hide") state.hide = v.split(",").filter(Boolean);
    else if (k in DEFAULTS) {
      const d = DEFAULTS[k];
      if (Array.isArray(d)) state.config[k] = v === "" ? [] : v.split(",").map((s) => (typeof d[0] === "number" || k === "layers" ? Number(s) : s));
      else if (typeof d === "number") state.config[k] = Number(v);
      else if (typeof d === "boolean") state.config[k] = v === "true";
      else state.config[k] = v;
    }
  }
}
function saveHash() { history.replaceState(null, "", "#" + encodeState()); }

// ------------------------------------------------------------------ socket
let socket;
function send(msg) { if (socket && socket.readyState === 1) socket.send(JSON.stringify(msg)); }
function connect() {
  socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws");
  socket.onopen = () => send({ type: "config", config: state.config });
  socket.onmessage = (ev) => {
    const msg = JSON.parse(ev.data);
    (HANDLERS[msg.type] || (() => {}))(msg, ev.data.length);
  };
  socket.onclose = () => showError("The connection to the server closed. Reload the page to start again.");
}
const HANDLERS = {
  frame: onFrame, data: onData, error: (m) => showError(m.message),
  success_rate: onSuccess, export: onExport,
};
function showError(text) {
  const box = $("error");
  box.textContent = text;
  box.hidden = !text;
  clearTimeout(showError.timer);
  if (text) showError.timer = setTimeout(() => (box.hidden = true), 8000);
}

// ------------------------------------------------------------------ config changes
function setConfig(patch, reset = true) {
  Object.assign(state.config, patch);
  saveHash();
  if (reset) { state.curve = []; state.gradHistory = []; }
  send({ type: "config", config: patch });
  renderControls();
  buildNetwork();
}
function onData(msg) {
  state.data = msg;
  // the server has the last word (e.g. the problem type follows the dataset)
  for (const k of ["problem", "loss", "output", "dataset", "seed", "data_seed", "features"]) state.config[k] = msg.config[k];
  state.curve = []; state.gradHistory = [];
  saveHash(); renderControls(); buildNetwork(); drawOutput();
}

// ------------------------------------------------------------------ controls
function fillSelect(id, values, fmt = String) {
  const el = $(id);
  el.innerHTML = values.map((v) => `<option value="${v}">${fmt(v)}</option>`).join("");
}
function initControls() {
  fillSelect("lr", LRS);
  fillSelect("reg_rate", REG_RATES);
  fillSelect("activation", [...ACTIVATIONS, "step"], (a) => (a === "step" ? "step (perceptron)" : a));
  fillSelect("init", INITS);
  $("datasets").innerHTML = DATASETS.map(([k, name]) => `<button data-dataset="${k}">${name}</button>`).join("");
  $("datasets").addEventListener("click", (e) => {
    const k = e.target.dataset.dataset;
    if (!k) return;
    if (k === "points") { state.drawn = state.drawn || []; send({ type: "points", points: state.drawn }); return; }
    setConfig({ dataset: k });
  });
  $("lr").onchange = () => setConfig({ lr: Number($("lr").value) }, false);
  $("activation").onchange = () => {
    const a = $("activation").value, c = state.config;
    if (a === "step") {
      if (c.layers.length) { renderControls(); return showError(STEP_HIDDEN); }
      return setConfig({ output: "step" });
    }
    setConfig({ activations: c.layers.map(() => a), ...(c.output === "step" ? { output: "linear" } : {}) });
  };
  $("regularization").onchange = () => setConfig({ regularization: $("regularization").value }, false);
  $("reg_rate").onchange = () => setConfig({ reg_rate: Number($("reg_rate").value) }, false);
  $("problem").onchange = () => setConfig({ problem: $("problem").value, dataset: $("problem").value === "regression" ? "reg_plane" : "circle" });
  $("optimizer").onchange = () => setConfig({ optimizer: $("optimizer").value }, false);
  $("loss").onchange = () => setConfig({ loss: $("loss").value });
  $("init").onchange = () => setConfig({ init: $("init").value });
  for (const id of ["train_ratio", "noise"]) {
    $(id).oninput = () => ($(id + "-value").textContent = $(id).value + "%");
    $(id).onchange = () => setConfig({ [id]: Number($(id).value) / 100 });
  }
  for (const id of ["batch_size", "n_samples"]) {
    $(id).oninput = () => ($(id + "-value").textContent = $(id).value);
    $(id).onchange = () => setConfig({ [id]: Number($(id).value) }, id === "n_samples");
  }
  for (const id of ["epochs_per_frame", "dropout", "clip_norm", "epoch_limit"]) {
    $(id).onchange = () => setConfig({ [id]: Number($(id).value) }, id === "dropout");
  }
  for (const id of ["batchnorm", "early_stopping"]) $(id).onchange = () => setConfig({ [id]: $(id).checked }, id === "batchnorm");
  $("schedule").onchange = () => setConfig({ schedule: $("schedule").value }, false);
  $("show-test").onchange = () => { state.view.show_test = $("show-test").checked; saveHash(); drawOutput(); };
  $("discretize").onchange = () => { state.view.discretize = $("discretize").checked; saveHash(); drawOutput(); };
  $("play").onclick = togglePlay;
  $("step").onclick = () => { setPlaying(false); send({ type: "step" }); };
  $("reset").onclick = () => { setPlaying(false); state.curve = []; state.gradHistory = []; send({ type: "reset" }); };
  $("new-weights").onclick = () => { setPlaying(false); state.curve = []; state.gradHistory = []; state.config.seed += 1; saveHash(); send({ type: "reset", new_weights: true }); };
  $("regenerate").onclick = () => { setPlaying(false); send({ type: "regenerate" }); };
  $("add-layer").onclick = () => {
    if (state.config.layers.length >= 6) return showError("at most 6 hidden layers");
    if (state.config.output === "step") return showError(STEP_HIDDEN + " Choose another activation first.");
    if (!state.config.layers.length) return setConfig({ layers: [2], activations: [$("activation").value || "tanh"] });
    const last = state.config.activations.slice(-1)[0] || "tanh";
    setConfig({ layers: [...state.config.layers, 2], activations: [...state.config.activations, last] });
  };
  $("remove-layer").onclick = () => {
    if (!state.config.layers.length) return;
    setConfig({ layers: state.config.layers.slice(0, -1), activations: state.config.activations.slice(0, -1) });
  };
  $("upload").onchange = uploadCsv;
  $("preset").innerHTML = '<option value="">(your own)</option>' + state.presets.map((p) => `<option value="${p.name}">${p.lesson}: ${p.title}</option>`).join("");
  $("preset").onchange = () => applyPreset($("preset").value);
  $("success").onclick = () => { setPlaying(false); $("success-text").textContent = "training 20 seeds..."; send({ type: "success_rate" }); };
  document.querySelectorAll("[data-export]").forEach((b) => (b.onclick = () => send({ type: "export", what: b.dataset.export })));
  $("export-png").onclick = () => download("playground-view.png", $("output").toDataURL("image/png"));
  $("copy-link").onclick = () => {
    const url = location.href;
    if (navigator.clipboard) navigator.clipboard.writeText(url).catch(() => {});
    $("command").hidden = false; $("command").textContent = url;
  };
  document.addEventListener("keydown", (e) => { if (e.code === "Space" && e.target === document.body) { e.preventDefault(); togglePlay(); } });
  const out = $("output");
  out.addEventListener("mousedown", drawPoint);
  out.addEventListener("contextmenu", (e) => e.preventDefault());
}
function applyPreset(name) {
  const preset = presetNamed(name);
  state.preset = preset ? preset.name : "";
  if (preset) {
    setPlaying(false);
    state.config = JSON.parse(JSON.stringify(preset.config));
    setConfig(state.config);
  } else { saveHash(); renderControls(); }
}
function renderPreset() {
  const preset = presetNamed(state.preset), box = $("preset-why");
  $("preset").value = preset ? preset.name : "";
  box.hidden = !preset;
  if (preset) box.innerHTML = `<b>Lesson ${preset.lesson}: ${preset.title}.</b><span>${preset.why}</span>`;
}
function renderControls() {
  const c = state.config;
  renderPreset();
  $("lr").value = String(c.lr);
  if (![...$("lr").options].some((o) => o.value === String(c.lr))) {
    $("lr").insertAdjacentHTML("beforeend", `<option value="${c.lr}">${c.lr}</option>`); $("lr").value = String(c.lr);
  }
  $("activation").value = c.output === "step" ? "step" : c.activations[0] || "tanh";
  $("loss").disabled = c.output === "step";
  $("loss").title = c.output === "step" ? "the perceptron rule minimises no loss; the loss shown is the fraction wrong" : "";
  $("regularization").value = c.regularization;
  $("reg_rate").value = String(c.reg_rate);
  $("problem").value = c.problem;
  $("optimizer").value = c.optimizer;
  $("loss").value = c.loss;
  $("init").value = c.init;
  $("train_ratio").value = Math.round(c.train_ratio * 100); $("train_ratio-value").textContent = Math.round(c.train_ratio * 100) + "%";
  $("noise").value = Math.round(c.noise * 100); $("noise-value").textContent = Math.round(c.noise * 100) + "%";
  $("batch_size").value = c.batch_size; $("batch_size-value").textContent = c.batch_size;
  $("n_samples").value = c.n_samples; $("n_samples-value").textContent = c.n_samples;
  for (const id of ["epochs_per_frame", "dropout", "clip_norm", "epoch_limit"]) $(id).value = c[id];
  $("batchnorm").checked = c.batchnorm; $("early_stopping").checked = c.early_stopping;
  $("schedule").value = c.schedule;
  $("show-test").checked = state.view.show_test; $("discretize").checked = state.view.discretize;
  document.querySelectorAll("#datasets button").forEach((b) => b.classList.toggle("on", b.dataset.dataset === c.dataset));
  $("layer-count").textContent = `${c.layers.length} hidden layer${c.layers.length === 1 ? "" : "s"}`;
  const k = Math.max(2, state.data.n_classes || 2);
  fillSelect("draw-class", [...Array(Math.min(k + 1, 8)).keys()]);
  document.querySelectorAll("[data-control]").forEach((el) => (el.hidden = state.hide.includes(el.dataset.control)));
}
function togglePlay() { setPlaying(!state.playing); send({ type: state.playing ? "play" : "pause" }); }
function setPlaying(on) {
  state.playing = on;
  $("play").textContent = on ? "Pause" : "Play";
  $("play").classList.toggle("on", on);
}

// ------------------------------------------------------------------ network drawing
const NODE = 40;
function buildNetwork() {
  const c = state.config;
  const cols = $("columns");
  cols.innerHTML = "";
  cols.classList.toggle("dense", Math.max(0, ...c.layers) > 12);  // up to 32 units: small nodes
  const inputs = document.createElement("div");
  inputs.className = "column";
  inputs.innerHTML = `<div class="head">${c.features.length} of ${FEATURES.length}<br>inputs</div>`;
  for (const f of FEATURES) {
    const node = document.createElement("div");
    node.className = "node feature" + (c.features.includes(f) ? "" : " off");
    node.dataset.feature = f;
    node.title = `${f}: click to ${c.features.includes(f) ? "remove" : "add"}`;
    node.innerHTML = `<canvas width="20" height="20"></canvas><span class="name">${f}</span>`;
    drawFeature(node.querySelector("canvas"), f);
    node.onclick = () => {
      const on = new Set(c.features);
      on.has(f) ? on.delete(f) : on.add(f);
      if (!on.size) return showError("the network needs at least one input feature");
      setConfig({ features: FEATURES.filter((x) => on.has(x)) });
    };
    inputs.appendChild(node);
  }
  cols.appendChild(inputs);
  c.layers.forEach((n, li) => {
    const col = document.createElement("div");
    col.className = "column hidden-layer";
    const opts = ACTIVATIONS.map((a) => `<option ${a === c.activations[li] ? "selected" : ""}>${a}</option>`).join("");
    col.innerHTML = `<div class="head"><button data-act="more" title="add a neuron">+</button><button data-act="less" title="remove a neuron">&minus;</button><br>${n} neuron${n === 1 ? "" : "s"}<br><select title="activation of layer ${li + 1}">${opts}</select></div>`;
    col.querySelector('[data-act="more"]').onclick = () => { if (n < MAX_NEURONS) setConfig({ layers: c.layers.map((v, i) => (i === li ? v + 1 : v)) }); else showError(`at most ${MAX_NEURONS} neurons per layer`); };
    col.querySelector('[data-act="less"]').onclick = () => { if (n > 1) setConfig({ layers: c.layers.map((v, i) => (i === li ? v - 1 : v)) }); };
    col.querySelector("select").onchange = (e) => setConfig({ activations: c.activations.map((a, i) => (i === li ? e.target.value : a)) });
    for (let j = 0; j < n; j++) {
      const node = document.createElement("div");
      node.className = "node neuron";
      node.dataset.layer = li; node.dataset.unit = j;
      node.innerHTML = `<canvas width="20" height="20"></canvas><div class="bias" title="bias"></div>`;
      node.onmouseenter = (e) => showPreview(node, e);
      node.onmouseleave = () => ($("hover-preview").hidden = true);
      col.appendChild(node);
    }
    cols.appendChild(col);
  });
  const outCol = document.createElement("div");
  outCol.className = "column";
  const step = c.output === "step";
  const nOut = state.data.task === "regression" || step ? 1 : Math.max(2, state.data.n_classes);
  outCol.innerHTML = `<div class="head">output<br>${step ? "1 step unit" : `${nOut} unit${nOut === 1 ? "" : "s"}`}</div>`;
  for (let j = 0; j < nOut; j++) {
    const node = document.createElement("div");
    node.className = "node out";
    node.style.background = state.data.task === "regression" || step ? "#fff" : CLASS_COLORS[j % CLASS_COLORS.length] + "55";
    if (step) { node.classList.add("step"); node.title = "step unit: 1 if w.x + b >= 0, else 0"; }
    node.innerHTML = `<div class="bias" title="bias"></div>`;
    outCol.appendChild(node);
  }
  cols.appendChild(outCol);
  state.links = null;
  state.neuronNodes = [...document.querySelectorAll(".node.neuron")];
  if (state.frame) drawLinks(state.frame);
}
function nodeCenters() {
  const net = $("net").getBoundingClientRect();
  const cols = [...document.querySelectorAll("#columns .column")];
  return cols.map((col, ci) => [...col.querySelectorAll(".node")]
    .filter((n) => ci > 0 || !n.classList.contains("off"))
    .map((n) => { const r = n.getBoundingClientRect(); return [r.left - net.left + r.width / 2, r.top - net.top + r.height / 2, n, r.width / 2]; }));
}
function buildLinks(frame) {
  // one <line> per weight, made when the network's shape changes; frames only restyle them
  const svg = $("links"), centers = nodeCenters(), W = frame.weights || [];
  const NS = "http://www.w3.org/2000/svg";
  svg.textContent = "";
  state.links = [];
  W.forEach((m, li) => m.forEach((row, i) => row.forEach((w, j) => {
    const a = (centers[li] || [])[i], b = (centers[li + 1] || [])[j];
    if (!a || !b) return;
    const ln = document.createElementNS(NS, "line");
    ln.setAttribute("x1", a[0] + (a[3] || NODE / 2)); ln.setAttribute("y1", a[1]);
    ln.setAttribute("x2", b[0] - (b[3] || NODE / 2)); ln.setAttribute("y2", b[1]);
    ln.setAttribute("stroke-opacity", "0.75");
    const title = document.createElementNS(NS, "title");
    ln.appendChild(title);
    const link = [ln, li, i, j];
    ln.onmouseenter = () => (title.textContent = `weight ${link.w.toFixed(4)} (click to edit)`);
    ln.onclick = () => editWeight(li, i, j);
    svg.appendChild(ln);
    state.links.push(link);
  })));
  state.biasBoxes = [];
  (frame.biases || []).forEach((bs, li) => bs.forEach((_, j) => {
    const node = (centers[li + 1] || [])[j];
    if (node) state.biasBoxes.push([node[2].querySelector(".bias"), li, j]);
  }));
  state.linkShape = JSON.stringify(W.map((m) => [m.length, m[0] ? m[0].length : 0]));
}
function drawLinks(frame) {
  const W = frame.weights || [];
  const shape = JSON.stringify(W.map((m) => [m.length, m[0] ? m[0].length : 0]));
  if (!state.links || state.linkShape !== shape || !state.links.length || !state.links[0][0].isConnected) buildLinks(frame);
  let max = 1e-9;
  for (const m of W) for (const row of m) for (const w of row) max = Math.max(max, Math.abs(w));
  // wide layers (up to 32 units): thinner links, and weak ones faded, so the strong ones read
  const dense = state.links.length > 200;
  for (const link of state.links) {
    const [ln, li, i, j] = link, w = W[li][i][j], r = Math.abs(w) / max;
    const color = w >= 0 ? "#1f77b4" : "#d62728";
    const width = (dense ? 0.3 + 2.2 * r : 0.5 + 5 * r).toFixed(1);
    const opacity = (dense ? 0.08 + 0.8 * r * r : 0.75).toFixed(2);
    if (link.color !== color) { ln.setAttribute("stroke", color); link.color = color; }
    if (link.width !== width) { ln.setAttribute("stroke-width", width); link.width = width; }
    if (link.opacity !== opacity) { ln.setAttribute("stroke-opacity", opacity); link.opacity = opacity; }
    link.w = w;
  }
  for (const [box, li, j] of state.biasBoxes) {
    if (!box) continue;
    const v = frame.biases[li][j];
    box.style.background = colorFor(v / max, -1, 1); box.title = `bias ${v.toFixed(4)}`;
  }
}
function editWeight(li, i, j) {
  const text = prompt(`New weight for layer ${li + 1}, ${i + 1} -> ${j + 1}:`, state.frame.weights[li][i][j]);
  if (text === null) return;
  const value = Number(text);
  if (!Number.isFinite(value) || Math.abs(value) > 100) return showError(`a weight must be a number from -100 to 100; received ${text}`);
  send({ type: "edit_weight", layer: li, from: i, to: j, value });
}

// ------------------------------------------------------------------ colours
function hexToRgb(h) { const n = parseInt(h.slice(1), 16); return [(n >> 16) & 255, (n >> 8) & 255, n & 255]; }
const RGB = CLASS_COLORS.map(hexToRgb);
function mix(a, b, t) { return [0, 1, 2].map((i) => Math.round(a[i] + (b[i] - a[i]) * t)); }
const WHITE = [255, 255, 255];
function diverging(t) {  // t in [0, 1]: red - white - blue
  return t < 0.5 ? mix(RGB[0], WHITE, t * 2) : mix(WHITE, RGB[1], (t - 0.5) * 2);
}
function colorFor(v, lo, hi) { const c = diverging(Math.min(1, Math.max(0, (v - lo) / (hi - lo)))); return `rgb(${c[0]},${c[1]},${c[2]})`; }
// 256-entry colour tables: a byte of a map indexes straight into them
function table(fn) { const t = new Uint8Array(256 * 3); for (let i = 0; i < 256; i++) t.set(fn(i / 255), i * 3); return t; }
const LUT_DIVERGING = table(diverging);
const LUT_SOFT = table((p) => diverging(0.5 + (p - 0.5) * 0.75));
const LUT_DISCRETE = table((p) => diverging(p >= 0.5 ? 0.8 : 0.2));
function paintBytes(img, bytes, lut, offset = 0, count = bytes.length - offset) {
  const d = img.data;
  for (let i = 0; i < count; i++) {
    const k = bytes[offset + i] * 3, o = i * 4;
    d[o] = lut[k]; d[o + 1] = lut[k + 1]; d[o + 2] = lut[k + 2]; d[o + 3] = 255;
  }
}
function b64bytes(s) { const bin = atob(s); const out = new Uint8Array(bin.length); for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i); return out; }

// ------------------------------------------------------------------ output heatmap
const offscreen = document.createElement("canvas");
function paintMap(ctx, frame, size, discretize) {
  const res = frame.res;
  if (offscreen.width !== res) { offscreen.width = res; offscreen.height = res; }
  const octx = offscreen.getContext("2d");
  const img = octx.createImageData(res, res);
  const map = frame._map || (frame._map = b64bytes(frame.map));
  if (frame.task === "regression") paintBytes(img, map, discretize ? LUT_DISCRETE : LUT_DIVERGING);
  else if (!frame.map_conf) paintBytes(img, map, discretize ? LUT_DISCRETE : LUT_SOFT);
  else {
    const conf = frame._conf || (frame._conf = b64bytes(frame.map_conf)), k = frame.n_classes, d = img.data;
    for (let i = 0; i < res * res; i++) {
      const t = discretize ? 0.55 : 0.2 + 0.7 * Math.max(0, (conf[i] / 255 - 1 / k) / (1 - 1 / k));
      const c = RGB[map[i] % RGB.length], o = i * 4;
      d[o] = 255 + (c[0] - 255) * t; d[o + 1] = 255 + (c[1] - 255) * t; d[o + 2] = 255 + (c[2] - 255) * t; d[o + 3] = 255;
    }
  }
  octx.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(offscreen, 0, 0, size, size);
}
function toCanvas(x, y, size) { return [((x + DOMAIN) / (2 * DOMAIN)) * size, ((DOMAIN - y) / (2 * DOMAIN)) * size]; }
function drawOutput() {
  const canvas = $("output"), ctx = canvas.getContext("2d"), size = canvas.width;
  ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, size, size);
  if (state.frame) paintMap(ctx, state.frame, size, state.view.discretize);
  const regression = state.data.task === "regression";
  const drawSet = (pts, test) => {
    for (const [x, y, label] of pts) {
      const [px, py] = toCanvas(x, y, size);
      ctx.beginPath(); ctx.arc(px, py, 3.5, 0, 2 * Math.PI);
      // a 1-D set: its height is its target, so plain dark points read best against the curve
      ctx.fillStyle = state.data.one_d ? "#444" : regression ? colorFor(label, -1, 1) : CLASS_COLORS[label % CLASS_COLORS.length];
      ctx.fill();
      ctx.lineWidth = test ? 1.6 : 0.8; ctx.strokeStyle = test ? "#000" : "#fff"; ctx.stroke();
    }
  };
  if (state.data.one_d && state.frame && state.frame.task === "regression") drawCurve1d(ctx, state.frame, size);
  drawSet(state.data.train, false);
  if (state.view.show_test) drawSet(state.data.test, true);
}
function curve1d(frame) {
  // a 1-D dataset: the network's output along x (any row of the map), as heights in the view
  const res = frame.res, map = frame._map || (frame._map = b64bytes(frame.map)), row = Math.floor(res / 2);
  const out = [];
  for (let i = 0; i < res; i++) out.push([-DOMAIN + (2 * DOMAIN * i) / (res - 1), DOMAIN * (map[row * res + i] / 127.5 - 1)]);
  return out;
}
function drawCurve1d(ctx, frame, size) {
  ctx.fillStyle = "rgba(255,255,255,0.6)"; ctx.fillRect(0, 0, size, size);  // the curve, not the bands, is the picture
  ctx.beginPath();
  curve1d(frame).forEach(([x, y], i) => { const [px, py] = toCanvas(x, y, size); i ? ctx.lineTo(px, py) : ctx.moveTo(px, py); });
  ctx.lineWidth = 2.5; ctx.strokeStyle = "#222"; ctx.stroke();
}

// ------------------------------------------------------------------ neurons
function drawFeature(canvas, f) {
  const ctx = canvas.getContext("2d"), n = canvas.width, img = ctx.createImageData(n, n);
  const vals = [];
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) {
    const x = -DOMAIN + (2 * DOMAIN * c) / (n - 1), y = DOMAIN - (2 * DOMAIN * r) / (n - 1);
    vals.push(FEATURE_FN[f](x, y));
  }
  const m = Math.max(...vals.map(Math.abs)) || 1;
  paintBytes(img, Uint8Array.from(vals, (v) => Math.round((v / m + 1) * 127.5)), LUT_DIVERGING);
  ctx.putImageData(img, 0, 0);
}
function drawNeurons(frame) {
  const bytes = frame.neurons ? b64bytes(frame.neurons) : new Uint8Array();
  const n = frame.nres, per = n * n;
  state.neuronNodes.forEach((node, idx) => {
    const li = Number(node.dataset.layer), j = Number(node.dataset.unit);
    const canvas = node.querySelector("canvas");
    if (canvas.width !== n) { canvas.width = n; canvas.height = n; }
    const ctx = canvas.getContext("2d"), img = ctx.createImageData(n, n);
    paintBytes(img, bytes, LUT_DIVERGING, idx * per, per);
    ctx.putImageData(img, 0, 0);
    node._map = [bytes.subarray(idx * per, (idx + 1) * per), n];
    const dead = !!(frame.dead[li] && frame.dead[li][j]), sat = !!(frame.saturated[li] && frame.saturated[li][j]);
    if (node._dead !== dead || node._sat !== sat) {
      node._dead = dead; node._sat = sat;
      node.classList.toggle("dead", dead); node.classList.toggle("saturated", sat);
      node.title = `layer ${li + 1}, neuron ${j + 1}` + (dead ? " (dead: 0 for every training point)" : "") + (sat ? " (saturated)" : "");
    }
  });
}
function showPreview(node, e) {
  if (!node._map) return;
  const [bytes, n] = node._map, box = $("hover-preview"), canvas = box.querySelector("canvas");
  const tmp = document.createElement("canvas"); tmp.width = n; tmp.height = n;
  const tctx = tmp.getContext("2d"), img = tctx.createImageData(n, n);
  paintBytes(img, bytes, LUT_DIVERGING);
  tctx.putImageData(img, 0, 0);
  const ctx = canvas.getContext("2d"); ctx.imageSmoothingEnabled = true; ctx.drawImage(tmp, 0, 0, 160, 160);
  box.querySelector("div").textContent = node.title;
  const r = node.getBoundingClientRect();
  box.style.left = r.right + 8 + "px"; box.style.top = Math.max(4, r.top - 60) + "px"; box.hidden = false;
}

// ------------------------------------------------------------------ curves and numbers
function drawCurve() {
  const canvas = $("curve"), ctx = canvas.getContext("2d"), W = canvas.width, H = canvas.height;
  ctx.clearRect(0, 0, W, H);
  const rows = state.curve;
  if (!rows.length) return;
  const maxEpoch = rows[rows.length - 1][0];
  let top = 1e-9;
  for (const r of rows) { if (r[1] != null) top = Math.max(top, r[1]); if (r[2] != null) top = Math.max(top, r[2]); }
  const line = (idx, color) => {
    ctx.beginPath(); ctx.strokeStyle = color; ctx.lineWidth = 1.5;
    rows.forEach((r, i) => {
      if (r[idx] == null) return;
      const x = (r[0] / Math.max(maxEpoch, 1)) * (W - 2) + 1, y = H - 2 - (r[idx] / top) * (H - 6);
      i ? ctx.lineTo(x, y) : ctx.moveTo(x, y);
    });
    ctx.stroke();
  };
  line(2, "#999"); line(1, "#222");
}
function drawSparklines(frame) {
  if (frame.grad_norms && frame.grad_norms.length) state.gradHistory.push(frame.grad_norms);
  if (state.gradHistory.length > 200) state.gradHistory.shift();
  const box = $("sparklines");
  const n = (state.gradHistory[0] || []).length;
  if (box.children.length !== n) box.innerHTML = [...Array(n).keys()].map((i) => `<div><small>layer ${i + 1}</small><canvas width="300" height="22"></canvas></div>`).join("");
  const logs = state.gradHistory.map((g) => g.map((v) => Math.log10(Math.max(v, 1e-12))));
  const all = logs.flat();
  const lo = Math.min(...all), hi = Math.max(...all) + 1e-9;
  [...box.querySelectorAll("canvas")].forEach((canvas, li) => {
    const ctx = canvas.getContext("2d"); ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.beginPath(); ctx.strokeStyle = CLASS_COLORS[li % CLASS_COLORS.length];
    logs.forEach((g, i) => { const x = (i / Math.max(logs.length - 1, 1)) * 298 + 1, y = 20 - ((g[li] - lo) / (hi - lo)) * 18; i ? ctx.lineTo(x, y) : ctx.moveTo(x, y); });
    ctx.stroke();
    canvas.title = `||dL/dW|| of layer ${li + 1}: ${state.gradHistory[state.gradHistory.length - 1][li].toExponential(2)} (log scale)`;
  });
}
function fmt(v) { return v == null || Number.isNaN(v) ? "-" : v.toFixed(3); }
function showSummary(frame) {
  const s = frame.summary || {};
  $("test-loss").textContent = fmt(s.test_loss);
  $("train-loss").textContent = fmt(s.train_loss);
  $("test-acc").textContent = s.test_accuracy == null ? "-" : (100 * s.test_accuracy).toFixed(1) + "%";
  $("train-acc").textContent = s.train_accuracy == null ? "-" : (100 * s.train_accuracy).toFixed(1) + "%";
  const C = s.confusion;
  $("confusion").innerHTML = C ? "<tr><th>true \\ pred</th>" + C.map((_, j) => `<th>${j}</th>`).join("") + "</tr>" +
    C.map((row, i) => `<tr><th style="color:${CLASS_COLORS[i % 8]}">${i}</th>` + row.map((v) => `<td>${v}</td>`).join("") + "</tr>").join("") : "";
}

// ------------------------------------------------------------------ frames
function onFrame(frame, size) {
  window.mlplab.frames += 1; window.mlplab.bytes += size; window.mlplab.lastFrameBytes = size;
  state.frame = frame;
  for (const row of frame.curve) state.curve.push(row);
  if (state.curve.length > 4000) state.curve = state.curve.filter((_, i) => i % 2 === 0);
  $("epoch").textContent = frame.epoch.toLocaleString();
  if (!frame.playing && state.playing && frame.status !== "playing") setPlaying(false);
  const warn = $("warning");
  warn.hidden = !frame.warning; warn.textContent = frame.warning || "";
  drawOutput(); drawNeurons(frame); drawLinks(frame); drawCurve(); drawSparklines(frame); showSummary(frame);
}

// ------------------------------------------------------------------ drawing points, upload
function drawPoint(e) {
  const canvas = $("output"), r = canvas.getBoundingClientRect();
  const x = ((e.clientX - r.left) / r.width) * 2 * DOMAIN - DOMAIN, y = DOMAIN - ((e.clientY - r.top) / r.height) * 2 * DOMAIN;
  if (state.config.dataset !== "points" || !state.drawn) {
    state.drawn = state.data.task === "classification" ? [...state.data.train, ...state.data.test].map((p) => p.slice()) : [];
  }
  if (e.button === 2) {
    let best = -1, dist = 0.6;
    state.drawn.forEach((p, i) => { const d = Math.hypot(p[0] - x, p[1] - y); if (d < dist) { dist = d; best = i; } });
    if (best >= 0) state.drawn.splice(best, 1);
  } else {
    const base = Number($("draw-class").value) || 0;
    const label = e.shiftKey ? (base + 1) % 8 : base;
    if (state.drawn.length >= 2000) return showError("at most 2000 points");
    state.drawn.push([Math.round(x * 1000) / 1000, Math.round(y * 1000) / 1000, label]);
  }
  setPlaying(false);
  send({ type: "points", points: state.drawn });
}
function uploadCsv(e) {
  const file = e.target.files[0];
  if (!file) return;
  if (file.size > 200000) { showError(`the CSV file is ${file.size} bytes; the playground takes at most 200000`); return; }
  const reader = new FileReader();
  reader.onload = () => { setPlaying(false); send({ type: "upload_csv", text: reader.result }); };
  reader.readAsText(file);
  e.target.value = "";
}

// ------------------------------------------------------------------ success rate, exports
function onSuccess(msg) {
  if (msg.error) { $("success-text").textContent = msg.error; return; }
  $("success-text").textContent = `${msg.successes} / ${msg.seeds.length} seeds reach ${msg.rule} after ${msg.epochs} epochs (${msg.seconds} s)`;
  const n = msg.nres;
  $("thumbs").innerHTML = msg.thumbnails.map((_, i) => `<figure><canvas width="${n}" height="${n}" class="${msg.success[i] ? "ok" : "fail"}"></canvas>seed ${msg.seeds[i]}<br>${(100 * msg.scores[i]).toFixed(0)}%</figure>`).join("");
  [...$("thumbs").querySelectorAll("canvas")].forEach((canvas, i) => {
    const bytes = b64bytes(msg.thumbnails[i]), ctx = canvas.getContext("2d"), img = ctx.createImageData(n, n);
    for (let p = 0; p < n * n; p++) {
      const v = bytes[p] / 255;
      const rgb = msg.task === "classification" && msg.n_classes > 2 ? mix(WHITE, RGB[Math.round(v * (msg.n_classes - 1)) % 8], 0.55) : diverging(v);
      img.data.set([...rgb, 255], p * 4);
    }
    ctx.putImageData(img, 0, 0);
  });
}
function download(name, href) { const a = document.createElement("a"); a.href = href; a.download = name; document.body.appendChild(a); a.click(); a.remove(); }
function onExport(msg) {
  if (msg.what === "command") { $("command").hidden = false; $("command").textContent = msg.text + "\n\n# run it beside the exported data file (Export > Data)"; return; }
  if (msg.text != null) download(msg.filename, URL.createObjectURL(new Blob([msg.text], { type: "text/csv" })));
  else download(msg.filename, "data:application/octet-stream;base64," + msg.data);
}

// ------------------------------------------------------------------ start
async function start() {
  try { state.presets = (await (await fetch("/presets")).json()).presets || []; } catch (e) { state.presets = []; }
  decodeState(location.hash);
  initControls();
  renderControls();
  buildNetwork();
  drawOutput();
  connect();
}
start();
window.addEventListener("resize", () => { state.links = null; if (state.frame) drawLinks(state.frame); });
