// The scenes/* checks. Each opens a bundled dashboard in the scenes page (Grafana's dashboard library,
// @grafana/scenes, running the built plugin against the Grafana stand-in and the test bed), waits until every
// variable, annotation layer and panel has answered, and asserts what the page shows and what the scene got.
import fs from 'node:fs';
import path from 'node:path';

import { TEST_BED } from '../e2e/lib/components.mjs';
import { EventLog } from '../e2e/lib/events.mjs';
import { KubeClient, paths } from '../e2e/lib/kube.mjs';
import { expect } from '../e2e/lib/report.mjs';
import {
  freshNamespace,
  isHealthy,
  isPausedBy,
  promote,
  rolloutManifest,
  setImage,
  waitForRollout,
} from '../e2e/lib/rollouts.mjs';
import { waitFor } from '../e2e/lib/wait.mjs';
import { columnOf, compareAnnotations, coverage, expectedLayerAnnotations, rowsOf, sharedFields } from './oracle.mjs';
import { markersOnPage, openScenesPage, screenshotPage, settle } from './session.mjs';

export const OVERVIEW = 'rolloutlens-overview';
export const DETAIL = 'rolloutlens-rollout-detail';
export const STATUS_PANEL_TITLE = 'Data source status';
const ALL = '$__all';
/**
 * The kinds the overview reads, each cluster-wide. Four or more namespaces of a kind are read with one cluster-wide
 * list and watch when the identity may list cluster-wide (the in-cluster identity may; README "Live panels"), which
 * a SelfSubjectAccessReview asks once per kind.
 */
const CLUSTER_WIDE_READS = [
  '/apis/argoproj.io/v1alpha1/rollouts',
  '/apis/apps/v1/replicasets',
  '/apis/argoproj.io/v1alpha1/analysisruns',
  '/apis/argoproj.io/v1alpha1/experiments',
  '/api/v1/events',
];
const ACCESS_REVIEWS = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
/** A list or watch answered 200, an access review 201 (Created). */
const answered = (request) => request.startsWith('200 ') || request === `201 ${ACCESS_REVIEWS}`;
/** Components each check runs against: the test bed, Chromium rendering @grafana/scenes and @grafana/ui in our page. */
export const AGAINST = [...TEST_BED, 'chromium', 'grafana-scenes', 'grafana-ui', 'grafana-stand-in', 'browser-host'];

const namespacesOf = (rollouts) => [...new Set(rollouts.map((r) => r.namespace))].sort();

/** The scenario namespaces with rollouts; none means the scenarios did not run, and the check cannot. */
function scenarioNamespaces(ctx) {
  const namespaces = namespacesOf(ctx.rollouts);
  expect(namespaces.length > 0, 'the test bed has no e2e-* namespaces with rollouts (did the scenarios run?)');
  return namespaces;
}

function dashboardPath(uid, variables, time) {
  const params = new URLSearchParams(time);
  for (const [name, value] of Object.entries(variables)) {
    for (const item of [value].flat()) {
      params.append(`var-${name}`, item);
    }
  }
  return `/d/${uid}?${params}`;
}

/**
 * Opens a bundled dashboard (or a variant) with `variables` (and `time`, {from, to}, else the dashboard's own
 * range) in the URL and waits until it settled.
 */
async function openDashboard(ctx, uid, variables, { time, ...options } = {}) {
  const forwardedFrom = ctx.server.forwarded.length;
  const opened = await openScenesPage(ctx.browser, `${ctx.server.url}${dashboardPath(uid, variables, time)}`, options);
  return { ...opened, forwardedFrom };
}

/** Picks variable values one after the other (as a user would), each time until the dashboard settled. */
async function setVariables(page, values) {
  let snapshot;
  for (const [name, value] of Object.entries(values)) {
    await page.evaluate(([n, v]) => window.scenesHarness.setVariable(n, v), [name, value]);
    snapshot = await settle(page);
  }
  return snapshot;
}

/** Kubernetes lists the data source asked for through the proxy since `from`: "<status> <path without query>". */
function kubeRequestsSince(ctx, from, uid) {
  const prefix = `/api/datasources/proxy/uid/${uid}/kube`;
  return ctx.server.forwarded
    .slice(from)
    .filter((r) => r.path.startsWith(prefix))
    .map((r) => `${r.status} ${r.path.slice(prefix.length).split('?')[0]}`);
}

