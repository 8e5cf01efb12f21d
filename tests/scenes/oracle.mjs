// What the scenes checks expect, computed from what the data source answered, by Grafana's rules (read from
// @grafana/scenes' AnnotationsDataLayer, standardAnnotationsSupport and annotations/utils): pure functions over
// the JSON the page reports (tests/scenes/page/harnessApi.ts `FrameJson`).

/** The rows of frames as objects keyed by field name. */
export function rowsOf(frames) {
  return frames.flatMap((frame) =>
    Array.from({ length: frame.length }, (_, row) =>
      Object.fromEntries(frame.fields.map((field) => [field.name, field.values[row]]))
    )
  );
}

/** A field's values by its name or display name, case-insensitive, across frames. */
export function columnOf(frames, name) {
  const wanted = name.toLowerCase();
  return frames.flatMap((frame) => {
    const field = frame.fields.find((f) => f.name.toLowerCase() === wanted || f.displayName?.toLowerCase() === wanted);
    return field ? field.values : [];
  });
}

const asTags = (tags) => (typeof tags === 'string' ? tags.split(',') : (tags ?? []));

/**
 * The annotations an AnnotationsDataLayer must emit for the frames the data source returned: fields matched by
 * lower-cased name (time, timeEnd, title, text, tags split on `,` when a string, id), repeats of an id removed
 * (the first kept), every colour the layer's iconColor (`color`, already resolved), `isRegion` when timeEnd is set
 * and differs from time.
 */
export function expectedLayerAnnotations(responseFrames, color) {
  const byId = new Map();
  const withoutId = [];
  let repeats = 0;
  for (const row of rowsOf(responseFrames)) {
    const lower = Object.fromEntries(Object.entries(row).map(([k, v]) => [k.toLowerCase(), v]));
    const annotation = {
      id: lower.id,
      time: lower.time,
      timeEnd: lower.timeend,
      title: lower.title,
      text: lower.text,
      tags: asTags(lower.tags),
      color,
      isRegion: Boolean(lower.timeend && lower.time !== lower.timeend),
    };
    if (annotation.id === undefined || annotation.id === null) {
      withoutId.push(annotation);
    } else if (byId.has(annotation.id)) {
      repeats++;
    } else {
      byId.set(annotation.id, annotation);
    }
  }
  return { annotations: [...byId.values(), ...withoutId], repeats };
}

const comparable = (a) =>
  JSON.stringify([a.id, a.time, a.timeEnd, a.title, a.text, asTags(a.tags), a.color, Boolean(a.isRegion)]);

/**
 * Differences between what a layer emitted and what it must emit, compared by id (Grafana's dedup groups by id,
 * which may reorder them): ids missing, ids not expected, ids whose fields differ.
 */
export function compareAnnotations(emittedFrames, expected) {
  const emitted = new Map(rowsOf(emittedFrames).map((a) => [a.id, a]));
  const wanted = new Map(expected.map((a) => [a.id, a]));
  const missing = [...wanted.keys()].filter((id) => !emitted.has(id));
  const unexpected = [...emitted.keys()].filter((id) => !wanted.has(id));
  const different = [...wanted.keys()]
    .filter((id) => emitted.has(id) && comparable(emitted.get(id)) !== comparable(wanted.get(id)))
    .map((id) => ({ id, emitted: comparable(emitted.get(id)), expected: comparable(wanted.get(id)) }));
  return { emitted: emitted.size, expected: wanted.size, missing, unexpected, different };
}

/** Fields every target has with the same value, except those named in `except`. */
export function sharedFields(targets, except) {
  if (targets.length === 0) {
    return {};
  }
  const [first, ...rest] = targets;
  return Object.fromEntries(
    Object.entries(first).filter(
      ([key, value]) =>
        !except.includes(key) && rest.every((t) => key in t && JSON.stringify(t[key]) === JSON.stringify(value))
    )
  );
}

const outcomeOf = (tags) =>
  asTags(tags)
    .find((t) => t.startsWith('outcome:'))
    ?.slice('outcome:'.length) ?? 'none';

/**
 * Which timeline entries the enabled layers draw: for each entry of `reference` (rows with id, title, tags), the
 * colours of the layers that emitted its id. Uncovered entries are drawn by no layer; multi-coloured ones by layers
 * of different colours.
 */
export function coverage(reference, layers) {
  const coloursById = new Map();
  for (const layer of layers.filter((l) => l.enabled)) {
    for (const annotation of rowsOf(layer.emitted)) {
      const colours = coloursById.get(annotation.id) ?? new Set();
      colours.add(annotation.color);
      coloursById.set(annotation.id, colours);
    }
  }
  const uncovered = [];
  const multiColoured = [];
  const byOutcome = {};
  for (const entry of reference) {
    const outcome = outcomeOf(entry.tags);
    const colours = coloursById.get(entry.id) ?? new Set();
    byOutcome[outcome] ??= { entries: 0, uncovered: 0 };
    byOutcome[outcome].entries++;
    if (colours.size === 0) {
      byOutcome[outcome].uncovered++;
      uncovered.push({ outcome, title: entry.title });
    } else if (colours.size > 1) {
      multiColoured.push({ outcome, title: entry.title, colours: [...colours] });
    }
  }
  return { entries: reference.length, uncovered, multiColoured, byOutcome };
}
