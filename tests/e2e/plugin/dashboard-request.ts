import { type DataQueryRequest, dateMath, type DateTime } from '@grafana/data';

import type { RolloutLensQuery } from '../../../src/datasource/types';

/** The request a dashboard refresh sends for some of its queries: the dashboard's time range, a 1 m interval, UTC. */
export function dashboardRequest(
  requestId: string,
  time: { from: string; to: string },
  targets: RolloutLensQuery[]
): DataQueryRequest<RolloutLensQuery> {
  const from = dateMath.parse(time.from) as DateTime;
  const to = dateMath.parse(time.to, true) as DateTime;
  return {
    requestId,
    interval: '1m',
    intervalMs: 60_000,
    range: { from, to, raw: { from: time.from, to: time.to } },
    scopedVars: {},
    targets,
    timezone: 'utc',
    app: 'dashboard',
    startTime: Date.now(),
  };
}
