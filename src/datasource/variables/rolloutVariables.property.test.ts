/**
 * @jest-environment node
 */
import fc from 'fast-check';

import { QueryInputError } from '../filters/errors';
import { rolloutObject } from '../frames/tables/testing/arbitraryObjects';
import type { Rollout } from '../model/argo';
import { parseVariableQuery, type VariableQuery } from '../query/variableQuery';
import { labelValues, namespacesWithRollouts, rolloutNames } from './rolloutVariables';

const naturalOrder = new Intl.Collator('en', { numeric: true });
const RUNS = { numRuns: 300 };

const rolloutList = fc.array(
  fc.oneof(
    { weight: 6, arbitrary: rolloutObject },
    { weight: 1, arbitrary: fc.oneof(fc.constant(null), fc.integer(), fc.string({ maxLength: 3 }), fc.jsonValue()) }
  ),
  { maxLength: 10 }
);
const regexFilter = fc.constantFrom(undefined, '', 'web', '/^WEB/gi', '/t$/y', '^(cart|web2)$');

/** Options are unique non-empty strings in natural order, each taken from a string field of a listed object. */
function expectOptions(values: Array<{ text: string; value?: unknown }>, wanted: Set<string>): void {
  const texts = values.map((option) => option.text);
  for (const option of values) {
    expect(typeof option.text).toBe('string');
    expect(option.value).toBe(option.text);
  }
  expect(new Set(texts).size).toBe(texts.length);
  expect(texts).toEqual([...texts].sort(naturalOrder.compare));
  expect(texts.every((text) => text !== '' && wanted.has(text))).toBe(true);
}

const records = (items: unknown[]) =>
  items.filter(
    (item): item is Record<string, any> => typeof item === 'object' && item !== null && !Array.isArray(item)
  );
const stringsAt = (items: unknown[], read: (item: Record<string, any>) => unknown) =>
  new Set(
    records(items)
      .map((item) => {
        try {
          return read(item);
        } catch {
          return undefined;
        }
      })
      .filter((value): value is string => typeof value === 'string' && value !== '')
  );

describe('variable queries on arbitrary cluster objects', () => {
  it('namespaces: never throw, give every namespace once, in natural order', () => {
    fc.assert(
      fc.property(rolloutList, (rollouts) => {
        const namespaces = stringsAt(rollouts, (item) => item.metadata?.namespace);
        const options = namespacesWithRollouts(rollouts as Rollout[]);
        expectOptions(options, namespaces);
        expect(options).toHaveLength(namespaces.size);
      }),
      RUNS
    );
  });

  it('rollouts: never throw, give every name once (no global regex skips one)', () => {
    fc.assert(
      fc.property(rolloutList, regexFilter, (rollouts, regex) => {
        const names = stringsAt(rollouts, (item) => item.metadata?.name);
        const options = rolloutNames(rollouts as Rollout[], undefined, regex);
        expectOptions(options, names);
        const filter = regex ? new RegExp(regex.replace(/^\/(.*)\/[a-z]*$/, '$1'), /i/.test(regex) ? 'i' : '') : /./;
        expect(options).toHaveLength([...names].filter((name) => !regex || filter.test(name)).length);
      }),
      RUNS
    );
  });

  it('label values: never throw, give only string values', () => {
    fc.assert(
      fc.property(rolloutList, fc.constantFrom('app', 'team', 'constructor', '__proto__'), (rollouts, key) => {
        expectOptions(
          labelValues(rollouts as Rollout[], key),
          stringsAt(rollouts, (item) =>
            Object.hasOwn(item.metadata?.labels ?? {}, key) ? item.metadata.labels[key] : undefined
          )
        );
      }),
      RUNS
    );
  });

  it('a saved variable query of any shape is read, or refused with a QueryInputError', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.record(
            {
              kind: fc.oneof(fc.constantFrom('namespaces', 'rollouts', 'labelValues'), fc.jsonValue()),
              namespaces: fc.jsonValue(),
              labelKey: fc.jsonValue(),
              regex: fc.jsonValue(),
            },
            { requiredKeys: [] }
          )
        ),
        (saved) => {
          try {
            const query = parseVariableQuery(saved as VariableQuery);
            expect(['namespaces', 'rollouts', 'labelValues']).toContain(query.kind);
            expect(query.namespaces === undefined || query.namespaces.every((n) => typeof n === 'string')).toBe(true);
          } catch (error) {
            expect(error).toBeInstanceOf(QueryInputError);
          }
        }
      ),
      RUNS
    );
  });
});
