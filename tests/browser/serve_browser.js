// serve_browser.js - `migdev serve` in a real browser (headless Debian
// chromium driven by playwright-core): the page loads from migdev alone,
// moving a slider redraws curves equal to `migdev run --set` for the same
// value (the values the curve was drawn from, and the pixels of the path),
// a value out of range shows the server's message and leaves the curves,
// "save this scenario" downloads a file `migdev run` reproduces, "reset"
// returns to the scenario as written, and a screenshot is taken.
//
// usage: node serve_browser.js MIGDEV_BIN REPO_ROOT OUT_DIR
// Exit 0 pass, 1 fail, 77 skip (no chromium / playwright-core).
"use strict";
const { spawn, execFileSync } = require("child_process");
const fs = require("fs");
const path = require("path");
const os = require("os");

const [bin, root, outDir] = process.argv.slice(2);
const CHROMIUM = process.env.MIGDEV_CHROMIUM || "/usr/bin/chromium";
let chromium;
try {
  ({ chromium } = require("playwright-core"));
} catch (e) {
  console.log("SKIP: playwright-core is not installed (scripts/test.sh installs it: npm ci in tests/browser)");
  process.exit(77);
}
if (!fs.existsSync(CHROMIUM)) {
  console.log(`SKIP: no chromium at ${CHROMIUM} (Debian package chromium; scripts/test.sh installs it)`);
  process.exit(77);
}

const scen = f => path.join(root, "configs", f);
const SCENARIOS = ["state_led.cfg", "remittance_based.cfg", "countries/mex.cfg"].map(scen);
let failures = 0;
function check(ok, what) {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures++;
}

// `migdev run FILE [--set ...] --vars V`: {time: [...], name: [...]} parsed from the CSV
function migdevRun(file, sets, vars) {
  const args = ["run", file, "--no-plots", "-o", "-", "--vars", vars.join(",")];
  for (const s of sets) args.push("--set", s);
  const csv = execFileSync(bin, args, { encoding: "utf8" });
  const lines = csv.trim().split("\n");
  const head = lines[0].split(",");
  const cols = {};
  head.forEach(h => (cols[h] = []));
  for (const l of lines.slice(1))
    l.split(",").forEach((x, i) => cols[head[i]].push(x === "" ? null : Number(x)));
  return cols;
}

function startServer() {
  return new Promise((resolve, reject) => {
    const p = spawn(bin, ["serve", ...SCENARIOS, "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    p.stdout.on("data", d => {
      out += d;
      const m = /http:\/\/[^ ]+\//.exec(out);
      if (m) resolve({ proc: p, url: m[0] });
    });
    p.on("exit", code => reject(new Error(`migdev serve exited with ${code}: ${out}`)));
  });
}

// The curves drawn in the column of scenario id: {var: {values, pts, domain, range}}
async function drawn(page, id) {
  return page.$$eval(`section[data-scenario="${id}"] svg[data-var]`, svgs => svgs.map(s => {
    const p = s.querySelector("path.curve");
    return { v: s.getAttribute("data-var"), values: JSON.parse(p.getAttribute("data-values")),
             d: p.getAttribute("d"), domain: s.getAttribute("data-domain").split(",").map(Number),
             range: s.getAttribute("data-range").split(",").map(Number) };
  }));
}

// Do the drawn curves of a column equal the series of `migdev run`? Values
// exactly (both sides print doubles that read back exactly), pixels to the
// 0.01 the path is written with.
function sameCurves(curves, ref, what) {
  let ok = curves.length > 0, why = "";
  for (const c of curves) {
    const want = ref[c.v];
    if (!want || want.length !== c.values.length) { ok = false; why = `${c.v}: length`; break; }
    for (let i = 0; i < want.length; i++)
      if (want[i] !== c.values[i]) { ok = false; why = `${c.v}[${i}]: ${c.values[i]} != ${want[i]}`; break; }
    const [t0, t1, lo, hi] = c.domain, [x0, x1, y0, y1] = c.range;
    const pts = c.d.match(/-?[\d.]+,-?[\d.]+/g).map(p => p.split(",").map(Number));
    pts.forEach((p, i) => {
      const x = x0 + (ref.time[i] - t0) / (t1 - t0) * (x1 - x0);
      const y = y0 + (want[i] - lo) / (hi - lo) * (y1 - y0);
      if (Math.abs(p[0] - x) > 0.006 || Math.abs(p[1] - y) > 0.006) { ok = false; why = `${c.v} pixel ${i}`; }
    });
    if (!ok) break;
  }
  check(ok, `${what}${why ? ` (${why})` : ""}`);
}

async function waitRuns(page, id, n) {
  await page.waitForFunction(([id, n]) => {
    const s = document.querySelector(`section[data-scenario="${id}"]`);
    return Number(s.dataset.runs) >= n && s.dataset.busy === "0";
  }, [id, n], { timeout: 20000 });
}

