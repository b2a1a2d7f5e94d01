// Opens our HTML pages in a real browser (Debian's Chromium, driven by puppeteer-core), runs
// axe-core on each, and measures what axe cannot: text size, reflow at 320px, the picture-left
// layout of easy-read points, the skip link under the keyboard, focus styles, embedded fonts and
// any request a page makes. Prints one JSON object; tests/test_html_writer.py asserts on it.
//
//   node axe_check.mjs [--chromium PATH] [--screenshots DIR] page.html|http://127.0.0.1:PORT/...
//
// One browser serves every file: Chromium is slow to start.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { run, withBrowser } from "./browser.mjs";

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve("axe-core/axe.min.js");
const AXE_VERSION = JSON.parse(readFileSync(require.resolve("axe-core/package.json"), "utf8")).version;
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
const WIDE = { width: 1024, height: 900 };
const NARROW = { width: 320, height: 900 };
const SERVED = /^https?:\/\//;  // a page a server serves (packgen preview's), not a file

function parseArgs(argv) {
  const opts = { chromium: "/usr/bin/chromium", screenshots: null, files: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--chromium") opts.chromium = argv[++i];
    else if (argv[i] === "--screenshots") opts.screenshots = argv[++i];
    else opts.files.push(SERVED.test(argv[i]) ? argv[i] : resolve(argv[i]));
  }
  return opts;
}

function summarise(violations) {
  return violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })),
  }));
}

async function runAxe(page, values) {
  await page.addScriptTag({ path: AXE_PATH });
  const result = await page.evaluate(
    (vals) => window.axe.run(document, { runOnly: { type: "tag", values: vals }, resultTypes: ["violations"] }),
    values,
  );
  return summarise(result.violations);
}

// Everything measured inside the page, at the current viewport.
function measure() {
  const px = (el, prop) => parseFloat(getComputedStyle(el)[prop]);
  const textEls = [...document.querySelectorAll(
    "main p, main li, main td, main th, main label, main legend, main figcaption, main input, main textarea",
  )];
  const sizes = textEls.map((el) => px(el, "fontSize"));
  const bodyParas = [...document.querySelectorAll("main p:not([class])")];
  const points = [...document.querySelectorAll(".point")].map((point) => {
    const pic = point.querySelector(".point-picture").getBoundingClientRect();
    const text = point.querySelector(".point-text").getBoundingClientRect();
    return {
      pictureRight: pic.right, pictureTop: pic.top, pictureBottom: pic.bottom, pictureWidth: pic.width,
      textLeft: text.left, textTop: text.top, textBottom: text.bottom,
    };
  });
  const images = [...document.images].map((img) => ({
    alt: img.getAttribute("alt"), loaded: img.complete && img.naturalWidth > 0, width: img.getBoundingClientRect().width,
  }));
  // Controls, and links that are not part of a sentence (WCAG 2.5.8 exempts inline links).
  const targets = [...document.querySelectorAll(
    "input, textarea, select, button, header a, footer a, main a:only-child",
  )].map((el) => {
    const box = el.getBoundingClientRect();
    return { tag: el.tagName, id: el.id, type: el.type || "", width: box.width, height: box.height };
  });
  return {
    targets,
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
    minTextPx: sizes.length ? Math.min(...sizes) : null,
    bodyTextPx: bodyParas.length ? Math.min(...bodyParas.map((p) => px(p, "fontSize"))) : null,
    bodyLineHeight: bodyParas.length ? px(bodyParas[0], "lineHeight") / px(bodyParas[0], "fontSize") : null,
    fontFamily: getComputedStyle(document.body).fontFamily,
    points,
    images,
  };
}