const variable = (snapshot, name) => snapshot.variables.find((v) => v.name === name);
/** A multi-value variable holds All as `["$__all"]`, a single-value one as `"$__all"`. */
const isAll = (v) => JSON.stringify([v?.value].flat()) === JSON.stringify([ALL]);
const optionValues = (v) => (v?.options ?? []).map((o) => o.value);

/** Every panel answered: Done, no error, at least one frame; returns a line per panel for the details. */
function expectPanelsAnswered(snapshot, details) {
  const panels = snapshot.panels.map((p) => ({
    title: p.title,
    type: p.type,
    state: p.state,
    errors: p.errors.map((e) => e.message),
    frames: p.frames.length,
    rows: p.frames.reduce((n, f) => n + f.length, 0),
    notices: p.frames.flatMap((f) => f.notices.map((n) => n.text)),
    annotations: p.annotations,
  }));
  details.panels = panels;
  // A streaming query (the status of a refresh) answers and stays subscribed.
  const failed = panels.filter(
    (p) => !['Done', 'Streaming'].includes(p.state) || p.errors.length > 0 || p.frames === 0
  );
  expect(
    failed.length === 0,
    `panels without data: ${failed.map((p) => `"${p.title}" (${p.state}${p.errors.length ? `: ${p.errors.join('; ')}` : ''})`).join(', ')}`,
    details
  );
  return panels;
}

/** Every enabled layer answered without error and emitted exactly what Grafana's rules make of its answer. */
async function expectLayersFaithful(page, snapshot, details) {
  const layers = [];
  for (const layer of snapshot.layers.filter((l) => l.enabled)) {
    const color = await page.evaluate((name) => window.scenesHarness.colorOf(name), layer.iconColor);
    const response = layer.response ?? { frames: [], errors: [{ message: 'no request was made' }] };
    const { annotations, repeats } = expectedLayerAnnotations(response.frames, color);
    const comparison = compareAnnotations(layer.emitted, annotations);
    layers.push({
      name: layer.name,
      iconColor: layer.iconColor,
      color,
      state: layer.state,
      errors: response.errors.map((e) => e.message),
      notices: response.frames.flatMap((f) => f.notices.map((n) => n.text)),
      returned: rowsOf(response.frames).length,
      repeatedIds: repeats,
      ...comparison,
      missing: comparison.missing.slice(0, 5),
      unexpected: comparison.unexpected.slice(0, 5),
      different: comparison.different.slice(0, 3),
    });
  }
  details.layers = layers;
  const wrong = layers.filter(
    (l) =>
      l.state !== 'Done' ||
      l.errors.length > 0 ||
      l.repeatedIds > 0 ||
      l.missing.length > 0 ||
      l.unexpected.length > 0 ||
      l.different.length > 0
  );
  expect(
    wrong.length === 0,
    `annotation layers that do not show what the data source returned: ${wrong.map((l) => `"${l.name}"`).join(', ')}`,
    details
  );
  return layers;
}

/** The markers match the layers: one per annotation in the time range, in its layer's colour, with a tooltip. */
function expectMarkersDrawn(markers, layers, snapshot, details) {
  const colourById = new Map(
    snapshot.layers.filter((l) => l.enabled).flatMap((l) => rowsOf(l.emitted).map((a) => [a.id, a.color]))
  );
  const { from, to } = snapshot.timeRange;
  const inRange = snapshot.layers
    .filter((l) => l.enabled)
    .flatMap((l) => rowsOf(l.emitted))
    .filter((a) => a.time <= to && (a.timeEnd ?? a.time) >= from);
  const wrongColour = markers.drawn.filter((m) => colourById.get(m.id) !== m.color);
  details.markers = {
    drawn: markers.drawn.length,
    regions: markers.drawn.filter((m) => m.kind === 'region').length,
    annotationsInRange: inRange.length,
    wrongColour: wrongColour.slice(0, 5),
    tooltip: markers.tooltip && { title: markers.tooltip.title, text: markers.tooltip.text.slice(0, 400) },
  };
  const timeSeriesPanels = snapshot.panels.filter((p) => p.type === 'timeseries').length;
  expect(timeSeriesPanels > 0, 'the dashboard has no time series panel to draw annotations on', details);
  expect(
    markers.drawn.length === inRange.length * timeSeriesPanels,
    `${markers.drawn.length} markers drawn for ${inRange.length} annotations in the time range on ${timeSeriesPanels} time series panel(s)`,
    details
  );
  expect(wrongColour.length === 0, 'markers drawn in another colour than their layer', details);
  expect(inRange.length > 0, 'no annotation in the time range', details);
  expect(
    markers.tooltip.text.includes(markers.tooltip.title) && !/<script/i.test(markers.tooltip.html),
    'the tooltip does not show the annotation title as text',
    details
  );
}

