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

/** The Kubernetes requests a query makes, with what RBAC must allow: helps when a namespace is refused. */
export function RequestPreview({ queryType, namespaces, labelSelector, defaultNamespaces }: Props) {
  const [open, setOpen] = React.useState(false);
  const styles = useStyles2(getStyles);
  const lines = planRequests(queryType, { namespaces, labelSelector }, defaultNamespaces).map(describeRequest);
  return (
    <Collapse label={`Kubernetes requests (${lines.length})`} isOpen={open} onToggle={() => setOpen(!open)}>
      <pre className={styles.pre} aria-label="Kubernetes requests">
        {lines.join('\n')}
      </pre>
    </Collapse>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  pre: css({ fontSize: theme.typography.bodySmall.fontSize, whiteSpace: 'pre-wrap', margin: 0 }),
});
