// app.js - the live page of `migdev serve` (GPL-3.0-or-later).
//
// Reads the served scenarios from /api/scenarios, builds a column per
// scenario (sliders, buttons, one small SVG panel per variable, the dominant
// loop over time) and re-runs a scenario through /api/run whenever one of its
// sliders moves. Plain SVG, no library. Each drawn curve keeps the values it
// was drawn from (data-values) and the axes keep their mapping (data-domain,
// data-range), so that a test can check the drawing against `migdev run`.
"use strict";

const W = 400, H = 168;                       // panel size (SVG units)
const M = { l: 50, r: 18, t: 20, b: 20 };      // margins (room for the last year)
const SVGNS = "http://www.w3.org/2000/svg";
const columns = [];                            // one per scenario
const LOOPS_DELAY_MS = 150;                    // rest of a slider before the loop analysis
window.migdevTimings = [];                     // ms from a slider move to its redraw

// ---- numbers and words ----

// A tick label with an SI-style suffix: 30 M, 2.5 bn, 12 k; small numbers plain.
function si(x) {
  const a = Math.abs(x);
  const units = [[1e12, " tn"], [1e9, " bn"], [1e6, " M"], [1e3, " k"]];
  for (const [f, s] of units)
    if (a >= f) return trim(x / f) + s;
  return trim(x);
}
function trim(x) {
  if (x === 0) return "0";
  const p = Math.abs(x) >= 100 ? 0 : Math.abs(x) >= 10 ? 1 : Math.abs(x) >= 1 ? 2 : 3;
  let s = x.toFixed(Math.max(p, Math.min(6, -Math.floor(Math.log10(Math.abs(x))) + 1)));
  if (s.includes(".")) s = s.replace(/0+$/, "").replace(/\.$/, "");
  return s;
}
// Ticks at 1, 2 or 5 times a power of ten.
function ticks(lo, hi, n) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / n, p = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map(f => f * p).find(s => s >= raw);
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}
function humanize(name) {
  const s = name.replace(/_/g, " ");
  return s.charAt(0).toUpperCase() + s.slice(1);
}
function unitText(u) { return u && u !== "dimensionless" && u !== "1" ? u : ""; }
function loopText(d) {
  const kind = d.polarity === "R" ? "reinforcing" : d.polarity === "B" ? "balancing" : "mixed";
  return d.name ? `${d.name} (${d.id})` : `${kind} loop ${d.id}`;
}
function el(tag, attrs, parent, text) {
  const e = tag.startsWith("svg:") ? document.createElementNS(SVGNS, tag.slice(4))
                                   : document.createElement(tag);
  for (const k in attrs || {}) e.setAttribute(k, attrs[k]);
  if (text !== undefined) e.textContent = text;
  if (parent) parent.appendChild(e);
  return e;
}

// ---- the server ----

async function post(path, body) {
  const r = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" },
                                body: JSON.stringify(body) });
  if (!r.ok) {
    let msg = `HTTP ${r.status}`;
    try { msg = (await r.json()).error || msg; } catch (e) { /* keep the status */ }
    throw new Error(msg);
  }
  return r;
}

// ---- a scenario column ----

function buildColumn(sc) {
  const col = { sc, values: {}, base: null, cur: null, busy: false, again: false, t0: 0, runs: 0 };
  const root = el("section", { class: "scenario", "data-scenario": sc.id, "data-runs": "0" },
                  document.getElementById("scenarios"));
  col.root = root;
  el("h2", {}, root, sc.name);
  if (sc.doc) el("p", { class: "doc" }, root, sc.doc);
  col.inputs = {};
  const knobs = el("div", { class: "knobs" }, root);
  for (const k of sc.knobs) {
    col.values[k.constant] = k.value;
    const box = el("div", { class: "knob", "data-constant": k.constant,
                            title: `${k.constant}${k.doc ? ": " + k.doc : ""}` }, knobs);
    const id = `${sc.id}--${k.constant}`;
    const unit = unitText(k.units);
    const row = el("div", { class: "row" }, box);
    el("label", { for: id }, row, (k.label || humanize(k.constant)) + (unit ? ` (${unit})` : ""));
    const range = el("input", { type: "range", id, min: k.min, max: k.max, step: k.step,
                                value: k.value, "aria-label": k.label || k.constant }, row);
    const num = el("input", { type: "number", min: k.min, max: k.max, step: "any",
                              value: k.value, "aria-label": `${k.constant} value` }, row);
    range.addEventListener("input", () => {
      num.value = range.value;
      setValue(col, k, Number(range.value), box);
    });
    num.addEventListener("change", () => {
      const x = Number(num.value);
      if (num.value.trim() === "" || !Number.isFinite(x)) {
        showError(col, `${k.constant}: '${num.value}' is not a number`);
        return;
      }
      range.value = x;
      // a refused value (out of range) must not stick to the next runs
      col.revert = { constant: k.constant, value: col.values[k.constant] };
      setValue(col, k, x, box);
    });
    col.inputs[k.constant] = { range, num, box, knob: k };
  }
  if (sc.knobs.length === 0)
    el("p", { class: "hint" }, root, "No knobs: add a `knobs` list (or a `set`) to this scenario.");
  const buttons = el("div", { class: "buttons" }, root);
  el("button", { type: "button", class: "reset" }, buttons, "Reset").onclick = () => reset(col);
  el("button", { type: "button", class: "save" }, buttons, "Save this scenario").onclick =
    () => save(col);
  col.timing = el("span", { class: "timing" }, buttons);
  col.error = el("div", { class: "error", role: "alert" }, root);
  const legend = el("div", { class: "legend" }, root);
  legend.innerHTML = '<span class="sw"></span>this run<span class="sw base"></span>as written' +
                     (sc.data.length ? '<span class="dot"></span>data' : "");
  col.panels = el("div", { class: "panels" }, root);
  col.dominance = el("div", { class: "dominance" }, root);
  columns.push(col);
  return col;
}

