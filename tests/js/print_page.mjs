// Prints a web page as the browser's Print command does (print media, Chromium's own PDF), after
// typing into its form fields, so a test can read what a reader's printed copy holds.
//
//   node print_page.mjs [--chromium PATH] page.html out.pdf '{"field_id": "typed words", ...}'
//
// A value "yes" ticks a tick box. Prints one JSON object: the ids filled.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import puppeteer from "puppeteer-core";

const CHROMIUM_ARGS = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
];

async function main() {
  const argv = process.argv.slice(2);
  let chromium = "/usr/bin/chromium";
  if (argv[0] === "--chromium") { chromium = argv[1]; argv.splice(0, 2); }
  const [file, out, valuesJson] = argv;
  const values = JSON.parse(valuesJson || "{}");
  const profile = mkdtempSync(join(tmpdir(), "packgen-chromium-"));
  const browser = await puppeteer.launch({ executablePath: chromium, headless: true, userDataDir: profile,
    args: CHROMIUM_ARGS, timeout: 60000, protocolTimeout: 120000 });
  try {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(resolve(file)).href, { waitUntil: "load" });
    const filled = [];
    for (const [id, value] of Object.entries(values)) {
      const selector = `[id="${id}"]`;
      const type = await page.$eval(selector, (el) => el.type);
      if (type === "checkbox") { if (value === "yes") await page.click(selector); }
      else await page.type(selector, value);
      filled.push(id);
    }
    await page.pdf({ path: resolve(out), preferCSSPageSize: true, printBackground: false });
    process.stdout.write(JSON.stringify({ filled }) + "\n");
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${err.stack || err}\n`);
  process.exit(1);
});
