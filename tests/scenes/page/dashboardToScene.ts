// A dashboard's JSON (the save model Grafana stores and our src/dashboards/ ship) turned into a @grafana/scenes
// scene, as Grafana 12 does when it opens a dashboard. Grafana's own transformation (transformSaveModelToScene) is
// core code, not on npm; this one builds the parts our dashboards use, with the same scene objects:
// - time range and time zone from `time` and `timezone`; the refresh picker from `refresh`;
// - `templating.list`: DataSourceVariable and QueryVariable with `isMulti`, `includeAll` and `allValue` as in the
//   JSON (also custom, constant and text box variables);
// - `annotations.list`: one AnnotationsDataLayer per annotation of a data source (Grafana's own built-in
//   "Annotations & Alerts" layer reads Grafana's annotation API, which the stand-in does not have: it is left out);
// - `panels`: a SceneGridItem at `gridPos` holding a VizPanel whose data is a SceneQueryRunner of the panel's targets
//   (wrapped in a SceneDataTransformer with the panel's transformations), filtered to the panel's annotations.
import type { DataSourceRef } from '@grafana/schema';
import {
  ConstantVariable,
  CustomVariable,
  dataLayers,
  DataSourceVariable,
  EmbeddedScene,
  QueryVariable,
  SceneControlsSpacer,
  SceneDataLayerSet,
  SceneDataTransformer,
  SceneGridItem,
  SceneGridLayout,
  SceneQueryRunner,
  SceneRefreshPicker,
  SceneTimePicker,
  SceneTimeRange,
  SceneVariableSet,
  type SceneVariable,
  TextBoxVariable,
  VariableValueSelectors,
  VizPanel,
} from '@grafana/scenes';
import type { AnnotationQuery, DataTransformerConfig } from '@grafana/data';

import { AnnotationToggles } from './AnnotationToggles';

/** The parts of a dashboard's JSON model this transformation reads. */
export interface DashboardJson {
  uid: string;
  title: string;
  description?: string;
  refresh?: string;
  time?: { from: string; to: string };
  timezone?: string;
  timepicker?: { refresh_intervals?: string[] };
  annotations?: { list?: AnnotationJson[] };
  templating?: { list?: VariableJson[] };
  links?: DashboardLinkJson[];
  panels?: PanelJson[];
}

export interface AnnotationJson extends AnnotationQuery {
  builtIn?: number;
  type?: string;
}

export interface VariableJson {
  type: string;
  name: string;
  label?: string;
  description?: string;
  hide?: number;
  skipUrlSync?: boolean;
  datasource?: DataSourceRef | null;
  query?: unknown;
  definition?: string;
  current?: { value?: string | string[]; text?: string | string[] };
  regex?: string;
  sort?: number;
  refresh?: number;
  multi?: boolean;
  includeAll?: boolean;
  allValue?: string;
}

export interface DashboardLinkJson {
  type: string;
  title: string;
  url?: string;
  tooltip?: string;
  includeVars?: boolean;
  keepTime?: boolean;
}

export interface PanelJson {
  id: number;
  type: string;
  title?: string;
  description?: string;
  datasource?: DataSourceRef | null;
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: Array<{ refId: string; datasource?: DataSourceRef | null; [key: string]: unknown }>;
  options?: Record<string, unknown>;
  fieldConfig?: {
    defaults: Record<string, unknown>;
    overrides: Array<{
      matcher: { id: string; options?: unknown };
      properties: Array<{ id: string; value?: unknown }>;
    }>;
  };
  transformations?: DataTransformerConfig[];
  maxDataPoints?: number;
  interval?: string;
}

/** The scene key of a panel, as Grafana names it (`panel-<id>`). */
export const panelKey = (panel: Pick<PanelJson, 'id'>) => `panel-${panel.id}`;