function setValue(col, k, x, box) {
  col.values[k.constant] = x;
  box.classList.toggle("changed", x !== k.value);
  col.t0 = performance.now();
  run(col);
}

function showError(col, msg) {
  col.error.textContent = msg;
  col.root.dataset.error = msg ? "1" : "0";
}

// Re-run the scenario with its current values; while a run is on its way,
// only the latest values are sent next (a fast slider does not queue runs).
// The curves are redrawn as soon as the run is back; the loop analysis
// (slower) follows in a request of its own, for the latest values only.
async function run(col) {
  if (col.busy) { col.again = true; return; }
  col.busy = true;
  col.root.dataset.busy = "1";
  const t0 = col.t0 || performance.now();
  try {
    const r = await post("/api/run", { scenario: col.sc.id, set: col.values });
    const res = await r.json();
    res.dominant = col.cur ? col.cur.dominant : [];
    col.cur = res;
    showError(col, "");
    redrawAll();
    const ms = performance.now() - t0;
    window.migdevTimings.push(ms);
    col.timing.textContent = `run + redraw: ${ms.toFixed(0)} ms`;
    // the loop analysis once the slider rests, so that it does not slow a drag
    clearTimeout(col.loopTimer);
    col.root.dataset.loops = "waiting";
    col.loopTimer = setTimeout(() => loops(col, res), LOOPS_DELAY_MS);
    col.revert = null;
  } catch (e) {
    showError(col, e.message);
    if (col.revert) col.values[col.revert.constant] = col.revert.value;
    col.revert = null;
  }
  col.busy = false;
  col.runs++;
  col.root.dataset.runs = String(col.runs);
  col.root.dataset.busy = "0";
  if (col.again) { col.again = false; col.t0 = performance.now(); run(col); }
}

// The dominant loops for the values of res (dropped when newer values came).
async function loops(col, res) {
  col.root.dataset.loops = "busy";
  try {
    const r = await post("/api/run", { scenario: col.sc.id, set: res.set, loops: true });
    const l = await r.json();
    if (col.cur === res) {
      res.dominant = l.dominant;
      drawDominance(col);
    }
  } catch (e) {
    if (col.cur === res) { res.dominant = []; res.loops_error = e.message; drawDominance(col); }
  }
  if (col.cur === res) col.root.dataset.loops = "done";
}

function reset(col) {
  for (const k of col.sc.knobs) {
    const inp = col.inputs[k.constant];
    col.values[k.constant] = k.value;
    inp.range.value = k.value;
    inp.num.value = k.value;
    inp.box.classList.remove("changed");
  }
  col.t0 = performance.now();
  run(col);
}

async function save(col) {
  try {
    const r = await post("/api/save", { scenario: col.sc.id, set: col.values });
    const blob = await r.blob();
    const cd = r.headers.get("Content-Disposition") || "";
    const m = /filename="([^"]+)"/.exec(cd);
    const a = el("a", { href: URL.createObjectURL(blob), download: m ? m[1] : "scenario.cfg" },
                 document.body);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  } catch (e) {
    showError(col, e.message);
  }
}

// ---- drawing ----

// The value range of variable v over every column that draws it (so the
// scenarios side by side share their scales): [lo, hi], 0 included for
// positive series.
function yRange(v) {
  let lo = Infinity, hi = -Infinity;
  const see = a => { for (const x of a || []) if (x !== null) { lo = Math.min(lo, x); hi = Math.max(hi, x); } };
  for (const col of columns) {
    if (!col.cur) continue;
    see(col.cur.series[v]);
    if (col.base) see(col.base.series[v]);
    for (const d of col.sc.data) if (d.variable === v) see(d.value);
  }
  if (!(hi >= lo)) return [0, 1];
  if (lo > 0) lo = 0;
  if (hi < 0) hi = 0;
  if (hi === lo) hi = lo + 1;
  const t = ticks(lo, hi, 4);
  return [Math.min(lo, t[0]), Math.max(hi, t[t.length - 1])];
}

