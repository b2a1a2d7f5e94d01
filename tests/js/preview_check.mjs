// Opens `packgen preview` in a real browser (Debian's Chromium, driven by puppeteer-core) and waits,
// never reloading the page itself, for each step's words (a string or a list) to appear on the
// preview page or in any of its frames (the documents' web pages), for those it names absent to be
// gone and, when it names a picture address ("pages/standard/charter-"), for a picture there other
// than those shown when the step began to be drawn. Prints {"ready": i} as step i begins (the test
// then edits a file), and {"step": i, "text": ..., "version": the preview page's version,
// "words_at": ms, "picture_at": ms} once it is seen (ms: the clock's milliseconds).
//
//   node preview_check.mjs [--chromium PATH] URL '[{"present": "words", "picture": "pages/..."},
//                                                 {"present": "words", "absent": "words"}, ...]'

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

// The addresses of the pictures starting `prefix` that the page shows drawn (loaded and decoded).
async function shownPictures(page, prefix) {
  return page.mainFrame().evaluate((p) => [...document.images]
    .filter((img) => img.getAttribute("src").startsWith(p) && img.complete && img.naturalWidth > 0)
    .map((img) => img.getAttribute("src")), prefix).catch(() => []);
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
    await page.goto(url, { waitUntil: "load" });
    for (const [index, step] of steps.entries()) {
      const before = step.picture ? new Set(await shownPictures(page, step.picture)) : null;
      process.stdout.write(JSON.stringify({ ready: index }) + "\n");
      const started = Date.now();
      let wordsAt = null;
      let pictureAt = step.picture ? null : 0;
      let text = "";
      while (wordsAt === null || pictureAt === null) {
        text = await allText(page);
        if (wordsAt === null && [step.present ?? []].flat().every((words) => text.includes(words)) &&
            [step.absent ?? []].flat().every((words) => !text.includes(words))) {
          wordsAt = Date.now();
        }
        if (pictureAt === null && (await shownPictures(page, step.picture)).some((src) => !before.has(src))) {
          pictureAt = Date.now();
        }
        if (Date.now() - started > STEP_TIMEOUT_MS) {
          throw new Error(`step ${index} not seen in ${STEP_TIMEOUT_MS} ms: ${JSON.stringify(step)}; ` +
                          `the page shows: ${text.slice(0, 2000)}`);
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      const version = await page.mainFrame().evaluate(() => document.body.dataset.version).catch(() => null);
      process.stdout.write(JSON.stringify({ step: index, text, version, words_at: wordsAt, picture_at: pictureAt })
                           + "\n");
    }
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${err.stack || err}\n`);
  process.exit(1);
});
