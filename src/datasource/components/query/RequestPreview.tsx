import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Collapse, useStyles2 } from '@grafana/ui';

import { describeRequest, planRequests } from '../../query/plan';
import type { QueryType } from '../../types';

interface Props {
  queryType: QueryType;
  namespaces: string[];
  labelSelector: string;
  defaultNamespaces?: string[];
}

/**
 * The Kubernetes requests a query makes (each list is then kept current by a watch), with what RBAC must allow:
 * helps when a namespace is refused.
 */
export function RequestPreview({ queryType, namespaces, labelSelector, defaultNamespaces }: Props) {
  const [open, setOpen] = React.useState(false);
  const styles = useStyles2(getStyles);
  const lines = planRequests(queryType, { namespaces }, defaultNamespaces).map(describeRequest);
  const selector = labelSelector.trim();
  return (
    <Collapse label={`Kubernetes requests (${lines.length})`} isOpen={open} onToggle={() => setOpen(!open)}>
      <pre className={styles.pre} aria-label="Kubernetes requests">
        {lines.join('\n')}
        {selector ? `\nRollouts whose labels match ${selector} are kept, in the browser.` : ''}
      </pre>
    </Collapse>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  pre: css({ fontSize: theme.typography.bodySmall.fontSize, whiteSpace: 'pre-wrap', margin: 0 }),
});