function drawPanel(col, v) {
  const meta = col.sc.variables.find(x => x.name === v);
  const time = col.cur.time, t0 = col.sc.start, t1 = col.sc.stop;
  const [lo, hi] = yRange(v);
  const X = t => M.l + (t - t0) / (t1 - t0) * (W - M.l - M.r);
  const Y = y => H - M.b - (y - lo) / (hi - lo) * (H - M.t - M.b);
  const svg = el("svg:svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "data-var": v,
                              "data-domain": `${t0},${t1},${lo},${hi}`,
                              "data-range": `${M.l},${W - M.r},${H - M.b},${M.t}` });
  const unit = unitText(meta.units);
  const title = el("svg:text", { x: M.l, y: 13, class: "title" }, svg,
                   (meta.label || humanize(v)) + (unit ? ` (${unit})` : ""));
  if (meta.doc) el("svg:title", {}, title, meta.doc);
  const ax = el("svg:g", { class: "axis" }, svg);
  for (const y of ticks(lo, hi, 4)) {
    el("svg:line", { x1: M.l, x2: W - M.r, y1: Y(y), y2: Y(y) }, ax);
    el("svg:text", { x: M.l - 4, y: Y(y) + 3, "text-anchor": "end" }, ax, si(y));
  }
  for (const t of ticks(t0, t1, 6))
    el("svg:text", { x: X(t), y: H - 6, "text-anchor": "middle" }, ax, String(t));
  const path = (ys, cls) => {
    let d = "", pen = false;
    ys.forEach((y, i) => {
      if (y === null) { pen = false; return; }
      d += `${pen ? "L" : "M"}${X(time[i]).toFixed(2)},${Y(y).toFixed(2)}`;
      pen = true;
    });
    return el("svg:path", { d, class: cls }, svg);
  };
  if (col.base) path(col.base.series[v], "baseline");
  const cur = path(col.cur.series[v], "curve");
  cur.setAttribute("data-scenario", col.sc.id);
  cur.setAttribute("data-var", v);
  cur.setAttribute("data-values", JSON.stringify(col.cur.series[v]));
  for (const d of col.sc.data)
    if (d.variable === v)
      d.time.forEach((t, i) => {
        if (d.value[i] !== null && t >= t0 && t <= t1)
          el("svg:circle", { cx: X(t), cy: Y(d.value[i]), r: 2.6, class: "datapt" }, svg);
      });
  return svg;
}

// The dominant loop over time: a strip on the panels' time axis, and the
// spans named below it.
function drawDominance(col) {
  const box = col.dominance;
  box.textContent = "";
  const spans = col.cur.dominant || [];
  el("h3", {}, box, "Dominant feedback loop");
  if (!spans.length) {
    el("p", { class: "hint" }, box, col.cur.loops_error || "No loop dominates.");
    return;
  }
  const t0 = col.sc.start, t1 = col.sc.stop, h = 16;
  const X = t => M.l + (t - t0) / (t1 - t0) * (W - M.l - M.r);
  const svg = el("svg:svg", { viewBox: `0 0 ${W} ${h}` }, box);
  const hue = id => { let x = 0; for (const c of id) x = (x * 31 + c.charCodeAt(0)) % 360; return x; };
  const step = col.cur.time.length > 1 ? col.cur.time[1] - col.cur.time[0] : 1;
  for (const d of spans) {
    const r = el("svg:rect", { x: X(d.from - step), y: 1, width: Math.max(1, X(d.to) - X(d.from - step)),
                               height: h - 2, fill: `hsl(${hue(d.id)},55%,${d.polarity === "R" ? 55 : 70}%)` }, svg);
    el("svg:title", {}, r, `${d.from}-${d.to}: ${loopText(d)}`);
  }
  const ol = el("ol", { class: "loops" }, box);
  for (const d of spans)
    el("li", { "data-loop": d.id }, ol,
       `${d.from === d.to ? d.to : `${d.from}–${d.to}`}: ${loopText(d)}`);
}

function redrawAll() {
  for (const col of columns) {
    if (!col.cur) continue;
    col.panels.textContent = "";
    for (const v of col.sc.variables)
      el("div", { class: "panel" }, col.panels).appendChild(drawPanel(col, v.name));
    drawDominance(col);
  }
}

// ---- start ----

async function start() {
  const status = document.getElementById("status");
  try {
    const r = await fetch("/api/scenarios");
    const { scenarios } = await r.json();
    for (const sc of scenarios) buildColumn(sc);
    await Promise.all(columns.map(async col => {
      const r2 = await post("/api/run", { scenario: col.sc.id, set: {}, loops: true });
      col.base = await r2.json();
      col.cur = col.base;
      col.root.dataset.runs = "0";
      col.root.dataset.busy = "0";
    }));
    redrawAll();
    document.body.dataset.ready = "1";
    status.textContent = `${columns.length} scenario${columns.length === 1 ? "" : "s"} served by migdev.`;
  } catch (e) {
    status.textContent = `The server did not answer: ${e.message}`;
    status.className = "error";
  }
}
start();
