// The one way the tests' browser scripts start Chromium (Debian's, driven by puppeteer-core) and end.
//
// The browser talks to its script over a pipe rather than a socket, so it ends with the script
// however the script ends: a test that kills its script on a failure leaves no Chromium behind.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import puppeteer from "puppeteer-core";

// This machine has no network: without these Chromium waits on refused connections.
const CHROMIUM_ARGS = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
];

// The Chromium a script was given (`--chromium PATH` first on its command line, taken off `argv`).
export function chromiumFrom(argv) {
  if (argv[0] !== "--chromium") return "/usr/bin/chromium";
  return argv.splice(0, 2)[1];
}

// Run `use(browser)` with a fresh Chromium and profile, both gone once it ends, however it ends.
export async function withBrowser(chromium, use) {
  const profile = mkdtempSync(join(tmpdir(), "packgen-chromium-"));
  const browser = await puppeteer.launch({ executablePath: chromium, headless: true, userDataDir: profile,
    args: CHROMIUM_ARGS, pipe: true, timeout: 60000, protocolTimeout: 120000 });
  try {
    return await use(browser);
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

// Run a script's `main`: an error is printed and ends the script with status 1.
export function run(main) {
  main().catch((err) => {
    process.stderr.write(`${err.stack || err}\n`);
    process.exit(1);
  });
}
