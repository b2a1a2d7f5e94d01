// The tests drive Debian's Chromium (PUPPETEER_EXECUTABLE_PATH=/usr/bin/chromium): puppeteer, which
// Ace by DAISY depends on, must not download a browser of its own when `npm ci` installs it.
module.exports = { skipDownload: true };
