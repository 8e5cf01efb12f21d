import { type DataQueryRequest, dateTime } from '@grafana/data';

import type { RolloutLensQuery } from '../types';

/** A dashboard's request for these targets (refIds A, B, …) over the hour either side of `around`. */
export function queryRequest(
  targets: Array<Partial<RolloutLensQuery>>,
  around: number,
  requestId = 'test'
): DataQueryRequest<RolloutLensQuery> {
  const from = dateTime(around - 3_600_000);
  const to = dateTime(around + 3_600_000);
  return {
    requestId,
    interval: '1m',
    intervalMs: 60_000,
    range: { from, to, raw: { from, to } },
    scopedVars: {},
    targets: targets.map((target, i) => ({ refId: String.fromCharCode(65 + i), ...target }) as RolloutLensQuery),
    timezone: 'utc',
    app: 'dashboard',
    startTime: Date.now(),
  };
}
