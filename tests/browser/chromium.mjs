// Debian's Chromium for the harness pages (tests/browser, tests/scenes), headless, with the switches that keep it off
// the network it cannot reach here (without them Chromium floods the closed network with background requests).
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** @param {string} [executablePath] default $CHROMIUM or /usr/bin/chromium */
export function launchChromium(executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium') {
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
}