/** No uncaught error, console error or failed request in the page; icons the harness lacks are only recorded. */
function expectNoProblems({ problems, missingIcons }, details) {
  details.browserProblems = problems;
  details.missingIcons = [...new Set(missingIcons)];
  expect(problems.length === 0, `the page reported problems: ${problems.slice(0, 5).join('; ')}`, details);
}

/** Rollout names listed by a table's frames (field "name" / "Rollout"), as namespace/name when it has namespaces. */
function tableRollouts(panel) {
  const names = columnOf(panel.frames, 'name');
  const namespaces = columnOf(panel.frames, 'namespace');
  return names.map((n, i) => (namespaces[i] ? `${namespaces[i]}/${n}` : n)).sort();
}

const panelTitled = (snapshot, title) => snapshot.panels.find((p) => p.title === title);
const rolloutsPanel = (snapshot) => snapshot.panels.find((p) => p.type === 'table' && p.title === 'Rollouts');

export const overview = {
  id: 'scenes/overview',
  against: AGAINST,
  async run(ctx) {
    const namespaces = scenarioNamespaces(ctx);
    const { page, problems, missingIcons, snapshot, forwardedFrom } = await openDashboard(ctx, OVERVIEW, {
      datasource: ctx.dataSource,
      namespace: namespaces,
      rollout: ALL,
    });
    const details = { dashboard: OVERVIEW, dataSource: ctx.dataSource, namespaces, page: ctx.page };
    try {
      // 1. The scenario namespaces as a multi-value selection, every rollout through the custom All value `*`.
      const multi = (details.multiValue = {});
      const ns = variable(snapshot, 'namespace');
      const ro = variable(snapshot, 'rollout');
      multi.variables = snapshot.variables.map((v) => ({ name: v.name, value: v.value, options: optionValues(v) }));
      expect(variable(snapshot, 'datasource')?.value === ctx.dataSource, 'the datasource variable', details);
      expect(
        JSON.stringify([...[ns.value].flat()].sort()) === JSON.stringify(namespaces) && ns.isMulti && ns.includeAll,
        'the namespace variable does not hold the scenario namespaces as a multi-value selection',
        details
      );
      expect(
        namespaces.every((n) => optionValues(ns).includes(n)),
        'the namespace variable does not offer every scenario namespace',
        details
      );
      const expectedRollouts = [...new Set(ctx.rollouts.map((r) => r.name))].sort();
      expect(
        isAll(ro) &&
          ro.allValue === '*' &&
          JSON.stringify(optionValues(ro).sort()) === JSON.stringify(expectedRollouts),
        'the rollout variable is not All (*) over exactly the rollouts of the selected namespaces',
        details
      );
      multi.requests = kubeRequestsSince(ctx, forwardedFrom, ctx.dataSource);
      const listed = [...new Set(multi.requests.map((r) => r.replace(/^\d+ /, '')))];
      // The selection names more than three namespaces and the identity may list cluster-wide: each kind is read
      // once cluster-wide (and then watched), nothing per namespace; what is shown is still only the selection (the
      // tables and layers below).
      const other = listed.filter((p) => !CLUSTER_WIDE_READS.includes(p) && p !== ACCESS_REVIEWS);
      expect(
        other.length === 0 && multi.requests.every(answered),
        `with a multi-value namespace selection the data source read other than each kind cluster-wide, or failed: ${other.join(', ')}`,
        details
      );
      expect(
        namespaces.length > 3 && CLUSTER_WIDE_READS.every((p) => listed.includes(p)),
        'with more than three selected namespaces not every kind was read cluster-wide',
        details
      );
      expectPanelsAnswered(snapshot, multi);
      const table = rolloutsPanel(snapshot);
      multi.rolloutsTable = tableRollouts(table);
      const expectedRows = ctx.rollouts.map((r) => `${r.namespace}/${r.name}`).sort();
      expect(
        JSON.stringify(multi.rolloutsTable) === JSON.stringify(expectedRows),
        'the Rollouts table does not list exactly the rollouts of the selected namespaces',
        details
      );
      const layers = await expectLayersFaithful(page, snapshot, multi);
      expect(
        layers.reduce((n, l) => n + l.emitted, 0) > 0,
        'the annotation layers emitted nothing for the scenarios',
        details
      );
      expectMarkersDrawn(await markersOnPage(page), layers, snapshot, multi);

      // 2. All namespaces (the custom All value `*`): the data source already reads every kind cluster-wide, so it
      // answers from what it holds (a kind it could not watch, over the page's HTTP/1.1, is listed again).
      const all = (details.allNamespaces = {});
      const before = ctx.server.forwarded.length;
      const allSnapshot = await setVariables(page, { namespace: ALL });
      all.variables = allSnapshot.variables.map((v) => ({ name: v.name, value: v.value }));
      all.requests = [...new Set(kubeRequestsSince(ctx, before, ctx.dataSource))];
      expect(isAll(variable(allSnapshot, 'namespace')), 'the namespace variable did not take All', details);
      const allOther = all.requests
        .map((r) => r.replace(/^\d+ /, ''))
        .filter((p) => !CLUSTER_WIDE_READS.includes(p) && p !== ACCESS_REVIEWS);
      expect(
        allOther.length === 0 && all.requests.every(answered),
        `with All (*) the data source read other than each kind cluster-wide, or failed: ${allOther.join(', ')}`,
        details
      );
      expectPanelsAnswered(allSnapshot, all);
      all.rolloutsTable = tableRollouts(rolloutsPanel(allSnapshot));
      expect(
        expectedRows.every((r) => all.rolloutsTable.includes(r)),
        'with All the Rollouts table misses scenario rollouts',
        details
      );
      await expectLayersFaithful(page, allSnapshot, all);
      expectNoProblems({ problems, missingIcons }, details);
      return details;
    } finally {
      await page.close();
    }
  },
};

