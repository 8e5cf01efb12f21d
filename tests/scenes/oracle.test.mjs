// Run: node --test tests/scenes/
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { compareAnnotations, coverage, expectedLayerAnnotations, rowsOf, sharedFields } from './oracle.mjs';

const frame = (columns) => {
  const names = Object.keys(columns);
  return {
    length: columns[names[0]].length,
    fields: names.map((name) => ({ name, displayName: name, type: 'other', values: columns[name] })),
  };
};

test('a layer keeps the first annotation of each id, colours every one and makes regions of differing ends', () => {
  const response = [
    frame({
      time: [1, 2, 2, 5],
      timeEnd: [1, 4, 4, null],
      title: ['a', 'b', 'b again', 'c'],
      text: ['ta', 'tb', 'tb2', 'tc'],
      tags: [['x:1'], 'y:1,y:2', [], []],
      id: ['p', 'r', 'r', 'q'],
    }),
  ];

  const { annotations, repeats } = expectedLayerAnnotations(response, '#73BF69');

  assert.equal(repeats, 1);
  assert.deepEqual(
    annotations.map((a) => [a.id, a.title, a.isRegion, a.color, a.tags]),
    [
      ['p', 'a', false, '#73BF69', ['x:1']],
      ['r', 'b', true, '#73BF69', ['y:1', 'y:2']],
      ['q', 'c', false, '#73BF69', []],
    ]
  );
});

test('emitted annotations are compared by id, field by field', () => {
  const expected = expectedLayerAnnotations(
    [frame({ time: [1, 2], timeEnd: [1, 3], title: ['a', 'b'], text: ['t', 't'], tags: [[], []], id: ['p', 'r'] })],
    'red'
  ).annotations;
  const emitted = [
    frame({
      id: ['r', 'x'],
      time: [2, 9],
      timeEnd: [3, 9],
      title: ['b', 'z'],
      text: ['t', 't'],
      tags: [[], []],
      color: ['blue', 'red'],
      isRegion: [true, false],
    }),
  ];

  const result = compareAnnotations(emitted, expected);

  assert.deepEqual(result.missing, ['p']);
  assert.deepEqual(result.unexpected, ['x']);
  assert.deepEqual(
    result.different.map((d) => d.id),
    ['r']
  );
});

test('identical emitted annotations show no difference', () => {
  const response = [frame({ time: [1], timeEnd: [1], title: ['a'], text: ['t'], tags: [['k:v']], id: ['p'] })];
  const expected = expectedLayerAnnotations(response, 'red').annotations;
  const emitted = [frame({ ...Object.fromEntries(Object.entries(expected[0]).map(([k, v]) => [k, [v]])) })];

  assert.deepEqual(compareAnnotations(emitted, expected), {
    emitted: 1,
    expected: 1,
    missing: [],
    unexpected: [],
    different: [],
  });
});

test('shared fields are those every target has with equal values', () => {
  const targets = [
    { refId: 'Anno', namespaces: ['$namespace'], outcomes: ['a'], detail: 'significant', kinds: ['region'] },
    { refId: 'Anno', namespaces: ['$namespace'], outcomes: ['b'], detail: 'significant' },
  ];

  assert.deepEqual(sharedFields(targets, ['refId', 'outcomes']), { namespaces: ['$namespace'], detail: 'significant' });
  assert.deepEqual(sharedFields([], []), {});
});

test('coverage finds entries drawn by no enabled layer and entries drawn in two colours', () => {
  const layer = (enabled, color, ids) => ({
    enabled,
    emitted: [frame({ id: ids, color: ids.map(() => color) })],
  });
  const reference = rowsOf([
    frame({
      id: ['a', 'b', 'c', 'd'],
      title: ['A', 'B', 'C', 'D'],
      tags: [['outcome:succeeded'], ['outcome:rolledBack'], [], ['outcome:failed']],
    }),
  ]);

  const result = coverage(reference, [
    layer(true, 'green', ['a']),
    layer(true, 'red', ['d']),
    layer(true, 'grey', ['d']),
    layer(false, 'orange', ['b']),
  ]);

  assert.deepEqual(result.uncovered, [
    { outcome: 'rolledBack', title: 'B' },
    { outcome: 'none', title: 'C' },
  ]);
  assert.deepEqual(result.multiColoured, [{ outcome: 'failed', title: 'D', colours: ['red', 'grey'] }]);
  assert.deepEqual(result.byOutcome.none, { entries: 1, uncovered: 1 });
});
