/**
 * Real headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) for the pages this
 * package writes: a fresh profile per launch, nothing of the browser's own reaching the network, and
 * every request of the page recorded and answered here, so a test sees whether the page asks for anything.
 */
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { tempDir } from './repo.js';

export const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Where the page is served from: a name that resolves nowhere, answered by the route below. */
export const PAGE_URL = 'http://report.invalid/';

export interface OpenedPage {
  page: Page;
  context: BrowserContext;
  /** Every request the page made but the page itself: each was refused. */
  outside: string[];
  /** Console errors and uncaught exceptions. */
  errors: string[];
}

export async function openPage(html: string, options: { colorScheme?: 'light' | 'dark'; width?: number; height?: number } = {}): Promise<OpenedPage> {
  const context = await chromium.launchPersistentContext(tempDir('platform-chromium-'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    colorScheme: options.colorScheme ?? 'light',
    viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
  });
  const outside: string[] = [];
  const errors: string[] = [];
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (url === PAGE_URL) return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
    outside.push(url);
    return route.abort('blockedbyclient');
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  await page.goto(PAGE_URL, { waitUntil: 'load' });
  return { page, context, outside, errors };
}

/** How much of a PNG is not its most common colour, and how many colours it has: decoded by the browser itself. */
export async function inkOf(context: BrowserContext, png: Buffer): Promise<{ ink: number; colours: number }> {
  const blank = await context.newPage();
  try {
    return await blank.evaluate(async (base64) => {
      const image = new Image();
      image.src = `data:image/png;base64,${base64}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.naturalWidth;
      canvas.height = image.naturalHeight;
      const drawing = canvas.getContext('2d')!;
      drawing.drawImage(image, 0, 0);
      const pixels = drawing.getImageData(0, 0, canvas.width, canvas.height).data;
      const counts = new Map<number, number>();
      for (let index = 0; index < pixels.length; index += 4) {
        const key = (pixels[index]! << 16) | (pixels[index + 1]! << 8) | pixels[index + 2]!;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      const total = pixels.length / 4;
      return { ink: 1 - Math.max(...counts.values()) / total, colours: counts.size };
    }, png.toString('base64'));
  } finally {
    await blank.close();
  }
}
