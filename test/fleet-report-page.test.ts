/**
 * The fleet report's HTML page in real headless Chromium: the charts are drawn, the tables sort and
 * filter, nothing is logged as an error, no request leaves the page, values from repositories stay text,
 * and it reads in dark mode and on a phone.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { platform } from './helpers/cli.js';
import { inkOf, openPage, type OpenedPage } from './helpers/chromium.js';
import { HOSTILE_NAME, HOSTILE_REASON, makeFleet } from './helpers/local-fleet.js';

let html: string;
let opened: OpenedPage | undefined;

beforeAll(() => {
  const fleet = makeFleet();
  const run = platform(['report', ...fleet.dirs, '--format', 'html']);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  html = run.stdout;
}, 120_000);

afterEach(async () => {
  await opened?.context.close();
  opened = undefined;
});

async function open(options?: Parameters<typeof openPage>[1]): Promise<OpenedPage> {
  opened = await openPage(html, options);
  return opened;
}

const rowNames = (page: OpenedPage['page']) => page.$$eval('#repositories tbody tr:not([hidden]) th', (cells) => cells.map((cell) => cell.textContent));

describe('platform report --format html, in Chromium', () => {
  it('draws the version and compliance charts, asks for nothing and logs no error', async () => {
    const { page, context, outside, errors } = await open();
    for (const id of ['chart-versions', 'chart-compliance']) {
      const chart = page.locator(`canvas#${id}`);
      await expect.poll(() => chart.evaluate((canvas: HTMLCanvasElement) => canvas.width)).toBeGreaterThan(100);
      const drawn = await inkOf(context, await chart.screenshot());
      expect(drawn.ink, id).toBeGreaterThan(0.05);
      expect(drawn.colours, id).toBeGreaterThan(3);
    }
    const whole = await inkOf(context, await page.screenshot({ fullPage: true }));
    expect(whole.ink).toBeGreaterThan(0.05);
    expect(errors).toEqual([]);
    expect(outside).toEqual([]);
    // The page says so itself: no source but its own script and style, whatever a value in it might try.
    expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toMatch(/^default-src 'none'; script-src 'sha256-[A-Za-z0-9+/=]+'; style-src 'sha256-[A-Za-z0-9+/=]+'; img-src data:; base-uri 'none'; form-action 'none'$/);
  });

  it('sorts a table by a column, both ways, numbers as numbers', async () => {
    const { page, errors } = await open();
    expect(await rowNames(page)).toEqual(['alpha', 'bravo', 'charlie', 'delta', 'echo', HOSTILE_NAME]);
    const errorsColumn = page.locator('#repositories thead th', { hasText: 'Errors' });
    await errorsColumn.locator('button').click();
    expect(await errorsColumn.getAttribute('aria-sort')).toBe('ascending');
    expect((await rowNames(page)).at(-1)).toBe('delta');
    await errorsColumn.locator('button').click();
    expect(await errorsColumn.getAttribute('aria-sort')).toBe('descending');
    expect(await rowNames(page)).toEqual(['delta', 'charlie', 'echo', 'alpha', 'bravo', HOSTILE_NAME]);
    await page.locator('#repositories thead th', { hasText: 'Repository' }).locator('button').click();
    await page.locator('#repositories thead th', { hasText: 'Repository' }).locator('button').click();
    expect(await rowNames(page)).toEqual([HOSTILE_NAME, 'echo', 'delta', 'charlie', 'bravo', 'alpha']);
    expect(await errorsColumn.getAttribute('aria-sort')).toBeNull();
    expect(errors).toEqual([]);
  });

  it('filters the rows by what they say, and counts what is shown', async () => {
    const { page, errors } = await open();
    const search = page.locator('input[data-filter="repositories"]');
    await expect.poll(() => page.locator('#repositories-shown').textContent()).toBe('6 of 6 shown');
    await search.fill('team-ledger');
    expect(await rowNames(page)).toEqual(['charlie', 'delta']);
    expect(await page.locator('#repositories-shown').textContent()).toBe('2 of 6 shown');
    await search.fill('LEDGER 1.0.0');
    expect(await rowNames(page)).toEqual(['delta']);
    await search.fill('');
    expect(await rowNames(page)).toHaveLength(6);
    expect(errors).toEqual([]);
  });

  it('shows what repositories say as text: no element, no script of theirs', async () => {
    const { page, errors } = await open();
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(await page.locator('#repositories tbody th', { hasText: 'golf' }).textContent()).toBe(HOSTILE_NAME);
    expect(await page.locator('#expiring-waivers tbody tr', { hasText: 'delta' }).locator('td').last().textContent()).toBe(HOSTILE_REASON);
    expect(await page.locator('script').count()).toBe(2);
    expect(errors).toEqual([]);
  });

  it('follows dark mode, and fits a phone without scrolling the page sideways', async () => {
    const { page, context, errors } = await open({ colorScheme: 'dark', width: 390, height: 844 });
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(13, 17, 23)');
    expect(await page.evaluate(() => getComputedStyle(document.body).color)).toBe('rgb(230, 237, 243)');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // The wide table scrolls inside its own box.
    expect(await page.locator('#repositories').evaluate((table) => table.parentElement!.scrollWidth > table.parentElement!.clientWidth)).toBe(true);
    const drawn = await inkOf(context, await page.locator('canvas#chart-versions').screenshot());
    expect(drawn.ink).toBeGreaterThan(0.05);
    expect(errors).toEqual([]);
  });
});
