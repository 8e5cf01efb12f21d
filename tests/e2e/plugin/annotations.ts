import { dateTime, type DataFrame } from '@grafana/data';
import { firstValueFrom } from 'rxjs';

import type { AnnotationsQuery } from '../../../src/datasource/types';
import type { OracleEntry } from '../oracle/oracle.mjs';
import { testbedDataSource } from './testbed';

export interface Annotation {
  kind: 'point' | 'region';
  title: string;
  text: string;
  tags: string[];
  time: number;
  timeEnd: number;
}

/** Runs an annotation query of the plugin for one namespace over the last hour, as a dashboard would. */
export async function annotationsOf(namespace: string, query: Partial<AnnotationsQuery> = {}): Promise<Annotation[]> {
  const { dataSource, proxy } = testbedDataSource();
  try {
    const to = dateTime();
    const from = dateTime(Date.now() - 3_600_000);
    const response = await firstValueFrom(
      dataSource.query({
        requestId: 'e2e-annotations',
        interval: '1m',
        intervalMs: 60_000,
        range: { from, to, raw: { from, to } },
        scopedVars: {},
        targets: [{ refId: 'Anno', queryType: 'annotations', namespaces: [namespace], ...query }],
        timezone: 'utc',
        app: 'dashboard',
        startTime: Date.now(),
      })
    );
    expect(response.errors ?? []).toEqual([]);
    const frame = response.data[0] as DataFrame;
    const column = (name: string) => frame.fields.find((field) => field.name === name)?.values ?? [];
    return Array.from({ length: frame.length }, (_, i) => ({
      kind: column('timeEnd')[i] === column('time')[i] ? 'point' : 'region',
      title: String(column('title')[i]),
      text: String(column('text')[i]),
      tags: column('tags')[i] as string[],
      time: column('time')[i] as number,
      timeEnd: column('timeEnd')[i] as number,
    }));
  } finally {
    proxy.close();
  }
}

const tagValue = (annotation: Annotation, key: string) =>
  annotation.tags.find((tag) => tag.startsWith(`${key}:`))?.slice(key.length + 1);

/** An annotation as the oracle writes an entry (tests/e2e/oracle/): from its tags, a point when it spans no time. */
export function asEntry(annotation: Annotation): OracleEntry & { title: string } {
  const revision = tagValue(annotation, 'revision');
  return {
    rollout: tagValue(annotation, 'rollout'),
    category: tagValue(annotation, 'category') ?? '(no category tag)',
    revision: revision === undefined ? undefined : Number(revision),
    kind: annotation.kind,
    outcome: tagValue(annotation, 'outcome'),
    reason: tagValue(annotation, 'reason'),
    time: annotation.time,
    timeEnd: annotation.timeEnd,
    title: annotation.title,
  };
}

export const summary = (annotations: Annotation[]) =>
  annotations.map(
    (a) => `${a.kind} ${a.title} [${a.tags.filter((t) => /^(outcome|reason|precision):/.test(t)).join(' ')}]`
  );
