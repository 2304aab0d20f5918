// End-to-end tests of narrow windows (issue 13 item 16): at 800 px the fleet is on the first
// screen and the page scrolls as one (no small inner scroll box); at 1024 px the timeline's
// slider keeps a usable width; at 500 px every way to keep work (Save, Share link, Export,
// Import) is reachable; a jump error never squeezes the slider. A screenshot at 500, 800, 1024
// and 1280 px each.

import assert from 'node:assert/strict';
import test from 'node:test';
import { openApp, screenshot, shareBrowser, waitForApp } from './harness.mjs';

shareBrowser();

const TEST_TIMEOUT_MS = 60_000;
/** Narrower than this, a slider is too short to aim at a moment (18rem, the playbar's minimum, is 288 px). */
const SLIDER_MIN_PX = 280;

/** The bounding box of the first element matching `selector`. */
async function box(page, selector) {
  const found = await page.locator(selector).first().boundingBox();
  assert.ok(found, `${selector} is laid out`);
  return found;
}

for (const width of [500, 800, 1024, 1280]) {
  test(`at ${width} px: the fleet on the first screen, the slider usable, the toolbar reachable`, { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const height = 720;
    const { page, errors } = await openApp(t, { width, height });
    await waitForApp(page);
    await screenshot(page, `narrow-${width}`);

    // The first container instance starts on the first screen (at 500 px: the fleet's heading).
    const instance = await box(page, '[data-testid=fleet] [data-testid=instance]');
    const fleet = await box(page, '[data-testid=fleet]');
    if (width >= 800) {
      assert.ok(instance.y + 40 < height, `an instance card shows on the first screen (its top at ${instance.y} px)`);
    } else {
      assert.ok(fleet.y < height, `the fleet starts on the first screen (at ${fleet.y} px)`);
    }
    // No small inner scroll box around the fleet: the fleet's column shows all it holds, or is
    // at least as tall as most of the window.
    const column = await page.locator('.fleet-column').evaluate((el) => ({ client: el.clientHeight, scroll: el.scrollHeight }));
    assert.ok(column.scroll <= column.client + 1 || column.client >= height * 0.6,
      `the fleet is not in an inner scroll box (${column.client} px showing ${column.scroll} px)`);

    // The slider keeps a usable width.
    const slider = await box(page, '[data-testid=scrubber]');
    assert.ok(slider.width >= Math.min(SLIDER_MIN_PX, width - 60), `the slider is ${slider.width} px wide`);

    // Every way to keep work is on screen and can be clicked.
    for (const [testid, selector] of [['save'], ['share'], ['export', '[data-testid=export-menu] > summary'], ['import']]) {
      const button = page.locator(selector ?? `[data-testid=${testid}]`);
      const at = await button.boundingBox();
      assert.ok(at && at.x >= 0 && at.x + at.width <= width, `${testid} is inside the window (${JSON.stringify(at)})`);
      await button.click({ trial: true });
    }

    // A jump error does not squeeze the slider.
    await page.getByLabel('Jump to time').fill('not a time at all, really not');
    await page.getByRole('button', { name: 'Go', exact: true }).click();
    await page.locator('[data-testid=jump-error]').waitFor();
    const squeezed = await box(page, '[data-testid=scrubber]');
    assert.ok(squeezed.width >= Math.min(SLIDER_MIN_PX, width - 60), `with the jump error shown the slider is ${squeezed.width} px wide`);
    const error = await box(page, '[data-testid=jump-error]');
    assert.ok(error.x + error.width <= width + 1, 'the error fits the window');
    await screenshot(page, `narrow-${width}-jump-error`);
    assert.deepEqual(errors, []);
  });
}
