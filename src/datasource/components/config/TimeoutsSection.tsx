import React from 'react';
import { ConfigSection } from '@grafana/plugin-ui';
import { Field, Input } from '@grafana/ui';

import { withJsonData } from '../../config/settings';
import {
  effectiveTimeouts,
  GRAFANA_PROXY_TIMEOUT_SECONDS,
  timeoutProblems,
  type TimeoutProblems,
} from '../../config/timeouts';
import { DEFAULT_QUERY_DEADLINE_SECONDS, DEFAULT_REQUEST_TIMEOUT_SECONDS } from '../../kube/deadline';
import type { RolloutLensJsonData } from '../../types';
import type { SectionProps } from './sectionProps';

/** A typed number is stored as a number; an empty field removes the setting, so that its default applies. */
function secondsFromInput(text: string): number | undefined {
  return text.trim() === '' ? undefined : Number(text);
}

interface TimeField {
  key: keyof TimeoutProblems & keyof RolloutLensJsonData;
  label: string;
  description: string;
  placeholder: number;
}

/**
 * How long requests and queries may take. The request timeout and the query deadline are the plugin's own;
 * `timeout` is Grafana's data source proxy setting, shown here because the request timeout must stay below it.
 */
export function TimeoutsSection({ options, onOptionsChange }: SectionProps) {
  const problems = timeoutProblems(options.jsonData);
  const { proxyTimeoutSeconds } = effectiveTimeouts(options.jsonData);
  const fields: TimeField[] = [
    {
      key: 'requestTimeoutSeconds',
      label: 'Request timeout',
      description: `Seconds one request to the API server may take before it is given up; reads are then retried. Default ${DEFAULT_REQUEST_TIMEOUT_SECONDS}.`,
      placeholder: DEFAULT_REQUEST_TIMEOUT_SECONDS,
    },
    {
      key: 'queryDeadlineSeconds',
      label: 'Query deadline',
      description: `Seconds a whole query may take, retries included; then the panel shows what failed. Default ${DEFAULT_QUERY_DEADLINE_SECONDS}.`,
      placeholder: DEFAULT_QUERY_DEADLINE_SECONDS,
    },
    {
      key: 'timeout',
      label: 'Timeout',
      description: `Grafana's data source proxy: seconds it waits for the API server's answer before it replies 504 (${GRAFANA_PROXY_TIMEOUT_SECONDS} unless set). Keep it above the request timeout.`,
      placeholder: proxyTimeoutSeconds,
    },
  ];
  return (
    <ConfigSection
      title="Time limits"
      description="How long the plugin waits for the Kubernetes API server before it retries, and before a panel gives up."
    >
      {fields.map(({ key, label, description, placeholder }) => (
        <Field
          key={key}
          label={label}
          description={description}
          invalid={problems[key] !== undefined}
          error={problems[key]}
        >
          <Input
            id={`rolloutlens-${key}`}
            type="number"
            min={1}
            width={16}
            suffix="s"
            value={options.jsonData[key] ?? ''}
            placeholder={String(placeholder)}
            onChange={(event) =>
              onOptionsChange(withJsonData(options, { [key]: secondsFromInput(event.currentTarget.value) }))
            }
          />
        </Field>
      ))}
    </ConfigSection>
  );
}
