import React from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import type { DataSource } from '../../datasource';
import { QUERY_MODEL_VERSION, type RolloutLensQuery } from '../../types';
import { AnnotationQueryEditor } from './AnnotationQueryEditor';
import { QueryEditor } from './QueryEditor';

const datasource = { defaultNamespaces: ['shop'] } as unknown as DataSource;

describe('QueryEditor', () => {
  it('switches the query type and runs the query', async () => {
    const onChange = jest.fn();
    const onRunQuery = jest.fn();
    const query = Object.freeze({ refId: 'A', queryType: 'rollouts' }) as RolloutLensQuery;
    render(<QueryEditor query={query} onChange={onChange} onRunQuery={onRunQuery} datasource={datasource} />);
    await userEvent.click(screen.getByRole('radio', { name: 'Analysis runs' }));
    expect(onChange).toHaveBeenCalledWith(
      expect.objectContaining({ refId: 'A', queryType: 'analysisRuns', version: QUERY_MODEL_VERSION })
    );
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('picks what a series query draws', async () => {
    const onChange = jest.fn();
    const onRunQuery = jest.fn();
    const query = Object.freeze({ refId: 'A', queryType: 'series' }) as RolloutLensQuery;
    render(<QueryEditor query={query} onChange={onChange} onRunQuery={onRunQuery} datasource={datasource} />);
    expect(screen.getByRole('radio', { name: 'Canary weight' })).toBeChecked();
    await userEvent.click(screen.getByRole('radio', { name: 'Rollouts in progress' }));
    expect(onChange).toHaveBeenCalledWith(
      expect.objectContaining({ queryType: 'series', metric: 'rolloutsInProgress' })
    );
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('explains the status query, which makes no Kubernetes request', async () => {
    render(
      <QueryEditor
        query={{ refId: 'A', queryType: 'status' }}
        onChange={jest.fn()}
        onRunQuery={jest.fn()}
        datasource={datasource}
      />
    );
    expect(screen.getByText(/Annotation\s+layers cannot show these themselves/)).toBeInTheDocument();
    expect(screen.getByText('Kubernetes requests (0)')).toBeInTheDocument();
  });

  it('shows an invalid label selector as a field error without saving it', async () => {
    const onChange = jest.fn();
    render(
      <QueryEditor
        query={{ refId: 'A', queryType: 'rollouts' }}
        onChange={onChange}
        onRunQuery={jest.fn()}
        datasource={datasource}
      />
    );
    const input = screen.getByPlaceholderText('app.kubernetes.io/part-of=shop');
    await userEvent.type(input, 'team in ()');
    expect(await screen.findByText(/at least one value/)).toBeInTheDocument();
  });

  it('previews the Kubernetes requests with the default namespaces', async () => {
    render(
      <QueryEditor
        query={{ refId: 'A', queryType: 'events' }}
        onChange={jest.fn()}
        onRunQuery={jest.fn()}
        datasource={datasource}
      />
    );
    await userEvent.click(screen.getByText('Kubernetes requests (4)'));
    const preview = screen.getByLabelText('Kubernetes requests');
    expect(preview.textContent).toContain('GET /apis/argoproj.io/v1alpha1/namespaces/shop/rollouts');
    expect(preview.textContent).toContain('GET /api/v1/namespaces/shop/events');
  });

  it('does not change anything on mount', () => {
    const onChange = jest.fn();
    render(
      <QueryEditor
        query={{ refId: 'A' } as RolloutLensQuery}
        onChange={onChange}
        onRunQuery={jest.fn()}
        datasource={datasource}
      />
    );
    expect(onChange).not.toHaveBeenCalled();
  });
});

describe('AnnotationQueryEditor', () => {
  // Grafana's Combobox measures option labels on a canvas, which jsdom does not implement.
  beforeAll(() => {
    HTMLCanvasElement.prototype.getContext = (() => ({
      measureText: (text: string) => ({ width: text.length * 7 }),
    })) as unknown as typeof HTMLCanvasElement.prototype.getContext;
  });

  // Grafana passes a new annotation query as the data source's default query (of the current model version).
  const newQuery = { refId: 'Anno', queryType: 'rollouts', version: QUERY_MODEL_VERSION } as RolloutLensQuery;

  it('shows the defaults of a new annotation query without saving them: significant detail, every category', () => {
    const onChange = jest.fn();
    render(
      <AnnotationQueryEditor query={newQuery} onChange={onChange} onRunQuery={jest.fn()} datasource={datasource} />
    );
    expect(screen.getByRole('radio', { name: 'Significant' })).toBeChecked();
    expect(screen.getByRole('radio', { name: 'All entries' })).not.toBeChecked();
    expect(screen.getByPlaceholderText('Every category')).toBeInTheDocument();
    expect(screen.queryByText('Lifecycle')).not.toBeInTheDocument();
    expect(onChange).not.toHaveBeenCalled();
  });

  it('shows the full set one click away: the detail level all', async () => {
    const onChange = jest.fn();
    render(
      <AnnotationQueryEditor query={newQuery} onChange={onChange} onRunQuery={jest.fn()} datasource={datasource} />
    );
    await userEvent.click(screen.getByRole('radio', { name: 'All entries' }));
    expect(onChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ queryType: 'annotations', detail: 'all', categories: [] })
    );
  });

  it('shows what an annotation query saved before the detail level existed keeps showing', () => {
    const onChange = jest.fn();
    render(
      <AnnotationQueryEditor
        query={{ refId: 'Anno', queryType: 'annotations', version: 1 } as RolloutLensQuery}
        onChange={onChange}
        onRunQuery={jest.fn()}
        datasource={datasource}
      />
    );
    expect(screen.getByRole('radio', { name: 'All entries' })).toBeChecked();
    expect(screen.getByText('Lifecycle')).toBeInTheDocument();
    expect(screen.queryByText('Traffic')).not.toBeInTheDocument();
    expect(onChange).not.toHaveBeenCalled();
  });

  it('sets the annotation limit', async () => {
    const onChange = jest.fn();
    render(
      <AnnotationQueryEditor
        query={{ refId: 'Anno', queryType: 'annotations' }}
        onChange={onChange}
        onRunQuery={jest.fn()}
        datasource={datasource}
      />
    );
    await userEvent.type(screen.getByPlaceholderText('500'), '7');
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ queryType: 'annotations', limit: 7 }));
  });
});