async function keyboard(page) {
  // The first Tab lands on the skip link, which must show itself; Enter moves focus to <main>.
  await page.evaluate(() => document.activeElement && document.activeElement.blur());
  await page.keyboard.press("Tab");
  const skip = await page.evaluate(() => {
    const el = document.activeElement;
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return {
      className: el.className, href: el.getAttribute("href"), width: box.width, height: box.height,
      outline: style.outlineStyle, boxShadow: style.boxShadow, background: style.backgroundColor,
    };
  });
  await page.keyboard.press("Enter");
  const afterSkip = await page.evaluate(() => document.activeElement.id);
  // Focus styles on the first link and the first form control in the content.
  const focusStyle = async (selector) => page.evaluate((sel) => {
    const el = document.querySelector(sel);
    if (!el) return null;
    return { selector: sel, outline: getComputedStyle(el).outlineStyle,
      outlineWidth: parseFloat(getComputedStyle(el).outlineWidth), boxShadow: getComputedStyle(el).boxShadow };
  }, selector);
  const controls = [];
  for (const selector of ["main a[href]", "main input", "main textarea"]) {
    if (await page.$(selector)) {
      await page.focus(selector);  // not keyboard: checks :focus-visible for controls that always match
      controls.push(await focusStyle(`${selector}:focus`));
    }
  }
  // A link only shows :focus-visible after keyboard use: tab from <main> to the first content link.
  if (await page.$("main a[href]")) {
    await page.evaluate(() => document.getElementById("main_content").focus());
    await page.keyboard.press("Tab");
    controls.push(await page.evaluate(() => {
      const el = document.activeElement;
      const style = getComputedStyle(el);
      return { selector: "keyboard-link", tag: el.tagName, visible: el.matches(":focus-visible"),
        outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth), boxShadow: style.boxShadow };
    }));
  }
  return { skip, afterSkip, controls };
}

async function check(browser, file, screenshots) {
  const address = SERVED.test(file) ? file : pathToFileURL(file).href;
  const page = await browser.newPage();
  const requests = [];
  const errors = [];
  page.on("request", (req) => {
    const url = req.url().split("#")[0];
    if (!url.startsWith("data:") && url !== address) requests.push(url);
  });
  page.on("pageerror", (err) => errors.push(String(err)));
  await page.setViewport(WIDE);
  await page.goto(address, { waitUntil: "load" });
  const fonts = await page.evaluate(async () => {
    await Promise.allSettled([...document.fonts].map((f) => f.load()));
    await document.fonts.ready;
    return [...document.fonts].map((f) => ({ family: f.family, weight: f.weight, style: f.style, status: f.status }));
  });
  const result = { file, fonts, requests, errors };
  result.scriptCount = await page.evaluate(() => document.scripts.length);
  result.wide = await page.evaluate(measure);
  result.violations = await runAxe(page, TAGS);
  result.bestPractice = await runAxe(page, ["best-practice"]);
  const stem = basename(file, ".html");
  if (screenshots) await page.screenshot({ path: join(screenshots, `${stem}-wide.png`), fullPage: true });
  result.keyboard = await keyboard(page);

  await page.setViewport(NARROW);
  await page.reload({ waitUntil: "load" });
  result.narrow = await page.evaluate(measure);
  result.narrowViolations = await runAxe(page, TAGS);
  if (screenshots) await page.screenshot({ path: join(screenshots, `${stem}-320.png`), fullPage: true });
  // Printed (the browser's Print, emulated): what shows, what a field's box looks like, where pages
  // may break.
  await page.emulateMediaType("print");
  result.print = await page.evaluate(() => {
    // Drawn at all (an element inside one with display: none has no boxes).
    const shown = (sel) => [...document.querySelectorAll(sel)].map((el) => el.getClientRects().length > 0);
    const boxes = [...document.querySelectorAll("main input:not([type=checkbox]), main textarea")].map((el) => {
      const style = getComputedStyle(el);
      return { id: el.id, border: parseFloat(style.borderTopWidth), borderStyle: style.borderTopStyle,
        height: el.getBoundingClientRect().height, value: el.value };
    });
    return {
      nav: shown("nav"), skipLink: shown(".skip-link"), buttons: shown("button"), printHow: shown(".print-how"),
      fieldBreakInside: [...document.querySelectorAll(".field")].map((el) => getComputedStyle(el).breakInside),
      boxes,
    };
  });
  await page.emulateMediaType(null);
  await page.close();
  return result;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  await withBrowser(opts.chromium, async (browser) => {
    const results = [];
    for (const file of opts.files) results.push(await check(browser, file, opts.screenshots));
    const out = { chromium: await browser.version(), axe: AXE_VERSION, tags: TAGS, results };
    process.stdout.write(JSON.stringify(out, null, 1) + "\n");
  });
}

run(main);
