import React, { type ReactNode } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Icon, Stack, Text, useStyles2 } from '@grafana/ui';

interface Props {
  /** Breadcrumb trail shown in the top bar, last item is the page. */
  trail: string[];
  title: string;
  subtitle?: string;
  children: ReactNode;
}

/** Page chrome resembling Grafana's: top bar with breadcrumbs, page header, content on a canvas. */
export function HostFrame({ trail, title, subtitle, children }: Props) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.page}>
      <header className={styles.topBar}>
        <Icon name="apps" size="lg" />
        <Stack direction="row" gap={1} alignItems="center">
          {trail.map((item, index) => (
            <React.Fragment key={item}>
              {index > 0 && <Icon name="angle-right" />}
              <Text color={index === trail.length - 1 ? 'primary' : 'secondary'}>{item}</Text>
            </React.Fragment>
          ))}
        </Stack>
        <span className={styles.badge}>browser harness · Grafana API: stand-in</span>
      </header>
      <main className={styles.content}>
        <Stack direction="column" gap={1}>
          <Text element="h1" variant="h2">
            {title}
          </Text>
          {subtitle && <Text color="secondary">{subtitle}</Text>}
        </Stack>
        <div className={styles.body}>{children}</div>
      </main>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({
    minHeight: '100vh',
    background: theme.colors.background.canvas,
  }),
  topBar: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(2),
    height: 48,
    padding: theme.spacing(0, 2),
    background: theme.colors.background.primary,
    borderBottom: `1px solid ${theme.colors.border.weak}`,
  }),
  badge: css({
    marginLeft: 'auto',
    padding: theme.spacing(0.25, 1),
    borderRadius: theme.shape.radius.pill,
    border: `1px solid ${theme.colors.border.medium}`,
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  content: css({
    padding: theme.spacing(3, 4),
    maxWidth: 1200,
  }),
  body: css({
    marginTop: theme.spacing(3),
  }),
});
