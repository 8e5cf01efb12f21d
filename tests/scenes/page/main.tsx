// Entry of the scenes page: Grafana's dashboard library (@grafana/scenes) outside Grafana. It sets Grafana's
// runtime services the way Grafana's frontend does at boot (app events, backendSrv, templateSrv, dataSourceSrv,
// runRequest, plugin import utils, option registries), loads the built plugin from dist/ through SystemJS when a
// dashboard first asks for its data source, turns a bundled dashboard's JSON into a scene (./dashboardToScene.ts)
// and renders it at /d/<uid>, the path Grafana uses. Variables, time range and refresh follow the URL (var-<name>=, from=, to=, refresh=).
//
// Test hook: `window.scenesHarnessDashboards` (set before the page loads) replaces bundled dashboards by uid, for
// checks that need a variant of one.
import React, { useLayoutEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { Router } from 'react-router-dom';
import { EventBusSrv } from '@grafana/data';
import {
  locationService,
  LocationServiceProvider,
  setAppEvents,
  setBackendSrv,
  setDataSourceSrv,
  setPluginImportUtils,
  setRunRequest,
  setTemplateSrv,
} from '@grafana/runtime';
import { UrlSyncContextProvider, sceneUtils } from '@grafana/scenes';
import { Alert } from '@grafana/ui';

import { createBackendSrv } from '../../browser/host/backendSrv';
import '../../browser/host/pageStatus';
import { registerSharedModules } from '../../browser/host/sharedModules';
import { Themed } from '../../browser/host/Themed';
import { DashboardPage, LIBRARY_LABEL } from './DashboardPage';
import { type DashboardJson, dashboardToScene } from './dashboardToScene';
import { bundledDashboards } from './dashboards';
import { createHarnessApi, type HarnessApi } from './harnessApi';
import { tablePanel } from './panels/tablePanel';
import { timeSeriesPanel } from './panels/timeSeriesPanel';
import { QueryRecorder } from './recorder';
import { HostDataSourceSrv } from './runtime/dataSourceSrv';
import { initOptionsRegistries } from './runtime/optionsRegistry';
import { createRunRequest } from './runtime/runRequest';
import { createSceneTemplateSrv } from './runtime/templateSrv';

declare global {
  interface Window {
    scenesHarness?: HarnessApi;
    scenesHarnessDashboards?: Record<string, DashboardJson>;
  }
}

/**
 * React Router over Grafana's location service, and the service itself, as Grafana's app wraps its pages (scenes'
 * URL sync reads both).
 */
function LocationServiceRouter({ children }: { children: React.ReactNode }) {
  const history = locationService.getHistory();
  const [location, setLocation] = useState(history.location);
  useLayoutEffect(() => history.listen((next: typeof location) => setLocation(next)), [history]);
  return (
    <Router location={location} navigator={history}>
      <LocationServiceProvider service={locationService}>{children}</LocationServiceProvider>
    </Router>
  );
}

/** Sets the services @grafana/scenes and our plugin use, as Grafana's app does before rendering anything. */
async function setRuntimeServices(recorder: QueryRecorder) {
  // Grafana's app-wide event bus (app_events.ts); panels subscribe to it for shared crosshairs and refreshes.
  setAppEvents(new EventBusSrv());
  const backendSrv = createBackendSrv();
  setBackendSrv(backendSrv);
  const templateSrv = createSceneTemplateSrv();
  setTemplateSrv(templateSrv);
  const dataSourceSrv = new HostDataSourceSrv(templateSrv);
  setDataSourceSrv(dataSourceSrv);
  setRunRequest(recorder.wrap(createRunRequest((id) => backendSrv.resolveCancelerIfExists(id))));
  initOptionsRegistries();
  // Grafana's core panels are not on npm: the two our dashboards use are runtime panel plugins (./panels).
  setPluginImportUtils({
    importPanelPlugin: (id) => Promise.reject(new Error(`panel plugin "${id}" is not available in this page`)),
    getPanelPluginFromCache: () => undefined,
  });
  sceneUtils.registerRuntimePanelPlugin({ pluginId: 'table', plugin: tablePanel });
  sceneUtils.registerRuntimePanelPlugin({ pluginId: 'timeseries', plugin: timeSeriesPanel });
  await dataSourceSrv.reload();
}

function DashboardList({ dashboards }: { dashboards: Array<{ name: string; json: DashboardJson }> }) {
  return (
    <Alert severity="info" title={LIBRARY_LABEL}>
      Dashboards of Rollout Lens:{' '}
      {dashboards.map((d) => (
        <a key={d.json.uid} href={`/d/${d.json.uid}`} style={{ marginRight: 16 }}>
          {d.name}
        </a>
      ))}
    </Alert>
  );
}

async function main() {
  const root = createRoot(document.getElementById('root')!);
  window.hostStatus = { ready: false, sharedModules: registerSharedModules() };
  try {
    const recorder = new QueryRecorder();
    await setRuntimeServices(recorder);
    const dashboards = await bundledDashboards();
    const uid = /^\/d\/([^/]+)/.exec(window.location.pathname)?.[1];
    if (!uid) {
      root.render(
        <Themed>
          <DashboardList dashboards={dashboards} />
        </Themed>
      );
    } else {
      const json = window.scenesHarnessDashboards?.[uid] ?? dashboards.find((d) => d.json.uid === uid)?.json;
      if (!json) {
        throw new Error(
          `no bundled dashboard has uid ${uid} (bundled: ${dashboards.map((d) => d.json.uid).join(', ')})`
        );
      }
      const scene = dashboardToScene(json);
      // As Grafana's DashboardScene: the active dashboard is the template service's scope of last resort.
      scene.addActivationHandler(() => {
        window.__grafanaSceneContext = scene;
        return () => {
          window.__grafanaSceneContext = undefined;
        };
      });
      window.scenesHarness = createHarnessApi(scene, recorder);
      window.hostStatus.dashboard = uid;
      document.title = `${json.title} · ${LIBRARY_LABEL}`;
      root.render(
        <Themed>
          <LocationServiceRouter>
            <UrlSyncContextProvider scene={scene} updateUrlOnInit createBrowserHistorySteps>
              <DashboardPage dashboard={json} scene={scene} />
            </UrlSyncContextProvider>
          </LocationServiceRouter>
        </Themed>
      );
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String((error as { message?: string })?.message ?? error);
    window.hostStatus.error = message;
    root.render(
      <Themed>
        <Alert severity="error" title="The dashboard could not be loaded">
          {message}
        </Alert>
      </Themed>
    );
  }
  window.hostStatus.ready = true;
}

main();
