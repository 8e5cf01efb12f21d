// The browser checks. Each opens the host page on one of its pages, drives it like a user, asserts what the
// page shows (and what reached the Grafana server), and leaves a screenshot in test-results/screenshots/. Any
// uncaught error, console error, failed request or HTTP answer >= 400 in the page fails the check.
import path from 'node:path';
import { KUBE_API, TEST_BED } from '../e2e/lib/components.mjs';
import { CheckFailure, expect } from '../e2e/lib/report.mjs';

const VIEWPORT = { width: 1280, height: 900 };
/** For one user action; loading the page and waiting for a query result get RESULT_TIMEOUT_MS. */
const ACTION_TIMEOUT_MS = 15_000;
const RESULT_TIMEOUT_MS = 60_000;

/** Opens the host page with `params`; on a page that failed to load, leaves screenshot `name` and fails. */
async function openHostPage(ctx, name, params) {
  const page = await ctx.browser.newPage({ viewport: VIEWPORT });
  page.setDefaultTimeout(ACTION_TIMEOUT_MS);
  const problems = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      const where = msg.location()?.url ? ` (${msg.location().url})` : '';
      problems.push(`console error: ${msg.text()}${where}`.slice(0, 400));
    }
  });
  page.on('response', (res) => {
    if (res.status() >= 400) {
      problems.push(`HTTP ${res.status()} ${res.request().method()} ${new URL(res.url()).pathname}`);
    }
  });
  page.on('requestfailed', (req) => {
    const url = new URL(req.url());
    // The data source ends its own watches (stopped, started again, or their stream given up over HTTP/1.1 to a kind
    // that comes first); Grafana shows nothing for an aborted request.
    if (req.failure()?.errorText === 'net::ERR_ABORTED' && url.searchParams.get('watch') === '1') {
      return;
    }
    problems.push(`request failed: ${req.method()} ${url.pathname}: ${req.failure()?.errorText}`);
  });
  const query = new URLSearchParams({ plugin: ctx.ids.dataSourceId, uid: ctx.dataSource.uid, ...params });
  await page.goto(`${ctx.server.url}/?${query}`);
  await page.waitForFunction(() => window.hostStatus?.ready === true, null, { timeout: RESULT_TIMEOUT_MS });
  const status = await page.evaluate(() => window.hostStatus);
  if (status.error) {
    await page.screenshot({ path: path.join(ctx.screenshotDir, `${name}.png`), fullPage: true });
    await page.close();
    throw new CheckFailure(`host page failed: ${status.error}`, { problems });
  }
  return { page, status, problems };
}

