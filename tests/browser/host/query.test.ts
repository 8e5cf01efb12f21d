import { createDataFrame, FieldType } from '@grafana/data';

import { annotationsFromFrames } from './query';

describe('annotationsFromFrames', () => {
  it('returns one annotation per row with time, end, title, text and tags when the fields are named so', () => {
    const frame = createDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: [1000, 2000] },
        { name: 'timeEnd', type: FieldType.time, values: [1500, null] },
        { name: 'title', type: FieldType.string, values: ['web rev 2', 'web rev 3'] },
        { name: 'text', type: FieldType.string, values: ['promoted', 'aborted'] },
        { name: 'tags', type: FieldType.other, values: [['outcome:succeeded'], ['outcome:failed', 'app:web']] },
      ],
    });

    expect(annotationsFromFrames([frame])).toEqual([
      { time: 1000, timeEnd: 1500, title: 'web rev 2', text: 'promoted', tags: ['outcome:succeeded'] },
      { time: 2000, timeEnd: undefined, title: 'web rev 3', text: 'aborted', tags: ['outcome:failed', 'app:web'] },
    ]);
  });

  it('splits comma-separated tag strings and falls back to the first time and string fields', () => {
    const frame = createDataFrame({
      fields: [
        { name: 'At', type: FieldType.time, values: [5000] },
        { name: 'Message', type: FieldType.string, values: ['restarted'] },
        { name: 'tags', type: FieldType.string, values: ['a,b'] },
      ],
    });

    expect(annotationsFromFrames([frame])).toEqual([
      { time: 5000, timeEnd: undefined, title: undefined, text: 'restarted', tags: ['a', 'b'] },
    ]);
  });

  it('returns nothing for a frame without a time or a text field', () => {
    const frame = createDataFrame({ fields: [{ name: 'count', type: FieldType.number, values: [3] }] });

    expect(annotationsFromFrames([frame])).toEqual([]);
  });
});
