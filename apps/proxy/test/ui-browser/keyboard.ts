/**
 * Keyboard checks: where Tab goes, and which controls it never reaches.
 * Elements are named as assistive technology sees them — `role "name"` from
 * Playwright's ARIA snapshot — so a control without an accessible name
 * shows up as one.
 */
import type { Locator, Page } from 'playwright-core';

/** `role "accessible name"` of an element (the first line of its ARIA snapshot, without its value). */
async function accessibleLabel(element: Locator): Promise<string> {
  const snapshot = await element.ariaSnapshot();
  const m = /^- ([\w-]+)(?: "((?:[^"\\]|\\.)*)")?/.exec(snapshot);
  return m ? `${m[1]} "${m[2] ?? ''}"` : snapshot.split('\n')[0]!;
}

/** Playwright's selector for "the focused element". */
const FOCUSED = '*:focus';

/**
 * Presses Tab from the top of the page until focus leaves the page or
 * comes back round (or `max` presses), returning each stop in order.
 */
export async function tabStops(page: Page, max = 120): Promise<string[]> {
  // Tab starts after the last focused or clicked node: start it from a
  // focusable marker placed first in the page, removed after the first press.
  await page.evaluate(`(() => {
    const marker = document.createElement('span');
    marker.id = 'tab-start';
    marker.tabIndex = -1;
    document.body.prepend(marker);
    marker.focus();
  })()`);
  const stops: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (i === 0) await page.evaluate(`document.getElementById('tab-start')?.remove()`);
    const focused = page.locator(FOCUSED);
    if ((await focused.count()) === 0) break;
    const stop = await accessibleLabel(focused.first());
    if (stop === stops[0]) break;
    stops.push(stop);
  }
  return stops;
}

/** Visible, enabled controls on the page that are not among `stops`. */
export async function unreachedControls(page: Page, stops: string[]): Promise<string[]> {
  const controls = await page.locator('a[href], button, input, select, textarea').all();
  const missing: string[] = [];
  for (const control of controls) {
    if (!(await control.isVisible()) || !(await control.isEnabled())) continue;
    const label = await accessibleLabel(control);
    if (!stops.includes(label)) missing.push(label);
  }
  return missing;
}
