import React from 'react';
import fs from 'fs';
import path from 'path';
import { render, screen } from '@testing-library/react';

import { HomePage } from './HomePage';

jest.mock('@grafana/runtime', () => ({
  PluginPage: ({ children }: { children: React.ReactNode }) => <div>{children}</div>,
}));

const bundled = (file: string) =>
  JSON.parse(fs.readFileSync(path.resolve(__dirname, '../dashboards', file), 'utf8')) as { uid: string; title: string };

describe('HomePage', () => {
  it('links to each bundled dashboard by the uid its JSON file carries', () => {
    render(<HomePage />);
    for (const file of ['overview.json', 'rollout-detail.json']) {
      const dashboard = bundled(file);
      expect(screen.getByRole('link', { name: dashboard.title })).toHaveAttribute('href', `/d/${dashboard.uid}`);
    }
    expect(screen.getByRole('link', { name: /Import dashboards/ })).toHaveAttribute(
      'href',
      '/plugins/rolloutlens-argorollouts-app?page=dashboards'
    );
  });

  it('offers to add a data source of this plugin', () => {
    render(<HomePage />);
    expect(screen.getByRole('link', { name: /Add data source/ })).toHaveAttribute(
      'href',
      '/connections/datasources/new/rolloutlens-argorollouts-datasource'
    );
  });
});
