// `window.scenesHarness`: what the checks (tests/scenes/checks.mjs) read from the page besides what it shows. Every
// value comes from the live scene (variables, annotation layers, panels) or from the requests the scene made
// (QueryRecorder); nothing is computed here that the checks assert.
import {
  createTheme,
  type DataFrame,
  type DataQueryError,
  type DataQueryRequest,
  getFieldDisplayName,
  LoadingState,
  type PanelData,
} from '@grafana/data';
import { config, getDataSourceSrv } from '@grafana/runtime';
import type { DataQuery } from '@grafana/schema';
import {
  dataLayers,
  type EmbeddedScene,
  MultiValueVariable,
  sceneGraph,
  type SceneObject,
  type VariableValueOption,
  VizPanel,
} from '@grafana/scenes';
import { firstValueFrom, from } from 'rxjs';

import { queryRequest } from '../../browser/host/query';
import type { QueryRecorder } from './recorder';

export interface FrameJson {
  name?: string;
  refId?: string;
  length: number;
  notices: Array<{ severity: string; text: string }>;
  fields: Array<{ name: string; displayName: string; type: string; values: unknown[] }>;
}

export interface ErrorJson {
  message?: string;
  status?: number;
  refId?: string;
}

export function frameToJson(frame: DataFrame): FrameJson {
  return {
    name: frame.name,
    refId: frame.refId,
    length: frame.length,
    notices: (frame.meta?.notices ?? []).map((n) => ({ severity: n.severity, text: n.text })),
    fields: frame.fields.map((field) => ({
      name: field.name,
      displayName: getFieldDisplayName(field, frame),
      type: field.type,
      values: Array.from(field.values),
    })),
  };
}

const errorToJson = (e: DataQueryError): ErrorJson => ({ message: e.message, status: e.status, refId: e.refId });

function errorsOf(data: PanelData | undefined): ErrorJson[] {
  return [...(data?.errors ?? []), ...(data?.error ? [data.error] : [])].map(errorToJson);
}

const isLoading = (data: PanelData | undefined) =>
  !data || data.state === LoadingState.Loading || data.state === LoadingState.NotStarted;

function layersOf(scene: EmbeddedScene): dataLayers.AnnotationsDataLayer[] {
  const set = scene.state.$data;
  const layers = set && 'layers' in set.state ? (set.state.layers as SceneObject[]) : [];
  return layers.filter((l): l is dataLayers.AnnotationsDataLayer => l instanceof dataLayers.AnnotationsDataLayer);
}

function panelsOf(scene: EmbeddedScene): VizPanel[] {
  const panels: VizPanel[] = [];
  scene.forEachChild(function visit(child: SceneObject) {
    if (child instanceof VizPanel) {
      panels.push(child);
    }
    child.forEachChild(visit);
  });
  return panels;
}

function requestToJson(request: DataQueryRequest | undefined) {
  return (
    request && {
      requestId: request.requestId,
      targets: request.targets,
      range: { from: request.range.from.valueOf(), to: request.range.to.valueOf() },
    }
  );
}

