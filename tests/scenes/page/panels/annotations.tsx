// Annotations on the time series panel, drawn the way Grafana's time series panel draws them
// (public/app/plugins/panel/timeseries/plugins/AnnotationsPlugin2.tsx, annotations2/AnnotationMarker2.tsx and
// AnnotationTooltip2.tsx; core code, not on npm):
// - on the plot canvas, a dashed vertical line (2 px, dash 5/5) at each annotation's time and, for a region, at its
//   end, with the region filled in its colour at 10 % opacity;
// - under the x axis, a 5 px triangle for a point and a 5 px bar for a region (clamped to the plot, at least 5 px
//   wide and centred when shorter: utils.ts `getAnnoRegionBoxStyle`), in its colour;
// - hovering a marker shows a tooltip below it, in the page's portal: the time ("start - end" for a region), then the title and the text joined by
//   `<br />` and sanitized with @grafana/data's textUtil.sanitize (DOMPurify), then the tags.
// The colour of each annotation is the one its layer set (`color`, from the layer's iconColor), resolved again
// through the theme's getColorByName, as the panel does.
import React, { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { css } from '@emotion/css';
import {
  colorManipulator,
  type DataFrame,
  dateTimeFormat,
  type GrafanaTheme2,
  systemDateFormats,
  textUtil,
} from '@grafana/data';
import {
  DEFAULT_ANNOTATION_COLOR,
  getPortalContainer,
  Tag,
  type UPlotConfigBuilder,
  useStyles2,
  useTheme2,
} from '@grafana/ui';
import type uPlot from 'uplot';

type Values = Record<string, unknown[] | undefined>;

/** utils.ts `getXAnnotationFrames`: annotation frames with rows and a time field. */
function annotationFrames(frames: DataFrame[]): DataFrame[] {
  return frames.filter(
    (frame) =>
      frame.name !== 'exemplar' &&
      frame.name !== 'xymark' &&
      frame.length > 0 &&
      frame.fields.some((f) => f.type === 'time')
  );
}

function valuesOf(frame: DataFrame): Values {
  return Object.fromEntries(frame.fields.map((field) => [field.name, field.values]));
}

const num = (value: unknown) => Number(value);

/** utils.ts: regions narrower than this are drawn this wide, centred on where they are. */
const ANNOTATION_REGION_MIN_WIDTH = 5;

/** utils.ts `getAnnoRegionBoxStyle`. */
function regionBoxStyle(plotWidth: number, right: number, left: number) {
  const clampedRight = Math.min(plotWidth, right);
  const clampedLeft = Math.max(0, left);
  const width = clampedRight - clampedLeft;
  const tooSmall = width < ANNOTATION_REGION_MIN_WIDTH;
  const adjustedLeft = tooSmall ? clampedLeft - (ANNOTATION_REGION_MIN_WIDTH - width) / 2 : clampedLeft;
  return { left: Math.max(0, adjustedLeft), width, minWidth: tooSmall ? ANNOTATION_REGION_MIN_WIDTH : undefined };
}

function renderLine(ctx: CanvasRenderingContext2D, y0: number, y1: number, x: number, color: string) {
  ctx.beginPath();
  ctx.moveTo(x, y0);
  ctx.lineTo(x, y1);
  ctx.strokeStyle = color;
  ctx.stroke();
}

interface Props {
  config: UPlotConfigBuilder;
  annotations: DataFrame[];
  timeZone: string;
}

export function AnnotationsPlugin({ config, annotations, timeZone }: Props) {
  // The plot and its x axis, where the markers go, once uPlot is ready.
  const [target, setTarget] = useState<{ plot: uPlot; xAxis: HTMLDivElement | null }>();
  const [, setRedraws] = useState(0);
  const styles = useStyles2(getStyles);
  const getColorByName = useTheme2().visualization.getColorByName;
  const frames = useMemo(() => annotationFrames(annotations), [annotations]);
  // Read by uPlot's draw hook, which is registered once.
  const framesRef = useRef(frames);
  useLayoutEffect(() => {
    framesRef.current = frames;
  }, [frames]);

  useLayoutEffect(() => {
    config.addHook('ready', (u) => setTarget({ plot: u, xAxis: u.root.querySelector<HTMLDivElement>('.u-axis') }));
    config.addHook('draw', (u) => {
      const ctx = u.ctx;
      ctx.save();
      ctx.beginPath();
      ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
      ctx.clip();
      const y0 = u.bbox.top;
      const y1 = y0 + u.bbox.height;
      ctx.lineWidth = 2;
      ctx.setLineDash([5, 5]);
      for (const frame of framesRef.current) {
        const vals = valuesOf(frame);
        for (let i = 0; i < frame.length; i++) {
          const color = getColorByName(String(vals.color?.[i] ?? DEFAULT_ANNOTATION_COLOR));
          const x0 = u.valToPos(num(vals.time?.[i]), 'x', true);
          renderLine(ctx, y0, y1, x0, color);
          if (vals.isRegion?.[i] && vals.timeEnd?.[i]) {
            const x1 = u.valToPos(num(vals.timeEnd[i]), 'x', true);
            renderLine(ctx, y0, y1, x1, color);
            ctx.fillStyle = colorManipulator.alpha(color, 0.1);
            ctx.fillRect(x0, y0, x1 - x0, u.bbox.height);
          }
        }
      }
      ctx.restore();
    });
  }, [config, getColorByName]);

  // Redrawn when the annotations change; the markers follow once uPlot has its new scales.
  useLayoutEffect(() => {
    if (target) {
      target.plot.redraw();
      setTimeout(() => setRedraws((n) => n + 1), 0);
    }
  }, [frames, target]);

  if (!target?.xAxis) {
    return null;
  }
  const { plot, xAxis } = target;
  const markers = frames.flatMap((frame, frameIdx) => {
    const vals = valuesOf(frame);
    return Array.from({ length: frame.length }, (_, i) => {
      const color = getColorByName(String(vals.color?.[i] ?? DEFAULT_ANNOTATION_COLOR));
      const left = Math.round(plot.valToPos(num(vals.time?.[i]), 'x')) || 0;
      const isRegion = Boolean(vals.isRegion?.[i]);
      let style: React.CSSProperties;
      if (isRegion) {
        const right = Math.round(plot.valToPos(num(vals.timeEnd?.[i]), 'x')) || 0;
        if (!(left < plot.rect.width && right > 0)) {
          return null;
        }
        style = { ...regionBoxStyle(plot.rect.width, right, left), background: color };
      } else {
        if (left < 0 || left > plot.rect.width) {
          return null;
        }
        style = { left, borderBottomColor: color };
      }
      return (
        <AnnotationMarker
          key={`${frameIdx}:${i}`}
          vals={vals}
          index={i}
          color={color}
          className={isRegion ? styles.region : styles.marker}
          style={style}
          timeZone={timeZone}
        />
      );
    });
  });
  return createPortal(markers, xAxis);
}

interface MarkerProps {
  vals: Values;
  index: number;
  color: string;
  className: string;
  style: React.CSSProperties;
  timeZone: string;
}

function AnnotationMarker({ vals, index, color, className, style, timeZone }: MarkerProps) {
  // Where the marker is while the pointer is on it: the tooltip opens below it, above the page (in Grafana's portal).
  const [anchor, setAnchor] = useState<DOMRect>();
  const styles = useStyles2(getStyles);
  return (
    <div
      className={className}
      style={style}
      data-testid="annotation-marker"
      data-kind={vals.isRegion?.[index] ? 'region' : 'point'}
      data-color={color}
      data-id={String(vals.id?.[index] ?? '')}
      data-title={String(vals.title?.[index] ?? '')}
      onMouseEnter={(event) => setAnchor(event.currentTarget.getBoundingClientRect())}
      onMouseLeave={() => setAnchor(undefined)}
    >
      {anchor &&
        createPortal(
          <div className={styles.info} style={{ top: anchor.bottom + 5, left: anchor.left + anchor.width / 2 }}>
            <AnnotationTooltip vals={vals} index={index} timeZone={timeZone} />
          </div>,
          getPortalContainer()
        )}
    </div>
  );
}

function AnnotationTooltip({ vals, index, timeZone }: { vals: Values; index: number; timeZone: string }) {
  const styles = useStyles2(getStyles);
  const format = (value: unknown) => dateTimeFormat(num(value), { format: systemDateFormats.fullDate, timeZone });
  let time = format(vals.time?.[index]);
  if (vals.isRegion?.[index]) {
    time += ' - ' + format(vals.timeEnd?.[index]);
  }
  let text = vals.text?.[index];
  const title = vals.title?.[index];
  if (title) {
    text = String(title) + '<br />' + (typeof text === 'string' ? text : '');
  }
  const tags = (vals.tags?.[index] as string[] | undefined) ?? [];
  return (
    <div className={styles.tooltip} data-testid="annotation-tooltip">
      <div className={styles.header}>{time}</div>
      <div className={styles.body}>
        {typeof text === 'string' && text !== '' && (
          <div className={styles.text} dangerouslySetInnerHTML={{ __html: textUtil.sanitize(text) }} />
        )}
        <div className={styles.tags}>
          {tags.map((tag, i) => (
            <Tag name={tag} key={`${tag}-${i}`} />
          ))}
        </div>
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  marker: css({
    position: 'absolute',
    width: 0,
    height: 0,
    borderLeft: '5px solid transparent',
    borderRight: '5px solid transparent',
    borderBottomWidth: '5px',
    borderBottomStyle: 'solid',
    transform: 'translateX(-50%)',
    cursor: 'pointer',
    zIndex: 1,
  }),
  region: css({ position: 'absolute', height: '5px', cursor: 'pointer', zIndex: 1 }),
  info: css({
    background: theme.colors.background.secondary,
    minWidth: '300px',
    maxWidth: '600px',
    position: 'fixed',
    transform: 'translateX(-50%)',
    zIndex: theme.zIndex.tooltip,
  }),
  tooltip: css({
    zIndex: theme.zIndex.tooltip,
    whiteSpace: 'initial',
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.primary,
    border: `1px solid ${theme.colors.border.weak}`,
    boxShadow: theme.shadows.z2,
    userSelect: 'text',
  }),
  header: css({
    padding: theme.spacing(0.5, 1),
    borderBottom: `1px solid ${theme.colors.border.weak}`,
    fontSize: theme.typography.fontSize,
    color: theme.colors.text.primary,
  }),
  body: css({
    padding: theme.spacing(1),
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.secondary,
    a: { color: theme.colors.text.link },
  }),
  text: css({ paddingBottom: theme.spacing(1) }),
  tags: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5) }),
});
