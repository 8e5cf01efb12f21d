import './runtime/jsdomIntersectionObserver';
import {
  dataLayers,
  DataSourceVariable,
  QueryVariable,
  SceneDataLayerSet,
  SceneDataTransformer,
  SceneGridItem,
  SceneGridLayout,
  SceneQueryRunner,
  SceneRefreshPicker,
  VizPanel,
} from '@grafana/scenes';

import overview from '../../../src/dashboards/overview.json';
import { type DashboardJson, dashboardToScene } from './dashboardToScene';

const dashboard = overview as unknown as DashboardJson;
const ours = (dashboard.annotations?.list ?? []).filter((a) => !a.builtIn);

describe('dashboardToScene', () => {
  const scene = dashboardToScene(dashboard);

  it('keeps the time range, the time zone and the refresh of the dashboard', () => {
    expect(scene.state.$timeRange?.state).toMatchObject({ from: dashboard.time?.from, to: dashboard.time?.to });
    const refresh = scene.state.controls?.find((c) => c instanceof SceneRefreshPicker) as SceneRefreshPicker;
    expect(refresh.state.refresh).toBe(dashboard.refresh);
  });

  it('makes each variable of the JSON with its multi-value and All settings', () => {
    const variables = scene.state.$variables?.state.variables ?? [];
    expect(variables.map((v) => [v.constructor, v.state.name])).toEqual(
      (dashboard.templating?.list ?? []).map((v) => [
        v.type === 'datasource' ? DataSourceVariable : QueryVariable,
        v.name,
      ])
    );
    for (const json of dashboard.templating?.list ?? []) {
      const variable = variables.find((v) => v.state.name === json.name)!;
      expect(variable.state).toMatchObject({
        isMulti: json.multi,
        includeAll: json.includeAll,
        allValue: json.allValue,
      });
    }
  });

  it('makes one annotation layer per annotation of a data source, and none for the built-in one', () => {
    const layers = (scene.state.$data as SceneDataLayerSet).state.layers;
    expect(layers.every((l) => l instanceof dataLayers.AnnotationsDataLayer)).toBe(true);
    expect(layers.map((l) => [l.state.name, (l as dataLayers.AnnotationsDataLayer).state.query.iconColor])).toEqual(
      ours.map((a) => [a.name, a.iconColor])
    );
  });

  it('places one panel per panel of the JSON at its grid position, querying its targets', () => {
    const items = (scene.state.body as SceneGridLayout).state.children as SceneGridItem[];
    expect(items).toHaveLength(dashboard.panels?.length ?? 0);
    items.forEach((item, i) => {
      const json = dashboard.panels![i];
      expect(item.state).toMatchObject({
        x: json.gridPos.x,
        y: json.gridPos.y,
        width: json.gridPos.w,
        height: json.gridPos.h,
      });
      const panel = item.state.body as VizPanel;
      expect(panel.state).toMatchObject({ key: `panel-${json.id}`, title: json.title, pluginId: json.type });
      const runner = (panel.state.$data as SceneDataTransformer).state.$data as SceneQueryRunner;
      expect(runner.state.queries).toEqual(json.targets);
      expect(runner.state.dataLayerFilter).toEqual({ panelId: json.id });
    });
  });
});
