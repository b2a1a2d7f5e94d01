// Opens `packgen preview` in a real browser (Debian's Chromium, driven by puppeteer-core) and waits,
// without ever reloading the page itself, for each step's words to appear on the preview page or in
// any of its frames (the documents' web pages), or to go. Prints one JSON line per step as it is
// seen, so the test can make the next edit; then one line with how many times the page reloaded.
//
//   node preview_check.mjs [--chromium PATH] URL '[{"present": "words"}, {"absent": "words"}, ...]'

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import puppeteer from "puppeteer-core";

const CHROMIUM_ARGS = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
];
const STEP_TIMEOUT_MS = 60000;

async function allText(page) {
  const texts = await Promise.all(page.frames().map((frame) =>
    frame.evaluate(() => (document.body ? document.body.innerText : "")).catch(() => "")));
  return texts.join("\n");
}

async function main() {
  const argv = process.argv.slice(2);
  let chromium = "/usr/bin/chromium";
  if (argv[0] === "--chromium") { chromium = argv[1]; argv.splice(0, 2); }
  const [url, stepsJson] = argv;
  const steps = JSON.parse(stepsJson);
  const profile = mkdtempSync(join(tmpdir(), "packgen-chromium-"));
  const browser = await puppeteer.launch({ executablePath: chromium, headless: true, userDataDir: profile,
    args: CHROMIUM_ARGS, timeout: 60000, protocolTimeout: 120000 });
  try {
    const page = await browser.newPage();
    let loads = 0;
    page.on("load", () => { loads += 1; });
    await page.goto(url, { waitUntil: "load" });
    for (const [index, step] of steps.entries()) {
      const started = Date.now();
      for (;;) {
        const text = await allText(page);
        const done = step.present !== undefined ? text.includes(step.present) : !text.includes(step.absent);
        if (done) break;
        if (Date.now() - started > STEP_TIMEOUT_MS) {
          throw new Error(`step ${index} not seen in ${STEP_TIMEOUT_MS} ms: ${JSON.stringify(step)}; ` +
                          `the page shows: ${text.slice(0, 2000)}`);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      process.stdout.write(JSON.stringify({ step: index, text: (await allText(page)) }) + "\n");
    }
    process.stdout.write(JSON.stringify({ reloads: loads - 1 }) + "\n");
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${err.stack || err}\n`);
  process.exit(1);
});
