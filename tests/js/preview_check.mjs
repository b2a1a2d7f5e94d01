// Opens `packgen preview` in a real browser (Debian's Chromium, driven by puppeteer-core) and waits,
// never reloading the page itself, for each step's words (a string or a list) to appear on the
// preview page or in any of its frames (the documents' web pages), for those it names absent to be
// gone and, when it names a picture address ("pages/standard/charter-"), for a picture there other
// than those shown when the step began to be drawn. Prints {"ready": i} as step i begins (the test
// then edits a file), and {"step": i, "text": ..., "version": the preview page's version,
// "marked": whether the page was never loaded again, "frames_loaded": the frames loaded again since
// the step began (their paths), "pictures": the picture addresses new since then, "words_at": ms,
// "picture_at": ms} once it is seen (ms: the clock's milliseconds).
//
//   node preview_check.mjs [--chromium PATH] URL '[{"present": "words", "picture": "pages/..."},
//                                                 {"present": "words", "absent": "words"}, ...]'

import { chromiumFrom, run, withBrowser } from "./browser.mjs";

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

// Mark the window of the page and of each of its frames: a window loaded again has lost its mark.
async function mark(page) {
  await Promise.all(page.frames().map((frame) => frame.evaluate(() => { window.previewCheckMark = true; })
    .catch(() => null)));
}

// The paths of the frames whose mark is gone (loaded again since `mark`).
async function unmarkedFrames(page) {
  const frames = page.frames().filter((frame) => frame !== page.mainFrame());
  const marks = await Promise.all(frames.map((frame) => frame.evaluate(() => window.previewCheckMark === true)
    .catch(() => false)));
  return frames.filter((_, n) => !marks[n]).map((frame) => new URL(frame.url()).pathname).sort();
}

async function main() {
  const argv = process.argv.slice(2);
  const chromium = chromiumFrom(argv);
  const [url, stepsJson] = argv;
  const steps = JSON.parse(stepsJson);
  await withBrowser(chromium, async (browser) => {
    const page = await browser.newPage();
    await page.goto(url, { waitUntil: "load" });
    for (const [index, step] of steps.entries()) {
      await mark(page);
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
      const [version, marked, shown] = await page.mainFrame().evaluate((p) => [document.body.dataset.version,
        window.previewCheckMark === true, p ? [...document.images].map((img) => img.getAttribute("src"))
          .filter((src) => src.startsWith(p)) : []], step.picture ?? null).catch(() => [null, false, []]);
      process.stdout.write(JSON.stringify({ step: index, text, version, marked, frames_loaded: await unmarkedFrames(page),
        pictures: shown.filter((src) => !before.has(src)), words_at: wordsAt, picture_at: pictureAt }) + "\n");
    }
  });
}

run(main);
