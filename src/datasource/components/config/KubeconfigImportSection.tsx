import React, { useMemo, useState } from 'react';
import { ConfigSection } from '@grafana/plugin-ui';
import { Alert, Button, Field, Select, Stack, TextArea } from '@grafana/ui';

import { applyImportedConnection } from '../../config/applyImportedConnection';
import { defaultContextName, importKubeconfigContext, parseKubeconfig } from '../../config/kubeconfig';
import type { SectionProps } from './sectionProps';

type ImportOutcome =
  { kind: 'imported'; contextName: string; notes: string[] } | { kind: 'failed'; problems: string[] };

/**
 * The pasted kubeconfig lives only in this component's state: it is never written to the settings,
 * and it is cleared once imported.
 */
export function KubeconfigImportSection({ options, onOptionsChange }: SectionProps) {
  const [text, setText] = useState('');
  const [chosenContext, setChosenContext] = useState<string>();
  const [outcome, setOutcome] = useState<ImportOutcome>();

  const parsed = useMemo(() => (text.trim() === '' ? undefined : parseKubeconfig(text)), [text]);
  const kubeconfig = parsed?.ok ? parsed.kubeconfig : undefined;
  const contextName =
    kubeconfig === undefined
      ? undefined
      : kubeconfig.contexts.some((context) => context.name === chosenContext)
        ? chosenContext
        : defaultContextName(kubeconfig);

  const onImport = () => {
    if (kubeconfig === undefined || contextName === undefined) {
      return;
    }
    const result = importKubeconfigContext(kubeconfig, contextName);
    if (!result.ok) {
      setOutcome({ kind: 'failed', problems: result.problems });
      return;
    }
    onOptionsChange(applyImportedConnection(options, result.connection));
    setText('');
    setChosenContext(undefined);
    setOutcome({ kind: 'imported', contextName, notes: result.connection.notes });
  };

  return (
    <ConfigSection
      title="Import from kubeconfig"
      description="Fills in the API server URL, cluster name, TLS settings and credentials below from one context, replacing what is there."
      isCollapsible
      isInitiallyOpen={(options.jsonData.apiServerUrl ?? '') === ''}
    >
      <Field
        label="Kubeconfig"
        description="Paste the output of `kubectl config view --raw --minify --flatten`. It stays in this browser tab and is never saved; only the imported settings are."
        invalid={parsed !== undefined && !parsed.ok}
        error={parsed !== undefined && !parsed.ok ? parsed.message : undefined}
      >
        <TextArea
          id="rolloutlens-kubeconfig"
          rows={8}
          spellCheck={false}
          autoComplete="off"
          placeholder={'apiVersion: v1\nkind: Config\nclusters: …'}
          value={text}
          onChange={(event) => {
            setText(event.currentTarget.value);
            setOutcome(undefined);
          }}
        />
      </Field>
      {kubeconfig !== undefined && (
        <Field label="Context">
          {/* Combobox, Select's successor, is still marked alpha in @grafana/ui 12.4. */}
          {/* eslint-disable-next-line @typescript-eslint/no-deprecated */}
          <Select
            inputId="rolloutlens-kubeconfig-context"
            width={60}
            options={kubeconfig.contexts.map((context) => ({
              label: context.name,
              value: context.name,
              description: `cluster ${context.cluster ?? '(none)'}, user ${context.user ?? '(none)'}`,
            }))}
            value={contextName}
            onChange={(selected) => {
              setChosenContext(selected.value);
              setOutcome(undefined);
            }}
          />
        </Field>
      )}
      <Stack direction="column" gap={2}>
        <div>
          <Button variant="secondary" icon="import" disabled={kubeconfig === undefined} onClick={onImport}>
            Import
          </Button>
        </div>
        {outcome?.kind === 'failed' && (
          <Alert severity="error" title="Nothing was imported">
            <ul>
              {outcome.problems.map((problem) => (
                <li key={problem}>{problem}</li>
              ))}
            </ul>
          </Alert>
        )}
        {outcome?.kind === 'imported' && (
          <Alert severity="success" title={`Imported context "${outcome.contextName}"`}>
            Check the settings below, then save and test.
            {outcome.notes.length > 0 && (
              <ul>
                {outcome.notes.map((note) => (
                  <li key={note}>{note}</li>
                ))}
              </ul>
            )}
          </Alert>
        )}
      </Stack>
    </ConfigSection>
  );
}
