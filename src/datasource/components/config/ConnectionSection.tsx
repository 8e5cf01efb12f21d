import React, { useState } from 'react';
import { ConfigSection } from '@grafana/plugin-ui';
import { Alert, Field, Input, TagsInput } from '@grafana/ui';

import { apiServerUrlProblem, normalizeApiServerUrl } from '../../config/apiServerUrl';
import { effectiveAuthMethod } from '../../config/authMethod';
import { cleanNamespaceList, namespacesProblem } from '../../config/namespaces';
import { withJsonData } from '../../config/settings';
import type { SectionProps } from './sectionProps';

export function ConnectionSection({ options, onOptionsChange }: SectionProps) {
  const { jsonData } = options;
  const apiServerUrl = jsonData.apiServerUrl ?? '';
  const namespaces = jsonData.defaultNamespaces ?? [];
  // An empty URL is only reported once the user has left the field, not on a fresh form.
  const [urlTouched, setUrlTouched] = useState(false);
  const urlProblem = apiServerUrl.trim() === '' && !urlTouched ? undefined : apiServerUrlProblem(apiServerUrl);
  const namespaceProblem = namespacesProblem(namespaces);
  const tokenOverPlainHttp =
    /^http:\/\//i.test(apiServerUrl.trim()) && effectiveAuthMethod(options) === 'token' && urlProblem === undefined;

  const onUrlBlur = () => {
    setUrlTouched(true);
    const normalized = normalizeApiServerUrl(apiServerUrl);
    if (normalized !== apiServerUrl) {
      onOptionsChange(withJsonData(options, { apiServerUrl: normalized }));
    }
  };

  return (
    <ConfigSection title="Connection" description="The Kubernetes API server of the cluster this data source reads.">
      <Field
        label="API server URL"
        description="Scheme, host and port only: Kubernetes API paths are appended to it."
        required
        invalid={urlProblem !== undefined}
        error={urlProblem}
      >
        <Input
          id="rolloutlens-api-server-url"
          width={60}
          value={apiServerUrl}
          placeholder="https://kubernetes.example.com:6443"
          onChange={(event) => onOptionsChange(withJsonData(options, { apiServerUrl: event.currentTarget.value }))}
          onBlur={onUrlBlur}
        />
      </Field>
      {tokenOverPlainHttp && (
        <Alert severity="warning" title="The token travels unencrypted">
          With http:// the bearer token is sent in clear text to the API server. Use https:// unless Grafana and the API
          server talk over a trusted local link.
        </Alert>
      )}
      <Field
        label="Cluster display name"
        description="Added as the cluster tag to every annotation and row, so dashboards can tell clusters apart."
      >
        <Input
          id="rolloutlens-cluster-name"
          width={40}
          value={jsonData.clusterName ?? ''}
          placeholder="e.g. prod-eu-1"
          onChange={(event) => onOptionsChange(withJsonData(options, { clusterName: event.currentTarget.value }))}
        />
      </Field>
      <Field
        label="Default namespaces"
        description="Read when a query names no namespace. Leave empty for all namespaces the identity can list."
        invalid={namespaceProblem !== undefined}
        error={namespaceProblem}
      >
        <TagsInput
          id="rolloutlens-default-namespaces"
          width={60}
          tags={namespaces}
          placeholder="Namespace (Enter to add)"
          addOnBlur
          invalid={namespaceProblem !== undefined}
          onChange={(tags) => onOptionsChange(withJsonData(options, { defaultNamespaces: cleanNamespaceList(tags) }))}
        />
      </Field>
    </ConfigSection>
  );
}
