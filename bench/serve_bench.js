// serve_bench.js - how long a slider move takes on the live page of
// `migdev serve` with the paper model (prints numbers; not a test).
//
//   1. the API alone: POST /api/run with loops (what one move asks for),
//      N requests in a row with a different value each, timed by node;
//   2. in headless chromium: a slider moved one step at a time, from the
//      input event to the end of the redraw (the page's own timings).
//
// usage: node bench/serve_bench.js MIGDEV_BIN [SCENARIO...]
// (run from the repository root; needs tests/browser/node_modules and chromium)
"use strict";
const { spawn } = require("child_process");
const path = require("path");

const bin = process.argv[2] || "build/migdev";
const files = process.argv.length > 3 ? process.argv.slice(3)
  : ["configs/state_led.cfg", "configs/remittance_based.cfg", "configs/compensatory_integration.cfg"];
const N_API = 100, N_MOVES = 20; // moves: fewer than the steps of a knob

function stats(ms) {
  const s = [...ms].sort((a, b) => a - b), q = p => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return `median ${q(0.5).toFixed(1)} ms, p90 ${q(0.9).toFixed(1)} ms, max ${s[s.length - 1].toFixed(1)} ms (${s.length} moves)`;
}

(async () => {
  const srv = spawn(bin, ["serve", ...files, "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise((res, rej) => {
    let out = "";
    srv.stdout.on("data", d => { out += d; const m = /http:\/\/[^ ]+\//.exec(out); if (m) res(m[0]); });
    srv.on("exit", c => rej(new Error(`migdev serve exited ${c}`)));
  });
  try {
    const { scenarios } = await (await fetch(url + "api/scenarios")).json();
    const sc = scenarios[0], k = sc.knobs.find(x => x.constant === "innovation_share") || sc.knobs[0];
    console.log(`scenario ${sc.id} (${sc.variables.length} curves drawn), knob ${k.constant}`);
    const api = [];
    for (let i = 0; i < N_API; i++) {
      const v = k.min + (k.max - k.min) * (i % 50) / 50;
      const t0 = performance.now();
      const r = await fetch(url + "api/run", { method: "POST",
        body: JSON.stringify({ scenario: sc.id, set: { [k.constant]: v }, loops: true }) });
      await r.json();
      api.push(performance.now() - t0);
    }
    console.log(`API, run + dominant loops + JSON over HTTP: ${stats(api)}`);
    const noloops = [];
    for (let i = 0; i < N_API; i++) {
      const v = k.min + (k.max - k.min) * (i % 50) / 50;
      const t0 = performance.now();
      const r = await fetch(url + "api/run", { method: "POST",
        body: JSON.stringify({ scenario: sc.id, set: { [k.constant]: v } }) });
      await r.json();
      noloops.push(performance.now() - t0);
    }
    console.log(`API, run only:                             ${stats(noloops)}`);

    let chromium;
    try {
      ({ chromium } = require(path.resolve("tests/browser/node_modules/playwright-core")));
    } catch (e) {
      console.log("browser: skipped (npm ci in tests/browser first)");
      return;
    }
    const browser = await chromium.launch({ executablePath: process.env.MIGDEV_CHROMIUM || "/usr/bin/chromium",
                                            args: ["--no-sandbox"] });
    const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
    await page.goto(url);
    await page.waitForSelector('body[data-ready="1"]');
    const sel = `section[data-scenario="${sc.id}"]`;
    const slider = page.locator(`${sel} .knob[data-constant="${k.constant}"] input[type=range]`);
    await slider.focus();
    await page.keyboard.press("Home");
    await page.waitForFunction(s => document.querySelector(s).dataset.busy === "0", sel);
    await page.evaluate(() => { window.migdevTimings.length = 0; });
    for (let i = 0; i < N_MOVES; i++) {
      const n = Number(await page.getAttribute(sel, "data-runs"));
      await page.keyboard.press("ArrowRight");
      await page.waitForFunction(([s, n]) => { const e = document.querySelector(s);
        return Number(e.dataset.runs) > n && e.dataset.busy === "0"; }, [sel, n]);
    }
    const t = await page.evaluate(() => window.migdevTimings);
    console.log(`browser, slider move to redrawn page (${scenarios.length} scenarios shown): ${stats(t)}`);
    await browser.close();
  } finally {
    srv.kill("SIGINT");
  }
})().catch(e => { console.error(e); process.exit(1); });
