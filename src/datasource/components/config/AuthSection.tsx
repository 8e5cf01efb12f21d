import React from 'react';
import { ConfigSection } from '@grafana/plugin-ui';
import { Field, RadioButtonGroup, SecretInput, SecretTextArea } from '@grafana/ui';

import { effectiveAuthMethod, withAuthMethod } from '../../config/authMethod';
import { isSecretConfigured, withSecret } from '../../config/settings';
import type { AuthMethod, SecureFieldName } from '../../types';
import type { SectionProps } from './sectionProps';

const AUTH_METHOD_OPTIONS: Array<{ label: string; value: AuthMethod; description: string }> = [
  { label: 'Bearer token', value: 'token', description: 'A ServiceAccount token, sent as Authorization: Bearer' },
  { label: 'Client certificate', value: 'clientCert', description: 'TLS client certificate and key (PEM)' },
  { label: 'None', value: 'none', description: 'Anonymous requests' },
];

export function AuthSection({ options, onOptionsChange }: SectionProps) {
  const method = effectiveAuthMethod(options);
  const secretProps = (key: SecureFieldName) => ({
    isConfigured: isSecretConfigured(options, key),
    value: options.secureJsonData?.[key] ?? '',
    onReset: () => onOptionsChange(withSecret(options, key, '')),
  });

  return (
    <ConfigSection
      title="Authentication"
      description="Secrets are stored encrypted by Grafana and only used by its data source proxy; they never come back to the browser."
    >
      <Field
        label="Authentication method"
        description="The proxy sends a saved token with every request, so choosing another method removes the saved token when you save (leave without saving to keep it)."
      >
        <RadioButtonGroup
          options={AUTH_METHOD_OPTIONS}
          value={method}
          onChange={(next) => onOptionsChange(withAuthMethod(options, next))}
        />
      </Field>
      {method === 'token' && (
        <Field
          label="Bearer token"
          description="Token of a read-only ServiceAccount: the deploy/ manifests in the README create one."
          required
        >
          <SecretInput
            id="rolloutlens-token"
            width={60}
            placeholder="ServiceAccount token"
            {...secretProps('token')}
            onChange={(event) => onOptionsChange(withSecret(options, 'token', event.currentTarget.value))}
          />
        </Field>
      )}
      {method === 'clientCert' && (
        <>
          <Field label="Client certificate" description="PEM, from client-certificate-data of a kubeconfig" required>
            <SecretTextArea
              id="rolloutlens-client-cert"
              rows={5}
              cols={60}
              placeholder="-----BEGIN CERTIFICATE-----"
              {...secretProps('tlsClientCert')}
              onChange={(event) => onOptionsChange(withSecret(options, 'tlsClientCert', event.currentTarget.value))}
            />
          </Field>
          <Field label="Client key" description="PEM, from client-key-data of a kubeconfig" required>
            <SecretTextArea
              id="rolloutlens-client-key"
              rows={5}
              cols={60}
              placeholder="-----BEGIN PRIVATE KEY-----"
              {...secretProps('tlsClientKey')}
              onChange={(event) => onOptionsChange(withSecret(options, 'tlsClientKey', event.currentTarget.value))}
            />
          </Field>
        </>
      )}
    </ConfigSection>
  );
}
