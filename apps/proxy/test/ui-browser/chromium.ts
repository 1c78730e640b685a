/**
 * Debian's `chromium`, driven by playwright-core (which downloads no
 * browser of its own). `.ci/run` installs the package when it is missing;
 * `CHROMIUM_PATH` points at another build.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The browser's executable, or an error saying how to install it (never a silent skip). */
export function chromiumPath(): string {
  const path = [process.env.CHROMIUM_PATH, ...CANDIDATES].find(p => p && existsSync(p));
  if (!path) {
    throw new Error(
      "No Chromium found: install Debian's package (`apt-get install -y chromium`, as .ci/run does) or set CHROMIUM_PATH.",
    );
  }
  return path;
}

/** A headless Chromium for one test file; close it in afterAll. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-default-apps',
      '--disable-extensions',
      '--disable-sync',
      '--no-first-run',
      '--metrics-recording-only',
    ],
  });
}