export const detail = {
  id: 'scenes/detail',
  against: AGAINST,
  async run(ctx) {
    scenarioNamespaces(ctx);
    const [first] = ctx.rollouts;
    const { page, problems, missingIcons } = await openDashboard(ctx, DETAIL, {
      datasource: ctx.dataSource,
      namespace: first.namespace,
      rollout: first.name,
    });
    const details = { dashboard: DETAIL, dataSource: ctx.dataSource, rollouts: [] };
    try {
      for (const rollout of ctx.rollouts) {
        const seen = { rollout: `${rollout.namespace}/${rollout.name}` };
        details.rollouts.push(seen);
        const snapshot = await setVariables(page, { namespace: rollout.namespace, rollout: rollout.name });
        const ns = variable(snapshot, 'namespace');
        const ro = variable(snapshot, 'rollout');
        seen.variables = { namespace: ns.value, rollout: ro.value, rolloutOptions: optionValues(ro) };
        const inNamespace = ctx.rollouts.filter((r) => r.namespace === rollout.namespace).map((r) => r.name);
        expect(
          ns.value === rollout.namespace &&
            ro.value === rollout.name &&
            JSON.stringify(optionValues(ro).sort()) === JSON.stringify(inNamespace.sort()),
          `the variables did not resolve to ${seen.rollout}`,
          details
        );
        expectPanelsAnswered(snapshot, seen);
        const status = snapshot.panels.find((p) => p.title === 'Status');
        seen.status = tableRollouts(status);
        expect(
          JSON.stringify(seen.status) === JSON.stringify([`${rollout.namespace}/${rollout.name}`]),
          `the Status panel does not show exactly ${seen.rollout}`,
          details
        );
        const layers = await expectLayersFaithful(page, snapshot, seen);
        const foreign = snapshot.layers
          .filter((l) => l.enabled)
          .flatMap((l) => rowsOf(l.emitted))
          .filter(
            (a) => !a.tags.includes(`rollout:${rollout.name}`) || !a.tags.includes(`namespace:${rollout.namespace}`)
          );
        seen.foreignAnnotations = foreign.slice(0, 3).map((a) => a.title);
        expect(foreign.length === 0, `annotations of other rollouts on the detail of ${seen.rollout}`, details);
        expect(layers.reduce((n, l) => n + l.emitted, 0) > 0, `no annotation for ${seen.rollout}`, details);
      }
      expectNoProblems({ problems, missingIcons }, details);
      return details;
    } finally {
      await page.close();
    }
  },
};

