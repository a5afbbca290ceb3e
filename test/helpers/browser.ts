/**
 * Debian's Chromium driven by puppeteer-core (scripts/ensure.sh --browser installs it; puppeteer-core
 * downloads none), and axe-core run inside a page for the WCAG 2.2 AA checks.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

export function chromiumPath(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(
      'Chromium is not installed: run `bash scripts/ensure.sh --browser` (Debian: apt-get install chromium)',
    );
  }
}

export function launchChromium(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: chromiumPath(),
    // Chromium's sandbox refuses to run as root (containers, CI).
    args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
  });
}

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
/** WCAG 2.0, 2.1 and 2.2 at levels A and AA. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** axe-core's violations on the page as it stands (injected by the test, not by the page: CSP allows it). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  const result = (await page.evaluate(
    `axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(WCAG_TAGS)} } }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) })))`,
  )) as AxeViolation[];
  return result;
}

/** The text of the element that has the keyboard focus, and its tag. */
export const focused = (page: Page) =>
  page.evaluate(
    `(() => { const e = document.activeElement; return { tag: e.tagName.toLowerCase(), id: e.id, name: e.getAttribute('name'), text: (e.innerText || e.value || '').trim() }; })()`,
  ) as Promise<{ tag: string; id: string; name: string | null; text: string }>;

export const pageText = (page: Page) => page.evaluate('document.body.innerText') as Promise<string>;

/**
 * With SCREENSHOTS=1 (`npm run screenshots`), writes the page to docs/screenshots/<name>.png: the
 * README's pictures come from the same run that checks the pages.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.SCREENSHOTS !== '1') return;
  const dir = path.resolve(__dirname, '../../docs/screenshots');
  mkdirSync(dir, { recursive: true });
  await page.setViewport({ width: 1024, height: 768 });
  await page.screenshot({
    path: path.join(dir, `${name}.png`) as `${string}.png`,
    fullPage: true,
    optimizeForSpeed: true,
  });
}
