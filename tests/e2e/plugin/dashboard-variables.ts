import type { ScopedVars } from '@grafana/data';

import type { ReplaceVariables } from '../../../src/datasource/query/interpolate';

/** The value a dashboard variable holds: one value, several, or the "All" option. */
export type VariableValue = { value: string | string[] } | { all: true; options: string[]; allValue?: string };

/**
 * A small stand-in for Grafana's template service, enough for the bundled dashboards: `$name`, `${name}`,
 * `${name:format}` and `[[name]]`; multi values and "All" go through the caller's format function, and "All" with
 * a custom all value is replaced by that value unformatted, as Grafana's TemplateSrv does.
 */
export function templateReplacer(values: Map<string, VariableValue>): ReplaceVariables {
  const pattern = /\$(\w+)|\$\{(\w+)(?::[^}]+)?\}|\[\[(\w+)\]\]/g;
  return (target: string, _scopedVars?: ScopedVars, format?: string | ((value: string | string[]) => string)) =>
    target.replace(pattern, (whole, a?: string, b?: string, c?: string) => {
      const current = values.get(a ?? b ?? c ?? '');
      if (!current) {
        return whole;
      }
      if ('all' in current && current.allValue !== undefined) {
        return current.allValue;
      }
      const value = 'all' in current ? current.options : current.value;
      if (typeof format === 'function') {
        return format(value);
      }
      return Array.isArray(value) ? `{${value.join(',')}}` : value;
    });
}