/**
 * The reference timeline: the data source's own annotation query with the fields every enabled layer shares
 * (namespaces, rollouts, detail level, ...) but no outcome filter and no limit, over the dashboard's time range.
 */
async function referenceTimeline(page, snapshot, dataSource) {
  const targets = snapshot.layers.filter((l) => l.enabled).map((l) => l.request?.targets?.[0] ?? {});
  const shared = sharedFields(targets, ['refId', 'datasource', 'outcomes', 'limit', 'key', 'hide']);
  const target = { ...shared, refId: 'timeline', queryType: 'annotations', limit: 1_000_000 };
  const answer = await page.evaluate(
    ([uid, t]) => window.scenesHarness.queryDataSource(uid, [t]),
    [dataSource, target]
  );
  return { target, answer };
}

function coverageOf(snapshot, reference) {
  const result = coverage(rowsOf(reference.answer.frames), snapshot.layers);
  return {
    reference: reference.target,
    referenceErrors: reference.answer.errors.map((e) => e.message),
    layers: snapshot.layers.map((l) => ({
      name: l.name,
      enabled: l.enabled,
      iconColor: l.iconColor,
      emitted: rowsOf(l.emitted).length,
    })),
    entries: result.entries,
    byOutcome: result.byOutcome,
    uncovered: result.uncovered.length,
    uncoveredExamples: result.uncovered.slice(0, 8),
    multiColoured: result.multiColoured.length,
    multiColouredExamples: result.multiColoured.slice(0, 5),
  };
}

export const outcomeCoverage = {
  id: 'scenes/outcome-coverage',
  against: AGAINST,
  async run(ctx) {
    const namespaces = scenarioNamespaces(ctx);
    const details = { rule: 'every timeline entry is drawn by at least one enabled layer, in exactly one colour' };
    const views = [];
    const over = await openDashboard(ctx, OVERVIEW, {
      datasource: ctx.dataSource,
      namespace: namespaces,
      rollout: ALL,
    });
    try {
      views.push({
        dashboard: OVERVIEW,
        ...coverageOf(over.snapshot, await referenceTimeline(over.page, over.snapshot, ctx.dataSource)),
      });
    } finally {
      await over.page.close();
    }
    const [first] = ctx.rollouts;
    const det = await openDashboard(ctx, DETAIL, {
      datasource: ctx.dataSource,
      namespace: first.namespace,
      rollout: first.name,
    });
    try {
      for (const rollout of ctx.rollouts) {
        const snapshot = await setVariables(det.page, { namespace: rollout.namespace, rollout: rollout.name });
        const reference = await referenceTimeline(det.page, snapshot, ctx.dataSource);
        views.push({
          dashboard: DETAIL,
          rollout: `${rollout.namespace}/${rollout.name}`,
          ...coverageOf(snapshot, reference),
        });
      }
    } finally {
      await det.page.close();
    }
    details.views = views;
    const empty = views.filter((v) => v.entries === 0 || v.referenceErrors.length > 0);
    expect(empty.length === 0, 'the reference timeline is empty or failed', details);
    const failing = views.filter((v) => v.uncovered > 0 || v.multiColoured > 0);
    expect(
      failing.length === 0,
      failing
        .map(
          (v) =>
            `${v.dashboard}${v.rollout ? ` (${v.rollout})` : ''}: ${v.uncovered} of ${v.entries} entries drawn by no layer (${Object.entries(
              v.byOutcome
            )
              .filter(([, c]) => c.uncovered > 0)
              .map(([o, c]) => `${o} ${c.uncovered}`)
              .join(', ')}), ${v.multiColoured} in several colours`
        )
        .join('; '),
      details
    );
    return details;
  },
};