function multiValueState(v: VariableJson) {
  return {
    name: v.name,
    label: v.label,
    description: v.description,
    hide: v.hide,
    skipUrlSync: v.skipUrlSync,
    isMulti: v.multi,
    includeAll: v.includeAll,
    allValue: v.allValue,
    value: v.current?.value ?? '',
    text: v.current?.text ?? '',
  };
}

export function toVariable(v: VariableJson): SceneVariable {
  switch (v.type) {
    case 'datasource':
      return new DataSourceVariable({ ...multiValueState(v), pluginId: String(v.query ?? ''), regex: v.regex ?? '' });
    case 'query':
      return new QueryVariable({
        ...multiValueState(v),
        datasource: v.datasource ?? null,
        query: v.query as QueryVariable['state']['query'],
        definition: v.definition,
        regex: v.regex ?? '',
        sort: v.sort,
        refresh: v.refresh,
      });
    case 'custom':
      return new CustomVariable({ ...multiValueState(v), query: String(v.query ?? '') });
    case 'constant':
      return new ConstantVariable({ name: v.name, value: String(v.query ?? ''), skipUrlSync: true, hide: 2 });
    case 'textbox':
      return new TextBoxVariable({ name: v.name, label: v.label, value: String(v.current?.value ?? v.query ?? '') });
    default:
      throw new Error(`variable ${v.name}: type "${v.type}" is not supported by the harness`);
  }
}

/** The annotations of data sources (not Grafana's built-in "Annotations & Alerts"), one layer each. */
export function annotationLayers(dashboard: DashboardJson) {
  return (dashboard.annotations?.list ?? [])
    .filter((annotation) => !annotation.builtIn && annotation.datasource?.type !== 'grafana')
    .map(
      (query, index) =>
        new dataLayers.AnnotationsDataLayer({
          key: `annotations-${index}`,
          name: query.name,
          isEnabled: query.enable,
          isHidden: query.hide,
          query,
        })
    );
}

function toGridItem(panel: PanelJson): SceneGridItem {
  const queryRunner = new SceneQueryRunner({
    datasource: panel.datasource ?? undefined,
    queries: panel.targets ?? [],
    maxDataPoints: panel.maxDataPoints,
    minInterval: panel.interval,
    dataLayerFilter: { panelId: panel.id },
  });
  const { x, y, w, h } = panel.gridPos;
  return new SceneGridItem({
    key: `grid-item-${panel.id}`,
    x,
    y,
    width: w,
    height: h,
    isDraggable: false,
    isResizable: false,
    body: new VizPanel({
      key: panelKey(panel),
      title: panel.title,
      description: panel.description,
      pluginId: panel.type,
      options: panel.options ?? {},
      fieldConfig: (panel.fieldConfig ?? { defaults: {}, overrides: [] }) as VizPanel['state']['fieldConfig'],
      $data: new SceneDataTransformer({ $data: queryRunner, transformations: panel.transformations ?? [] }),
    }),
  });
}

export function dashboardToScene(dashboard: DashboardJson): EmbeddedScene {
  return new EmbeddedScene({
    key: dashboard.uid,
    $timeRange: new SceneTimeRange({
      from: dashboard.time?.from ?? 'now-6h',
      to: dashboard.time?.to ?? 'now',
      timeZone: dashboard.timezone || 'browser',
    }),
    $variables: new SceneVariableSet({ variables: (dashboard.templating?.list ?? []).map(toVariable) }),
    $data: new SceneDataLayerSet({ layers: annotationLayers(dashboard) }),
    controls: [
      new VariableValueSelectors({}),
      new AnnotationToggles({}),
      new SceneControlsSpacer(),
      new SceneTimePicker({}),
      new SceneRefreshPicker({
        refresh: dashboard.refresh ?? '',
        intervals: dashboard.timepicker?.refresh_intervals,
      }),
    ],
    body: new SceneGridLayout({
      isDraggable: false,
      isLazy: false,
      children: (dashboard.panels ?? []).map(toGridItem),
    }),
  });
}
