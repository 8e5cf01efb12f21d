// STAND-IN for Grafana's TemplateSrv (public/app/features/templating/template_srv.ts) as a Grafana 12 dashboard uses
// it: `replace` delegates to @grafana/scenes' `sceneGraph.interpolate`, scoped to the scene object that made the
// request (`scopedVars.__sceneObject`), else to the active dashboard scene (`window.__grafanaSceneContext`).
// Grafana's own path for text outside any scene (the legacy variable index) is left out: every call here comes from
// a scene or from a data source called by one.
import type { ScopedVars, TypedVariableModel } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';
import { type SceneObject, sceneGraph } from '@grafana/scenes';

declare global {
  interface Window {
    /** Set by the dashboard scene while it is active, as Grafana's DashboardScene does. */
    __grafanaSceneContext?: SceneObject;
  }
}

type Format = Parameters<TemplateSrv['replace']>[2];

function sceneOf(scopedVars?: ScopedVars): SceneObject | undefined {
  const fromRequest = scopedVars?.__sceneObject?.value?.valueOf() as SceneObject | undefined;
  if (fromRequest) {
    return fromRequest;
  }
  const active = window.__grafanaSceneContext;
  return active?.isActive ? active : undefined;
}

/** The dashboard's variables in the legacy shape Grafana's `getVariables` gives data sources. */
function legacyVariables(scene: SceneObject | undefined): TypedVariableModel[] {
  if (!scene) {
    return [];
  }
  return sceneGraph.getVariables(scene).state.variables.map((variable) => {
    // Multi-value variables keep `$__all` as their value; their getValue() would expand it.
    const state = variable.state as typeof variable.state & { value?: unknown; text?: unknown };
    const value = 'value' in state ? state.value : variable.getValue();
    const text = 'text' in state ? state.text : variable.getValueText?.();
    return { ...state, id: state.name, current: { value, text } } as unknown as TypedVariableModel;
  });
}

export function createSceneTemplateSrv(): TemplateSrv {
  return {
    replace(target?: string, scopedVars?: ScopedVars, format?: Format): string {
      const scene = sceneOf(scopedVars);
      if (!scene) {
        return target ?? '';
      }
      return sceneGraph.interpolate(scene, target, scopedVars, format as Parameters<typeof sceneGraph.interpolate>[3]);
    },
    getVariables: () => legacyVariables(sceneOf()),
    containsTemplate(target?: string): boolean {
      const names = new Set(legacyVariables(sceneOf()).map((variable) => variable.name));
      return [...(target ?? '').matchAll(/\$(\w+)|\$\{(\w+)/g)].some((m) => names.has(m[1] ?? m[2]));
    },
    updateTimeRange: () => undefined,
  };
}
