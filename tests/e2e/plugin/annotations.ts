import { dateTime, type DataFrame } from '@grafana/data';
import { firstValueFrom } from 'rxjs';

import type { AnnotationsQuery } from '../../../src/datasource/types';
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

export const hasTags = (annotation: Annotation, tags: string[]) => tags.every((tag) => annotation.tags.includes(tag));
/**
 * `any` matches both: Kubernetes timestamps have one-second resolution, so a revision or pause of the fast test-bed
 * scenarios can start and end in the same second, and then Grafana shows it as a point.
 */
export const find = (annotations: Annotation[], kind: Annotation['kind'] | 'any', tags: string[]) =>
  annotations.filter((a) => (kind === 'any' || a.kind === kind) && hasTags(a, tags));
export const summary = (annotations: Annotation[]) =>
  annotations.map(
    (a) => `${a.kind} ${a.title} [${a.tags.filter((t) => /^(outcome|reason|precision):/.test(t)).join(' ')}]`
  );