async function screenshot(ctx, page, name) {
  const file = path.join(ctx.screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return path.relative(process.cwd(), file);
}

/** Requests the host forwarded to Grafana since `from`, summarised as "METHOD path-prefix" counts. */
function forwardedSince(ctx, from) {
  const counts = {};
  for (const { method, path: p, status } of ctx.server.forwarded.slice(from)) {
    const key = `${method} ${p.split('?')[0].replace(/\/kube\/.*/, '/kube/…')} ${status}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** Uncaught errors, console errors and failed requests fail a check even when what it asserts did render. */
function expectNoBrowserProblems(details) {
  expect(
    details.browserProblems.length === 0,
    `the page had ${details.browserProblems.length} problem(s): ${details.browserProblems.join('; ')}`,
    details
  );
}

/** Our host page in Chromium, the plugin's editors drawn with @grafana/ui, the Grafana stand-in's API and proxy. */
const BROWSER = ['chromium', 'browser-host', 'grafana-ui', 'grafana-stand-in'];

/** The header texts of a @grafana/ui Table, and the text of each row's cell in the column titled `title`. */
function columnCells(table, title) {
  return table.evaluate((root, wanted) => {
    const text = (el) => (el ? el.innerText.trim() : '');
    const headers = [...root.querySelectorAll('[role="columnheader"]')].map(text);
    const column = headers.indexOf(wanted);
    const rows = [...root.querySelectorAll('[role="row"]')].filter(
      (row) => !row.querySelector('[role="columnheader"]')
    );
    const names =
      column < 0 ? [] : rows.map((row) => text(row.querySelectorAll('[role="gridcell"], [role="cell"]')[column]));
    return { headers, names };
  }, title);
}

const namespacesOf = (rollouts) => [...new Set(rollouts.map((r) => r.namespace))].sort();

export const configEditor = {
  id: 'browser/config-editor',
  against: [...BROWSER, ...KUBE_API],
  async run(ctx) {
    const before = ctx.server.forwarded.length;
    const stamp = Date.now().toString(36);
    // As "Add new data source" does: an empty data source of our type, then its settings page.
    const created = await ctx.api('POST', '/api/datasources', {
      name: `Argo Rollouts (browser ${stamp})`,
      type: ctx.ids.dataSourceId,
      access: 'proxy',
      jsonData: {},
    });
    const uid = created.datasource?.uid;
    expect(typeof uid === 'string', 'POST /api/datasources returned no uid', { created });
    const { page, status, problems } = await openHostPage(ctx, 'config-editor', { page: 'config', uid });
    try {
      const provided = new Set([...status.sharedModules, 'module']);
      const missing = Object.entries(ctx.amdDependencies).flatMap(([file, deps]) =>
        deps.filter((d) => !provided.has(d)).map((d) => `${file}: ${d}`)
      );
      expect(missing.length === 0, `the host does not provide modules the plugin imports: ${missing.join(', ')}`);

      const clusterName = `browser-${stamp}`;
      await page.locator('#rolloutlens-api-server-url').fill(ctx.testBed.apiServerUrl);
      await page.locator('#rolloutlens-cluster-name').fill(clusterName);
      await page.getByRole('radio', { name: 'Bearer token' }).check();
      await page.locator('#rolloutlens-token').fill(ctx.testBed.token);
      await page.getByRole('radio', { name: 'Cluster CA certificate' }).check();
      await page.locator('#rolloutlens-ca-cert').fill(ctx.testBed.caCert);
      await page.getByRole('button', { name: 'Save & test' }).click();
      const alert = page.getByTestId('health-check-result');
      await alert.waitFor({ timeout: RESULT_TIMEOUT_MS });
      const result = {
        status: await alert.getAttribute('data-status'),
        text: (await alert.innerText()).trim(),
      };
      await page.mouse.move(0, 0);
      const shot = await screenshot(ctx, page, 'config-editor');
      const saved = await ctx.api('GET', `/api/datasources/uid/${uid}`);
      const details = {
        ...ctx.grafana,
        dataSource: `${uid} (created for this check, deleted after it)`,
        moduleUrl: status.moduleUrl,
        amdDependencies: ctx.amdDependencies,
        saved: { jsonData: saved.jsonData, secureJsonFields: saved.secureJsonFields, version: saved.version },
        healthCheck: result,
        forwarded: forwardedSince(ctx, before),
        browserProblems: problems,
        screenshot: shot,
      };
      expect(
        saved.jsonData?.clusterName === clusterName,
        `the PUT did not save the cluster name ${clusterName}`,
        details
      );
      expect(
        saved.jsonData?.apiServerUrl === ctx.testBed.apiServerUrl,
        'the PUT did not save the API server URL',
        details
      );
      expect(
        saved.secureJsonFields?.token === true && saved.secureJsonFields?.tlsCACert === true,
        'the token and CA were not saved as secure fields',
        details
      );
      expect(
        Object.keys(details.forwarded).some((k) => k.startsWith(`PUT /api/datasources/uid/${uid} 200`)),
        'no successful PUT /api/datasources/uid/<uid> went through the host',
        details
      );
      expect(result.status === 'success', `health check status ${result.status}: ${result.text}`, details);
      expect(
        /Connected to Kubernetes v\d+\.\d+/.test(result.text),
        `unexpected health check message: ${result.text}`,
        details
      );
      expectNoBrowserProblems(details);
      return details;
    } finally {
      await page.close();
      await ctx.api('DELETE', `/api/datasources/uid/${uid}`).catch((err) => console.warn(`browser: ${err.message}`));
    }
  },
};

export const annotationQuery = {
  id: 'browser/annotation-query',
  against: [...BROWSER, ...TEST_BED],
  async run(ctx) {
    const before = ctx.server.forwarded.length;
    const namespaces = namespacesOf(ctx.rollouts);
    expect(namespaces.length > 0, 'the test bed has no e2e-* namespaces with rollouts (did the scenarios run?)');
    const initial = { refId: 'Anno', queryType: 'annotations' };
    const { page, problems } = await openHostPage(ctx, 'annotation-query', {
      page: 'annotations',
      query: JSON.stringify(initial),
    });
    try {
      // Typed into the plugin's annotation editor, one tag per namespace, as a user would.
      const namespaceInput = page.getByPlaceholder('namespace or $variable, Enter');
      for (const ns of namespaces) {
        await namespaceInput.fill(ns);
        await namespaceInput.press('Enter');
      }
      await page.getByRole('button', { name: 'Test annotation query' }).click();
      const alert = page.getByTestId('annotation-result');
      await alert.waitFor({ timeout: RESULT_TIMEOUT_MS });
      const count = Number(await alert.getAttribute('data-count'));
      const titles = await page.getByTestId('annotation-titles').locator('li').allTextContents();
      const shot = await screenshot(ctx, page, 'annotation-query');
      const rolloutsNamed = ctx.rollouts.filter((r) => titles.some((t) => t.includes(r.name))).map((r) => r.name);
      const details = {
        ...ctx.grafana,
        dataSource: ctx.dataSource.uid,
        namespaces,
        annotations: count,
        alert: (await alert.innerText()).trim(),
        firstTitles: titles.slice(0, 8),
        rolloutsNamedInTitles: [...new Set(rolloutsNamed)],
        forwarded: forwardedSince(ctx, before),
        browserProblems: problems,
        screenshot: shot,
      };
      expect(count > 0 && count === titles.length, `${count} events reported, ${titles.length} titles listed`, details);
      expect(
        Object.keys(details.forwarded).some((k) =>
          k.startsWith(`GET /api/datasources/proxy/uid/${ctx.dataSource.uid}/kube/…`)
        ),
        'no request went through the Grafana data source proxy',
        details
      );
      const unnamed = ctx.rollouts.map((r) => r.name).filter((name) => !details.rolloutsNamedInTitles.includes(name));
      expect(unnamed.length === 0, `no annotation title names the rollouts ${unnamed.join(', ')}`, details);
      expectNoBrowserProblems(details);
      return details;
    } finally {
      await page.close();
    }
  },
};

export const tableQuery = {
  id: 'browser/table-query',
  against: [...BROWSER, ...TEST_BED],
  async run(ctx) {
    const before = ctx.server.forwarded.length;
    const namespaces = namespacesOf(ctx.rollouts);
    expect(namespaces.length > 0, 'the test bed has no e2e-* namespaces with rollouts (did the scenarios run?)');
    const query = { refId: 'A', queryType: 'rollouts', namespaces, rollouts: [], labelSelector: '' };
    const { page, problems } = await openHostPage(ctx, 'table-query', { page: 'table', query: JSON.stringify(query) });
    try {
      await page.getByRole('button', { name: 'Run query' }).click();
      const table = page.getByTestId('result-table');
      await Promise.race([
        table.waitFor({ timeout: RESULT_TIMEOUT_MS }),
        page.getByTestId('query-error').waitFor({ timeout: RESULT_TIMEOUT_MS }),
      ]);
      const error = await page.getByTestId('query-error').count();
      const rows = (await table.count()) > 0 ? Number(await table.getAttribute('data-rows')) : 0;
      const { headers, names } = rows > 0 ? await columnCells(table, 'Rollout') : { headers: [], names: [] };
      const shot = await screenshot(ctx, page, 'table-query');
      const expectedNames = ctx.rollouts.map((r) => r.name).sort();
      const details = {
        ...ctx.grafana,
        dataSource: ctx.dataSource.uid,
        namespaces,
        rows,
        expectedRollouts: ctx.rollouts.map((r) => `${r.namespace}/${r.name}`),
        headers,
        rolloutColumn: names,
        forwarded: forwardedSince(ctx, before),
        browserProblems: problems,
        screenshot: shot,
      };
      expect(
        error === 0,
        `the query failed: ${error ? await page.getByTestId('query-error').innerText() : ''}`,
        details
      );
      expect(rows === ctx.rollouts.length, `${rows} rows for ${ctx.rollouts.length} rollouts of the test bed`, details);
      expect(
        JSON.stringify([...names].sort()) === JSON.stringify(expectedNames),
        `the Rollout column shows ${names.join(', ')}; the test bed has ${expectedNames.join(', ')}`,
        details
      );
      expectNoBrowserProblems(details);
      return details;
    } finally {
      await page.close();
    }
  },
};

export const ALL = [configEditor, annotationQuery, tableQuery];