/** The text the "Data source status" panel shows on the page. */
async function statusPanelText(page, snapshot, details) {
  const panel = panelTitled(snapshot, STATUS_PANEL_TITLE);
  expect(panel !== undefined, `the dashboard has no "${STATUS_PANEL_TITLE}" panel`, details);
  const id = panel.key.replace(/^panel-/, '');
  const shown = page.locator(`[data-testid="panel-${id}-table"], [data-testid="panel-${id}-no-data"]`).first();
  await shown.waitFor();
  return (await shown.innerText()).trim();
}

export const problemsVisible = {
  id: 'scenes/problems-visible',
  against: AGAINST,
  async run(ctx) {
    const details = {};
    const namespaced = ctx.namespaced;
    expect(
      namespaced?.forbidden !== undefined,
      'no namespaced data source was provisioned (grafana/namespaced.json; did the scenarios run?)',
      details
    );
    // 1. An identity that may not list one namespace, every namespace selected (All).
    const forbidden = (details.forbiddenNamespace = { dataSource: namespaced.uid, namespace: namespaced.forbidden });
    const opened = await openDashboard(
      ctx,
      OVERVIEW,
      { datasource: namespaced.uid, namespace: ALL, rollout: ALL },
      // The refusals themselves are the point: 403 from the API server, through the proxy.
      { allowHttp: (p, status) => status === 403 && p.includes(`/namespaces/${namespaced.forbidden}/`) }
    );
    try {
      forbidden.statusPanel = await statusPanelText(opened.page, opened.snapshot, details);
      const allowed = ctx.rollouts
        .filter((r) => r.namespace !== namespaced.forbidden)
        .map((r) => `${r.namespace}/${r.name}`);
      forbidden.rolloutsTable = tableRollouts(rolloutsPanel(opened.snapshot));
      await screenshotPage(opened.page, path.join(ctx.screenshotDir, 'scenes-problems-forbidden.png'));
      expect(
        forbidden.statusPanel.includes(namespaced.forbidden),
        `the "${STATUS_PANEL_TITLE}" panel does not name the namespace ${namespaced.forbidden} the identity may not list`,
        details
      );
      expect(
        JSON.stringify(forbidden.rolloutsTable) === JSON.stringify(allowed.sort()),
        'the Rollouts table does not show exactly the rollouts of the namespaces the identity may read',
        details
      );
      expectNoProblems(opened, forbidden);
    } finally {
      await opened.page.close();
    }

    // 2. A layer whose limit cuts entries: the layer that emits most on the bundled dashboard, limited to 1.
    const limit = (details.limit = {});
    const normal = await openDashboard(ctx, OVERVIEW, {
      datasource: ctx.dataSource,
      namespace: namespacesOf(ctx.rollouts),
      rollout: ALL,
    });
    const fullest = normal.snapshot.layers
      .filter((l) => l.enabled)
      .map((l) => ({ name: l.name, emitted: rowsOf(l.emitted).length }))
      .sort((a, b) => b.emitted - a.emitted)[0];
    await normal.page.close();
    expect(fullest?.emitted >= 2, 'no layer emits two annotations or more to be cut', details);
    const variant = structuredClone(ctx.dashboards[OVERVIEW]);
    const layer = variant.annotations.list.find((a) => a.name === fullest.name);
    layer.target = { ...layer.target, limit: 1 };
    Object.assign(limit, { layer: fullest.name, annotationsWithoutLimit: fullest.emitted, limit: 1 });
    const cut = await openDashboard(
      ctx,
      OVERVIEW,
      { datasource: ctx.dataSource, namespace: namespacesOf(ctx.rollouts), rollout: ALL },
      { variants: { [OVERVIEW]: variant } }
    );
    try {
      limit.emitted = rowsOf(cut.snapshot.layers.find((l) => l.name === fullest.name).emitted).length;
      limit.statusPanel = await statusPanelText(cut.page, cut.snapshot, details);
      await screenshotPage(cut.page, path.join(ctx.screenshotDir, 'scenes-problems-limit.png'));
      expect(limit.emitted === 1, `the limited layer emitted ${limit.emitted} annotations`, details);
      expect(
        limit.statusPanel.includes(`${fullest.emitted} annotations`),
        `the "${STATUS_PANEL_TITLE}" panel does not say that the limit of "${fullest.name}" cut ${fullest.emitted} annotations to 1`,
        details
      );
      expectNoProblems(cut, limit);
    } finally {
      await cut.page.close();
    }
    return details;
  },
};

