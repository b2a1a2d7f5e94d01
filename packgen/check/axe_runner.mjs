// Runs axe-core on local HTML files in one headless Chromium, in the order given, and prints one JSON
// line for each as soon as it is checked:
//   {"file": "...", "violations": [...], "error": null}
// so that when the browser is stopped part-way (past its memory bound) the pages it checked keep
// their results and the first page without one is the page it was checking.
//
//   node axe_runner.mjs --node-modules DIR [--chromium PATH] page.html...
//
// Shipped with packgen.check (the Python side, axe.py, finds node_modules and calls this). It loads
// axe-core and puppeteer-core from DIR, so packgen itself needs no JavaScript install. The browser
// makes no network requests and runs none of a page's own scripts (a page handed to the checker
// may be hostile): the page loads with JavaScript off, so its scripts and load handlers never run,
// and it is turned on for axe alone; a request that is not file: or data: is refused, and every
// other way out (WebSocket, WebRTC) goes to a proxy that is not there (offline.mjs).

import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

import { OFFLINE_SWITCHES } from "./offline.mjs";

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
const ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
  ...OFFLINE_SWITCHES,
];

function parseArgs(argv) {
  const opts = { modules: null, chromium: "/usr/bin/chromium", files: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--node-modules") opts.modules = argv[++i];
    else if (argv[i] === "--chromium") opts.chromium = argv[++i];
    else opts.files.push(resolve(argv[i]));
  }
  return opts;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!opts.modules) throw new Error("--node-modules DIR is required");
  const require = createRequire(join(resolve(opts.modules), "packgen-axe-runner.js"));
  const axePath = require.resolve("axe-core/axe.min.js");
  const mod = await import(pathToFileURL(require.resolve("puppeteer-core")).href);
  const puppeteer = mod.default ?? mod;
  const profile = mkdtempSync(join(tmpdir(), "packgen-axe-"));
  const browser = await puppeteer.launch({
    executablePath: opts.chromium,
    headless: true,
    args: [...ARGS, `--user-data-dir=${profile}`],
  });
  try {
    for (const file of opts.files) {
      const page = await browser.newPage();
      try {
        await page.setJavaScriptEnabled(false);
        await page.setRequestInterception(true);
        page.on("request", (req) => (req.url().startsWith("file:") || req.url().startsWith("data:")
          ? req.continue() : req.abort()));
        await page.goto(pathToFileURL(file).href, { waitUntil: "load", timeout: 30000 });
        await page.setJavaScriptEnabled(true); // for axe alone: the page's own scripts never ran
        await page.addScriptTag({ path: axePath });
        const result = await page.evaluate(
          (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }),
          TAGS,
        );
        report({
          file,
          error: null,
          violations: result.violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            helpUrl: v.helpUrl,
            nodes: v.nodes.slice(0, 20).map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })),
          })),
        });
      } catch (err) {
        report({ file, error: String(err && err.message ? err.message : err), violations: [] });
      } finally {
        await page.close().catch(() => {});
      }
    }
  } finally {
    await browser.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  }
}

function report(result) {
  // written at once (standard output to a pipe is synchronous on Linux), so it outlives a kill that follows
  process.stdout.write(JSON.stringify(result) + "\n");
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack ? err.stack : err) + "\n");
  process.exit(2);
});