(async () => {
  fs.mkdirSync(outDir, { recursive: true });
  const srv = await startServer();
  let browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    const ctx = await browser.newContext({ viewport: { width: 1500, height: 1100 }, acceptDownloads: true });
    const page = await ctx.newPage();
    const offsite = [];
    page.on("request", r => { if (!r.url().startsWith(srv.url)) offsite.push(r.url()); });
    const errors = [];
    page.on("pageerror", e => errors.push(e.message));
    await page.goto(srv.url);
    await page.waitForSelector('body[data-ready="1"]', { timeout: 20000 });
    check(offsite.length === 0, `everything comes from migdev itself (${offsite.join(" ") || "no other host"})`);
    const ids = await page.$$eval("section.scenario", s => s.map(x => x.dataset.scenario));
    check(ids.join() === "state_led,remittance_based,mex", `three scenarios side by side: ${ids}`);

    // as loaded: the scenario as written
    const id = "state_led", file = SCENARIOS[0], knob = "reform_innovation_share";
    let curves = await drawn(page, id);
    const vars = curves.map(c => c.v);
    sameCurves(curves, migdevRun(file, [], vars), "as loaded, the curves are `migdev run` of the scenario");

    // move the slider with the keyboard: five steps right
    const slider = page.locator(`section[data-scenario="${id}"] .knob[data-constant="${knob}"] input[type=range]`);
    const runs0 = Number(await page.getAttribute(`section[data-scenario="${id}"]`, "data-runs"));
    await slider.focus();
    for (let i = 0; i < 5; i++) await page.keyboard.press("ArrowRight");
    await waitRuns(page, id, runs0 + 1);
    // the last value may still be on its way: wait until the page is quiet
    await page.waitForTimeout(300);
    await waitRuns(page, id, runs0 + 1);
    const value = await slider.inputValue();
    check(Number(value) > 0.12, `the slider moved: ${knob} = ${value}`);
    curves = await drawn(page, id);
    const moved = migdevRun(file, [`${knob}=${value}`], vars);
    sameCurves(curves, moved, `after the move, the curves are \`migdev run --set ${knob}=${value}\``);
    await page.waitForSelector(`section[data-scenario="${id}"][data-loops="done"]`, { timeout: 20000 });
    const dom = await page.$$eval(`section[data-scenario="${id}"] .dominance li`, l => l.map(x => x.textContent));
    check(dom.length > 0 && /loop|\(/.test(dom[0]), `the dominant loop is named under the curves: ${dom[0]}`);
    const other = await drawn(page, "remittance_based");
    sameCurves(other, migdevRun(SCENARIOS[1], [], other.map(c => c.v)), "the other scenario did not change");
    const dots = await page.$$eval('section[data-scenario="mex"] circle.datapt', c => c.length);
    check(dots > 20, `calibration data drawn as points (${dots})`);

    await page.screenshot({ path: path.join(outDir, "classroom.png"), fullPage: false });
    if (process.env.MIGDEV_SCREENSHOT)
      await page.screenshot({ path: process.env.MIGDEV_SCREENSHOT, fullPage: false });

    // error path: a typed value out of range -> the server's message, curves kept
    const num = page.locator(`section[data-scenario="${id}"] .knob[data-constant="${knob}"] input[type=number]`);
    const runs1 = Number(await page.getAttribute(`section[data-scenario="${id}"]`, "data-runs"));
    await num.fill("9");
    await num.press("Enter");
    await num.blur();
    await waitRuns(page, id, runs1 + 1);
    const msg = await page.textContent(`section[data-scenario="${id}"] .error`);
    const kb = await page.evaluate(async ([id, knob]) => {
      const { scenarios } = await (await fetch("/api/scenarios")).json();
      return scenarios.find(s => s.id === id).knobs.find(k => k.constant === knob);
    }, [id, knob]);
    check(msg === `${knob} = 9 is out of its range [${kb.min}, ${kb.max}]`, `out of range: the page says "${msg}"`);
    sameCurves(await drawn(page, id), moved, "after the refused value the curves stay as they were");
    await page.screenshot({ path: path.join(outDir, "error.png") });

    // a typed value in range works too
    const runs2 = Number(await page.getAttribute(`section[data-scenario="${id}"]`, "data-runs"));
    await num.fill("0.0123");
    await num.press("Enter");
    await num.blur();
    await waitRuns(page, id, runs2 + 1);
    sameCurves(await drawn(page, id), migdevRun(file, [`${knob}=0.0123`], vars), "a typed value is run like a slider move");
    check((await page.textContent(`section[data-scenario="${id}"] .error`)) === "", "the error is cleared");

    // save this scenario: migdev run on the download gives the drawn curves
    const [dl] = await Promise.all([page.waitForEvent("download"),
                                    page.click(`section[data-scenario="${id}"] button.save`)]);
    const saved = path.join(outDir, dl.suggestedFilename());
    await dl.saveAs(saved);
    check(dl.suggestedFilename() === "state_led-custom.cfg", `download named ${dl.suggestedFilename()}`);
    sameCurves(await drawn(page, id), migdevRun(saved, [], vars), "`migdev run` on the saved scenario gives the drawn curves");

    // reset: back to the scenario as written
    const runs3 = Number(await page.getAttribute(`section[data-scenario="${id}"]`, "data-runs"));
    await page.click(`section[data-scenario="${id}"] button.reset`);
    await waitRuns(page, id, runs3 + 1);
    check(Number(await slider.inputValue()) === kb.value, "reset puts the slider back");
    sameCurves(await drawn(page, id), migdevRun(file, [], vars), "reset: the curves of the scenario as written");
    check(errors.length === 0, `no script errors (${errors.join("; ")})`);
  } catch (e) {
    check(false, `browser test: ${e.stack || e}`);
  } finally {
    if (browser) await browser.close();
    srv.proc.removeAllListeners("exit");
    srv.proc.kill("SIGINT");
    const code = await new Promise(r => srv.proc.on("exit", (c, s) => r(c === null ? s : c)));
    check(code === 0, `migdev serve stops cleanly on Ctrl-C (exit ${code})`);
  }
  console.log(failures ? `${failures} check(s) failed` : "all checks passed");
  process.exit(failures ? 1 : 0);
})();
