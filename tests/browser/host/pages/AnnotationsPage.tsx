import React, { useState } from 'react';
import {
  type AnnotationQuery,
  createDataFrame,
  type DataQueryError,
  type DataSourceApi,
  FieldType,
} from '@grafana/data';
import type { DataQuery } from '@grafana/schema';
import { Alert, Button, Field, Input, Stack } from '@grafana/ui';

import { annotationsFromFrames, type HostAnnotation, lastHours, runQuery } from '../query';
import { FrameTable } from './FrameTable';
import { HostFrame } from './HostFrame';

interface Props {
  dataSource: DataSourceApi<DataQuery>;
  initialTarget: DataQuery;
}

type Result =
  | { state: 'idle' }
  | { state: 'running' }
  | { state: 'done'; annotations: HostAnnotation[]; errors: DataQueryError[] }
  | { state: 'failed'; message: string };

const RANGE_HOURS = 6;
const COLUMN_WIDTHS = { Time: 190, 'End (regions)': 190, Title: 360 };

/**
 * Grafana's annotation query page: the data source's annotations.QueryEditor edits the annotation's target;
 * "Test annotation query" runs it through the data source's query() like a dashboard annotation layer and
 * lists the events it maps to.
 */
export function AnnotationsPage({ dataSource, initialTarget }: Props) {
  const support = dataSource.annotations;
  const prepare = support?.prepareAnnotation ?? ((json: AnnotationQuery<DataQuery>) => json);
  const [annotation, setAnnotation] = useState<AnnotationQuery<DataQuery>>(() =>
    prepare({
      name: 'Rollouts',
      enable: true,
      iconColor: 'purple',
      target: initialTarget,
    } as AnnotationQuery<DataQuery>)
  );
  const [result, setResult] = useState<Result>({ state: 'idle' });
  const QueryEditor = support?.QueryEditor;
  const target = annotation.target ?? initialTarget;

  const test = async () => {
    setResult({ state: 'running' });
    try {
      const response = await runQuery(dataSource, [{ ...target, refId: 'Anno' }], lastHours(RANGE_HOURS));
      setResult({ state: 'done', annotations: annotationsFromFrames(response.data), errors: response.errors ?? [] });
    } catch (error) {
      setResult({ state: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  };

  return (
    <HostFrame
      trail={['Home', 'Dashboards', 'Rollout activity', 'Settings', 'Annotations', annotation.name]}
      title="Annotation query"
      subtitle={`Data source: ${dataSource.name} · time range: last ${RANGE_HOURS} hours`}
    >
      <Stack direction="column" gap={2}>
        <Field label="Name">
          <Input
            value={annotation.name}
            width={40}
            onChange={(e) => setAnnotation({ ...annotation, name: e.currentTarget.value })}
          />
        </Field>
        <div data-testid="annotation-query-editor">
          {QueryEditor && (
            <QueryEditor
              datasource={dataSource}
              query={target}
              onChange={(next: DataQuery) => setAnnotation({ ...annotation, target: next })}
              onRunQuery={() => undefined}
              annotation={annotation}
              onAnnotationChange={setAnnotation}
            />
          )}
        </div>
        <div>
          <Button onClick={test} icon="sync" disabled={result.state === 'running'}>
            Test annotation query
          </Button>
        </div>
        <AnnotationResult result={result} />
      </Stack>
    </HostFrame>
  );
}

function AnnotationResult({ result }: { result: Result }) {
  if (result.state === 'failed') {
    return <Alert severity="error" title={result.message} data-testid="annotation-result" data-count="0" />;
  }
  if (result.state !== 'done') {
    return null;
  }
  const { annotations, errors } = result;
  const newestFirst = [...annotations].sort((a, b) => b.time - a.time);
  const frame = createDataFrame({
    fields: [
      { name: 'Time', type: FieldType.time, values: newestFirst.map((a) => a.time) },
      {
        name: 'End (regions)',
        type: FieldType.time,
        values: newestFirst.map((a) => (a.timeEnd !== a.time ? a.timeEnd : null)),
      },
      { name: 'Title', type: FieldType.string, values: newestFirst.map((a) => a.title ?? '') },
      { name: 'Tags', type: FieldType.string, values: newestFirst.map((a) => a.tags.join(', ')) },
    ],
  });
  return (
    <Stack direction="column" gap={1}>
      <Alert
        severity={errors.length > 0 ? 'error' : 'success'}
        title={`${annotations.length} events`}
        data-testid="annotation-result"
        data-count={annotations.length}
      >
        {errors.map((error) => error.message).join('; ')}
      </Alert>
      <ul data-testid="annotation-titles" hidden>
        {annotations.map((a, index) => (
          <li key={index}>{a.title}</li>
        ))}
      </ul>
      <FrameTable frame={frame} columnWidths={COLUMN_WIDTHS} width={1100} height={420} />
    </Stack>
  );
}