export const screenshots = {
  id: 'scenes/screenshots',
  against: AGAINST,
  async run(ctx) {
    const namespaces = scenarioNamespaces(ctx);
    // The detail of the rollout with the most history: the one whose namespace has the most revisions shown.
    const target = ctx.rollouts.find((r) => r.namespace.includes('abort')) ?? ctx.rollouts[0];
    const shots = [
      [OVERVIEW, { datasource: ctx.dataSource, namespace: namespaces, rollout: ALL }],
      [DETAIL, { datasource: ctx.dataSource, namespace: target.namespace, rollout: target.name }],
    ];
    const details = { files: [] };
    for (const [uid, vars] of shots) {
      // The last hour: the scenarios ran minutes ago, their markers would all overlap over 6 hours.
      const opened = await openDashboard(ctx, uid, vars, { time: { from: 'now-1h', to: 'now' } });
      const { page, snapshot } = opened;
      try {
        const count = await page.getByTestId('annotation-marker').count();
        const file = path.join(ctx.screenshotDir, `${uid === OVERVIEW ? 'scenes-overview' : 'scenes-detail'}.png`);
        // A tooltip in the picture, as a viewer pointing at a region's marker sees it.
        await screenshotPage(page, file, { pointAt: 'region' });
        const tables = await page
          .locator('[data-testid$="-table"]')
          .evaluateAll((els) => els.map((e) => Number(e.dataset.rows)));
        const shot = {
          dashboard: uid,
          file: path.relative(process.cwd(), file),
          bytes: fs.statSync(file).size,
          markers: count,
          tableRows: tables,
          panels: snapshot.panels.map((p) => `${p.title}: ${p.state}`),
        };
        details.files.push(shot);
        expect(count > 0, `${uid}: no annotation drawn`, details);
        expect(tables.length > 0, `${uid}: no table shows a row`, details);
        expectNoProblems(opened, shot);
      } finally {
        await page.close();
      }
    }
    return details;
  },
};

/** scenes/live: the spec's figure, a step on the screen within this long of the controller's Event. */
const LIVE_LATENCY_MS = 2_000;
const LIVE_NAMESPACE = 'live-scene';
const LIVE_ROLLOUT = 'live-canary';
const EVENTS_PANEL_ID = 7;
const LIVE_STEPS = ['Rollout step 2/4 completed', 'Rollout step 3/4 completed'];

const LIVE_WAIT_MS = 30_000;

/** What the page and the API server hold when a step did not appear: for the check's details. */
async function liveState(page, events, requests) {
  const snapshot = await page.evaluate(() => window.scenesHarness.snapshot());
  const panel = snapshot.panels.find((p) => p.key?.endsWith(`-${EVENTS_PANEL_ID}`) || p.title === 'Recent events');
  const messages = panel?.frames[0]?.fields.find((field) => field.name.toLowerCase() === 'message')?.values;
  return {
    eventsPanel: panel && { state: panel.state, errors: panel.errors, rows: panel.frames[0]?.length, messages },
    eventsAtApiServer: events.occurrences.map(({ reason, message, at }) => ({ reason, message, at })),
    requests: requests.map((r) => `${r.status} ${r.path.split('/kube')[1]}`),
  };
}

/**
 * The overview open on a canary paused at its second step, without auto-refresh; the canary is promoted, and the
 * steps it then completes must appear in the Recent events table within two seconds of the controller's Events,
 * brought by the data source's watches (no request after the page settled).
 */
