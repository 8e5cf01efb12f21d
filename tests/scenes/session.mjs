// Opening the scenes page in Chromium and reading it: shared by the scenes/* checks and demo/starts.
import { CheckFailure } from '../e2e/lib/report.mjs';

const VIEWPORT = { width: 1600, height: 1000 };
const ICONS_PATH = '/public/build/img/icons/';
/** Loading the page, and each wait for a dashboard to settle. */
export const SETTLE_TIMEOUT_MS = 90_000;

/**
 * Opens `url` (a /d/<uid> page of the scenes page server) and waits until the dashboard settled. `variants`
 * replaces bundled dashboards by uid. Problems (uncaught errors, console errors, failed requests other than those
 * `allowHttp(pathname, status)` accepts) are collected, for the caller to assert; so are the icons the page asked
 * for that the harness does not have.
 */
export async function openScenesPage(browser, url, { variants, allowHttp = () => false } = {}) {
  const page = await browser.newPage({ viewport: VIEWPORT });
  page.setDefaultTimeout(SETTLE_TIMEOUT_MS);
  const problems = [];
  const missingIcons = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    // Failed requests are reported with their path below.
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) {
      problems.push(`console: ${msg.text()}`.slice(0, 300));
    }
  });
  page.on('response', (res) => {
    const { pathname } = new URL(res.url());
    if (res.status() < 400 || allowHttp(pathname, res.status())) {
      return;
    }
    // @grafana/ui ships the icons it uses itself; those @grafana/scenes adds (time picker, refresh picker) come
    // with Grafana's own build, which no npm package with an open licence has: the buttons show no icon.
    if (res.status() === 404 && pathname.startsWith(ICONS_PATH)) {
      missingIcons.push(pathname.slice(ICONS_PATH.length));
    } else {
      problems.push(`HTTP ${res.status()} ${pathname}`);
    }
  });
  if (variants) {
    await page.addInitScript((dashboards) => {
      window.scenesHarnessDashboards = dashboards;
    }, variants);
  }
  await page.goto(url);
  await page.waitForFunction(() => window.hostStatus?.ready === true, null, { timeout: SETTLE_TIMEOUT_MS });
  const status = await page.evaluate(() => window.hostStatus);
  if (status.error) {
    await page.close();
    throw new CheckFailure(`the scenes page failed: ${status.error}`, { problems });
  }
  return { page, problems, missingIcons, snapshot: await settle(page) };
}

/** Waits until no variable, layer or panel is loading, and returns what the scene holds. */
export async function settle(page) {
  await page.evaluate(() => window.scenesHarness.settled());
  return page.evaluate(() => window.scenesHarness.snapshot());
}

/**
 * Points at a marker a viewer can point at (markers close in time overlap; the one on top gets the pointer), of
 * `kind` (point or region) when there is one, and returns its index, or -1 when no marker is drawn. The tooltip
 * stays open until the mouse moves.
 */
export async function pointAtMarker(page, { kind } = {}) {
  const markers = page.getByTestId('annotation-marker');
  const index = await markers.evaluateAll((els, preferredKind) => {
    const onTop = els.map((el) => {
      const box = el.getBoundingClientRect();
      const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
      return box.width > 0 && (hit === el || el.contains(hit));
    });
    const wanted = els.findIndex((el, i) => onTop[i] && (!preferredKind || el.dataset.kind === preferredKind));
    return wanted >= 0 ? wanted : onTop.indexOf(true);
  }, kind);
  if (index >= 0) {
    await markers.nth(index).hover();
    await page.getByTestId('annotation-tooltip').waitFor();
  }
  return index;
}

/** The annotation markers drawn on the page, and the tooltip a viewer sees pointing at one of them. */
export async function markersOnPage(page) {
  const drawn = await page
    .getByTestId('annotation-marker')
    .evaluateAll((els) =>
      els.map((el) => ({ id: el.dataset.id, kind: el.dataset.kind, color: el.dataset.color, title: el.dataset.title }))
    );
  let tooltip;
  const index = await pointAtMarker(page);
  if (index >= 0) {
    const shown = page.getByTestId('annotation-tooltip');
    tooltip = { title: drawn[index].title, text: (await shown.innerText()).trim(), html: await shown.innerHTML() };
    await page.mouse.move(0, 0);
  }
  return { drawn, tooltip };
}

/**
 * A picture of the whole page, with the tooltip of a marker of `pointAt` kind (point or region) open when asked.
 * The viewport is made as tall as the page first and the page given time to lay out again (the dashboard grid
 * measures its size), rather than letting the screenshot resize it mid-render.
 */
export async function screenshotPage(page, file, { pointAt } = {}) {
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  const { width } = page.viewportSize();
  await page.setViewportSize({ width, height });
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 500)));
  if (pointAt) {
    await pointAtMarker(page, { kind: pointAt });
  }
  await page.screenshot({ path: file });
}
