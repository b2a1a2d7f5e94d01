// Prints a web page as the browser's Print command does (print media, Chromium's own PDF), after
// typing into its form fields, so a test can read what a reader's printed copy holds.
//
//   node print_page.mjs [--chromium PATH] page.html out.pdf '{"field_id": "typed words", ...}'
//
// A value "yes" ticks a tick box. Prints one JSON object: the ids filled.

import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromiumFrom, run, withBrowser } from "./browser.mjs";

async function main() {
  const argv = process.argv.slice(2);
  const chromium = chromiumFrom(argv);
  const [file, out, valuesJson] = argv;
  const values = JSON.parse(valuesJson || "{}");
  await withBrowser(chromium, async (browser) => {
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
  });
}

run(main);
