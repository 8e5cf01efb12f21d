/** The bundled overview dashboard, read as Grafana reads it: annotation queries, panel targets and variables. */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { RolloutLensQuery } from '../../src/datasource/types';
import type { VariableQuery } from '../../src/datasource/query/variableQuery';

export const OVERVIEW_DASHBOARD = path.resolve(__dirname, '../../src/dashboards/overview.json');
const DATASOURCE_TYPE = 'rolloutlens-argorollouts-datasource';

interface DatasourceRef {
  type?: string;
  uid?: string;
}

interface Panel {
  title?: string;
  datasource?: DatasourceRef | null;
  targets?: Array<RolloutLensQuery & { datasource?: DatasourceRef | null }>;
  panels?: Panel[];
}

interface Variable {
  type: string;
  name: string;
  datasource?: DatasourceRef | null;
  query?: VariableQuery | string;
  includeAll?: boolean;
  multi?: boolean;
  allValue?: string | null;
  current?: { value?: string | string[] };
}

interface DashboardJson {
  annotations?: {
    list?: Array<{ name?: string; enable?: boolean; datasource?: DatasourceRef; target?: RolloutLensQuery }>;
  };
  templating?: { list?: Variable[] };
  panels?: Panel[];
}

export interface OverviewDashboard {
  annotationQueries: Array<{ name: string; target: RolloutLensQuery }>;
  panelQueries: Array<{ title: string; targets: RolloutLensQuery[] }>;
  /** Query variables of our data source, in dashboard order (Grafana resolves them in that order). */
  variables: Array<{
    name: string;
    query: VariableQuery | string;
    includeAll: boolean;
    allValue?: string;
    current?: string | string[];
  }>;
}

const ours = (ref: DatasourceRef | null | undefined) => ref?.type === DATASOURCE_TYPE;

function flatten(panels: Panel[]): Panel[] {
  return panels.flatMap((panel) => [panel, ...flatten(panel.panels ?? [])]);
}

export function loadOverviewDashboard(file = OVERVIEW_DASHBOARD): OverviewDashboard {
  const json = JSON.parse(readFileSync(file, 'utf8')) as DashboardJson;
  return {
    annotationQueries: (json.annotations?.list ?? [])
      .filter((annotation) => annotation.enable !== false && ours(annotation.datasource) && annotation.target)
      .map((annotation) => ({ name: annotation.name ?? '', target: annotation.target as RolloutLensQuery })),
    panelQueries: flatten(json.panels ?? [])
      .map((panel) => ({
        title: panel.title ?? '',
        targets: (panel.targets ?? []).filter((target) => ours(target.datasource ?? panel.datasource)),
      }))
      .filter((panel) => panel.targets.length > 0),
    variables: (json.templating?.list ?? [])
      .filter((variable) => variable.type === 'query' && ours(variable.datasource))
      .map((variable) => ({
        name: variable.name,
        query: variable.query ?? '',
        includeAll: variable.includeAll === true,
        allValue: variable.allValue ?? undefined,
        current: variable.current?.value,
      })),
  };
}
