import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { ConfigSection } from '@grafana/plugin-ui';
import { ClipboardButton, Stack, useStyles2 } from '@grafana/ui';

import { buildProvisioningYaml } from '../../config/provisioning';
import type { SectionProps } from './sectionProps';

const getStyles = (theme: GrafanaTheme2) => ({
  code: css({
    fontFamily: theme.typography.fontFamilyMonospace,
    fontSize: theme.typography.bodySmall.fontSize,
    background: theme.colors.background.secondary,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    padding: theme.spacing(1, 2),
    margin: 0,
    overflowX: 'auto',
  }),
});

export function ProvisioningPreviewSection({ options }: Pick<SectionProps, 'options'>) {
  const styles = useStyles2(getStyles);
  const yaml = useMemo(() => buildProvisioningYaml(options), [options]);

  return (
    <ConfigSection
      title="Provisioning"
      description="A Grafana provisioning file for these settings. Secrets appear as environment variables of the Grafana server, never as values."
      isCollapsible
      isInitiallyOpen={false}
    >
      <Stack direction="column" gap={1} alignItems="flex-start">
        <pre className={styles.code} aria-label="Provisioning YAML">
          <code>{yaml}</code>
        </pre>
        <ClipboardButton icon="copy" variant="secondary" getText={() => yaml}>
          Copy YAML
        </ClipboardButton>
      </Stack>
    </ConfigSection>
  );
}
