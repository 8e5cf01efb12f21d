import type { ScopedVars, TypedVariableModel } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';

/**
 * A minimal TemplateSrv: the host page has no dashboard, so there are no variables. `replace` only expands
 * scoped variables given with the call (`$name` / `${name}`); any other text is returned unchanged.
 */
export function createTemplateSrv(): TemplateSrv {
  const scoped = /\$(\w+)|\$\{(\w+)\}/g;
  return {
    getVariables: (): TypedVariableModel[] => [],
    replace: (target?: string, scopedVars?: ScopedVars) =>
      (target ?? '').replace(scoped, (match, plain?: string, braced?: string) => {
        const value = scopedVars?.[plain ?? braced ?? '']?.value;
        return value === undefined || value === null ? match : String(value);
      }),
    containsTemplate: (target?: string) => Boolean(target && /\$\w+|\$\{\w+\}/.test(target)),
    updateTimeRange: () => undefined,
  };
}
