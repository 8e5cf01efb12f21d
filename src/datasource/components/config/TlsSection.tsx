import React from 'react';
import { ConfigSection } from '@grafana/plugin-ui';
import { Alert, Field, Input, RadioButtonGroup, SecretTextArea, Switch } from '@grafana/ui';

import { isSecretConfigured, withJsonData, withSecret } from '../../config/settings';
import type { SectionProps } from './sectionProps';

type CaSource = 'system' | 'custom';

const CA_SOURCE_OPTIONS: Array<{ label: string; value: CaSource }> = [
  { label: 'System CAs', value: 'system' },
  { label: 'Cluster CA certificate', value: 'custom' },
];

export function TlsSection({ options, onOptionsChange }: SectionProps) {
  const { jsonData } = options;
  const caSource: CaSource = jsonData.tlsAuthWithCACert === true ? 'custom' : 'system';

  return (
    <ConfigSection title="TLS" description="How Grafana checks the API server's certificate.">
      <Field
        label="Certificate authority"
        description="Most clusters sign their API server certificate with their own CA: paste it (certificate-authority-data of a kubeconfig, or ca.crt of a ServiceAccount token Secret)."
      >
        <RadioButtonGroup
          options={CA_SOURCE_OPTIONS}
          value={caSource}
          onChange={(next) => onOptionsChange(withJsonData(options, { tlsAuthWithCACert: next === 'custom' }))}
        />
      </Field>
      {caSource === 'custom' && (
        <Field label="CA certificate" description="PEM; it replaces the system CAs for this data source" required>
          <SecretTextArea
            id="rolloutlens-ca-cert"
            rows={5}
            cols={60}
            placeholder="-----BEGIN CERTIFICATE-----"
            isConfigured={isSecretConfigured(options, 'tlsCACert')}
            value={options.secureJsonData?.tlsCACert ?? ''}
            onReset={() => onOptionsChange(withSecret(options, 'tlsCACert', ''))}
            onChange={(event) => onOptionsChange(withSecret(options, 'tlsCACert', event.currentTarget.value))}
          />
        </Field>
      )}
      <Field label="Skip TLS certificate verification" description="Accept any certificate the API server presents.">
        <Switch
          id="rolloutlens-tls-skip-verify"
          value={jsonData.tlsSkipVerify === true}
          onChange={(event) => onOptionsChange(withJsonData(options, { tlsSkipVerify: event.currentTarget.checked }))}
        />
      </Field>
      {jsonData.tlsSkipVerify === true && (
        <Alert severity="warning" title="TLS certificate verification is off">
          Anyone on the network path between Grafana and the API server can impersonate the server and read the
          credentials. Paste the cluster CA certificate instead.
        </Alert>
      )}
      <Field
        label="TLS server name"
        description="Name to expect in the server certificate when it differs from the host of the URL (tls-server-name in a kubeconfig)."
      >
        <Input
          id="rolloutlens-tls-server-name"
          width={40}
          value={jsonData.serverName ?? ''}
          placeholder="kubernetes.default.svc"
          onChange={(event) => onOptionsChange(withJsonData(options, { serverName: event.currentTarget.value }))}
        />
      </Field>
    </ConfigSection>
  );
}