export const live = {
  id: 'scenes/live',
  against: AGAINST,
  async run(ctx) {
    const admin = KubeClient.fromRunDir(ctx.runDir, 'admin');
    const details = { dashboard: OVERVIEW, namespace: LIVE_NAMESPACE, refresh: 'off (the dashboard without its 1m)' };
    let page;
    let events;
    try {
      await freshNamespace(admin, LIVE_NAMESPACE, 'scenes-live');
      const steps = [{ setWeight: 25 }, { pause: {} }, { setWeight: 50 }, { pause: {} }];
      await admin.create(
        paths.rollouts(LIVE_NAMESPACE),
        rolloutManifest({ name: LIVE_ROLLOUT, image: 'example.test/app:1.0', strategy: { canary: { steps } } })
      );
      await waitForRollout(admin, LIVE_NAMESPACE, LIVE_ROLLOUT, 'healthy after the initial deploy', isHealthy);
      await setImage(admin, LIVE_NAMESPACE, LIVE_ROLLOUT, 'example.test/app:2.0');
      await waitForRollout(
        admin,
        LIVE_NAMESPACE,
        LIVE_ROLLOUT,
        'paused at step 2',
        (status) => isPausedBy('CanaryPauseStep')(status) && status.currentStepIndex === 1
      );

      const variant = { ...ctx.dashboards[OVERVIEW], refresh: '' };
      const opened = await openDashboard(
        ctx,
        OVERVIEW,
        { datasource: ctx.dataSource, namespace: LIVE_NAMESPACE, rollout: ALL },
        { time: { from: 'now-1h', to: 'now' }, variants: { [OVERVIEW]: variant } }
      );
      page = opened.page;
      expectPanelsAnswered(opened.snapshot, (details.beforePromotion = {}));
      const eventsTable = page.getByTestId(`panel-${EVENTS_PANEL_ID}-table`);
      const shownBefore = await eventsTable.innerText();
      details.beforePromotion.stepsShown = LIVE_STEPS.filter((step) => shownBefore.includes(step));
      expect(
        details.beforePromotion.stepsShown.length === 0,
        'the Recent events table shows steps before the promotion',
        details
      );

      // Over the page's HTTP/1.1 the data sources keep at most four watches (README "Watches and HTTP/1.1").
      const proxied = (from) =>
        ctx.server.forwarded
          .slice(from)
          .filter((r) => r.path.startsWith(`/api/datasources/proxy/uid/${ctx.dataSource}/kube`));
      const watches = await waitFor('the data source watching four kinds', () => {
        const open = proxied(opened.forwardedFrom).filter((r) => r.path.includes('watch=1'));
        return open.length >= 4 && open;
      });
      details.watches = watches.map((r) => `${r.status} ${r.path.split('/kube')[1]}`);
      events = await new EventLog(admin, LIVE_NAMESPACE).start();
      const requestsFrom = ctx.server.forwarded.length;
      await promote(admin, LIVE_NAMESPACE, LIVE_ROLLOUT);
      details.promotedAt = new Date().toISOString();
      details.latencies = [];
      for (const step of LIVE_STEPS) {
        const shownAt = await waitFor(
          `"${step}" in the Recent events table`,
          async () => (await eventsTable.innerText()).includes(step) && Date.now(),
          { timeoutMs: LIVE_WAIT_MS, intervalMs: 50 }
        ).catch(async (err) => {
          details.afterPromotion = await liveState(page, events, proxied(requestsFrom));
          expect(false, err.message, details);
        });
        const event = events.occurrences.find((occurrence) => occurrence.message.startsWith(step));
        expect(event, `the controller made no Event "${step}"`, details);
        details.latencies.push({ step, eventSeenAt: event.at, shownAt, latencyMs: shownAt - event.at });
      }
      details.requestsAfterPromotion = proxied(requestsFrom).map((r) => `${r.status} ${r.path.split('/kube')[1]}`);
      await screenshotPage(page, path.join(ctx.screenshotDir, 'scenes-live.png'));
      details.screenshot = path.relative(process.cwd(), path.join(ctx.screenshotDir, 'scenes-live.png'));
      expect(
        details.latencies.every(({ latencyMs }) => latencyMs <= LIVE_LATENCY_MS),
        `a step appeared later than ${LIVE_LATENCY_MS} ms after the controller's Event`,
        details
      );
      expect(
        details.requestsAfterPromotion.length === 0,
        'the page asked the API server again after the promotion (the update came by a request, not a watch)',
        details
      );
      expectNoProblems(opened, details);
      return details;
    } finally {
      events?.stop();
      await page?.close();
      await admin.delete(paths.namespace(LIVE_NAMESPACE)).catch(() => undefined);
      admin.close();
    }
  },
};

export const CHECKS = [overview, detail, outcomeCoverage, problemsVisible, screenshots, live];
