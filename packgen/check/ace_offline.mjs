// Loaded into Ace by DAISY's node (NODE_OPTIONS=--import, set by ace.py) before Ace runs, so the
// Chromium Ace starts gets OFFLINE_SWITCHES. Ace renders the book with its scripts on (its findings
// are about the page as a reader sees it), and its puppeteer takes no extra browser switches from
// outside, so they are added where puppeteer starts the browser: the spawn of
// PUPPETEER_EXECUTABLE_PATH (ace.py always sets it). They come last, so they win over any of Ace's own.

import childProcess from "node:child_process";
import { realpathSync } from "node:fs";

import { OFFLINE_SWITCHES } from "./offline.mjs";

function real(path) {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

const browser = process.env.PUPPETEER_EXECUTABLE_PATH;
if (browser) {
  const spawn = childProcess.spawn;
  childProcess.spawn = function spawnOffline(file, args, ...rest) {
    if (typeof file === "string" && Array.isArray(args) && real(file) === real(browser)) {
      args = [...args, ...OFFLINE_SWITCHES];
    }
    return spawn.call(this, file, args, ...rest);
  };
}
