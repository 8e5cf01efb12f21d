import React from 'react';
import type { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { DataSourceDescription } from '@grafana/plugin-ui';
import { config } from '@grafana/runtime';
import { Divider } from '@grafana/ui';

import { APP_ID } from '../../../constants';
import type { RolloutLensJsonData, RolloutLensSecureJsonData } from '../../types';
import { AuthSection } from './AuthSection';
import { ConnectionSection } from './ConnectionSection';
import { KubeconfigImportSection } from './KubeconfigImportSection';
import { LinksSection } from './LinksSection';
import { ProvisioningPreviewSection } from './ProvisioningPreviewSection';
import { TagMappingSection } from './TagMappingSection';
import { TimeoutsSection } from './TimeoutsSection';
import { TlsSection } from './TlsSection';

type Props = DataSourcePluginOptionsEditorProps<RolloutLensJsonData, RolloutLensSecureJsonData>;

export function ConfigEditor({ options, onOptionsChange }: Props) {
  // The app's plugin page shows the README, which explains setup and RBAC.
  const docsLink = `${config.appSubUrl ?? ''}/plugins/${APP_ID}`;
  return (
    <>
      <DataSourceDescription dataSourceName="Argo Rollouts" docsLink={docsLink} hasRequiredFields />
      <Divider />
      <KubeconfigImportSection options={options} onOptionsChange={onOptionsChange} />
      <Divider />
      <ConnectionSection options={options} onOptionsChange={onOptionsChange} />
      <Divider />
      <AuthSection options={options} onOptionsChange={onOptionsChange} />
      <Divider />
      <TlsSection options={options} onOptionsChange={onOptionsChange} />
      <Divider />
      <TimeoutsSection options={options} onOptionsChange={onOptionsChange} />
      <Divider />
      <TagMappingSection options={options} onOptionsChange={onOptionsChange} />
      <Divider />
      <LinksSection options={options} onOptionsChange={onOptionsChange} />
      <Divider />
      <ProvisioningPreviewSection options={options} />
    </>
  );
}