export function createHarnessApi(scene: EmbeddedScene, recorder: QueryRecorder) {
  const variables = () => sceneGraph.getVariables(scene).state.variables;

  function variableSnapshot() {
    return variables().map((v) => ({
      name: v.state.name,
      type: v.state.type,
      // Multi-value variables keep `$__all` as their value (getValue() would give the custom All value object).
      value: v instanceof MultiValueVariable ? v.state.value : v.getValue(),
      text: v instanceof MultiValueVariable ? v.state.text : (v.getValueText?.() ?? ''),
      loading: Boolean(v.state.loading),
      error: v.state.error ? String(v.state.error?.message ?? v.state.error) : undefined,
      ...(v instanceof MultiValueVariable
        ? {
            options: v.state.options.map((o: VariableValueOption) => ({ label: o.label, value: o.value })),
            isMulti: Boolean(v.state.isMulti),
            includeAll: Boolean(v.state.includeAll),
            allValue: v.state.allValue,
          }
        : {}),
      request: requestToJson(recorder.last.get(v.state.key ?? '')?.request),
    }));
  }

  function layerSnapshot() {
    return layersOf(scene).map((layer) => {
      const recorded = recorder.last.get(layer.state.key ?? '');
      return {
        key: layer.state.key,
        name: layer.state.name,
        iconColor: layer.state.query.iconColor,
        enabled: Boolean(layer.state.isEnabled),
        state: layer.state.data?.state,
        emitted: (layer.state.data?.series ?? []).map(frameToJson),
        request: requestToJson(recorded?.request),
        response: recorded?.data && {
          state: recorded.data.state,
          frames: [...recorded.data.series, ...(recorded.data.annotations ?? [])].map(frameToJson),
          errors: errorsOf(recorded.data),
        },
      };
    });
  }

  function panelSnapshot() {
    return panelsOf(scene).map((panel) => {
      const data = sceneGraph.getData(panel).state.data;
      const recorded = recorder.last.get(panel.state.key ?? '');
      return {
        key: panel.state.key,
        title: panel.state.title,
        type: panel.state.pluginId,
        state: data?.state,
        errors: errorsOf(data),
        frames: (data?.series ?? []).map(frameToJson),
        annotations: (data?.annotations ?? []).reduce((n, frame) => n + frame.length, 0),
        request: requestToJson(recorded?.request),
      };
    });
  }

  const busy = () =>
    variables().some((v) => v.state.loading || sceneGraph.getVariables(scene).isVariableLoadingOrWaitingToUpdate(v)) ||
    layersOf(scene).some((l) => l.state.isEnabled && isLoading(l.state.data)) ||
    panelsOf(scene).some((p) => isLoading(sceneGraph.getData(p).state.data));

  return {
    /**
     * Resolves once no variable, layer or panel is loading and no request started or answered for `quietMs` (a
     * streaming query, such as the status of a refresh, stays subscribed: it counts once it answered).
     */
    async settled(quietMs = 500): Promise<number> {
      let quietSince = 0;
      let seen = '';
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        const now = `${recorder.total}/${recorder.emissions}`;
        if (busy() || now !== seen) {
          quietSince = 0;
          seen = now;
        } else if (!quietSince) {
          quietSince = Date.now();
        } else if (Date.now() - quietSince >= quietMs) {
          return recorder.total;
        }
      }
    },
    snapshot: () => ({
      dashboard: scene.state.key,
      timeRange: (({ from, to }) => ({ from: from.valueOf(), to: to.valueOf() }))(
        sceneGraph.getTimeRange(scene).state.value
      ),
      variables: variableSnapshot(),
      layers: layerSnapshot(),
      panels: panelSnapshot(),
      queriesRun: recorder.total,
    }),
    /** A named colour resolved by a new theme of the page's mode (not the instance the scene used). */
    colorOf: (name: string) =>
      createTheme({ colors: { mode: config.theme2.colors.mode } }).visualization.getColorByName(name),
    /** Sets a variable as a user's pick in its drop-down does. */
    setVariable(name: string, value: string | string[]) {
      const variable = variables().find((v) => v.state.name === name);
      if (!(variable instanceof MultiValueVariable)) {
        throw new Error(`no multi-value variable ${name}`);
      }
      variable.changeValueTo(value);
    },
    /**
     * The data source's own answer to `targets` over the dashboard's time range, outside the scene's queries: its first
     * answer (a watched query stays open and answers again as the cluster changes).
     */
    async queryDataSource(uid: string, targets: DataQuery[]) {
      const ds = await getDataSourceSrv().get({ uid });
      const range = sceneGraph.getTimeRange(scene).state.value;
      // In the dashboard's scope, as a query of its own would be: its variables are interpolated.
      const request = {
        ...queryRequest(targets, range),
        scopedVars: { __sceneObject: { text: 'scene', value: scene } },
      };
      const response = await firstValueFrom(from(ds.query(request)));
      const { data, errors } = response as { data: DataFrame[]; errors?: DataQueryError[] };
      return { frames: data.map(frameToJson), errors: (errors ?? []).map(errorToJson) };
    },
  };
}

export type HarnessApi = ReturnType<typeof createHarnessApi>;
