import type { ScopedVars } from '@grafana/data';

import { interpolateFilter, interpolateValues, type ReplaceVariables } from './interpolate';
import type { RolloutLensQuery } from '../types';

/** Replaces `$name` and `${name}` like Grafana's TemplateSrv, passing multi-values to the format function. */
function replaceWith(variables: Record<string, string | string[]>): ReplaceVariables {
  return (target, scopedVars?: ScopedVars, format?) =>
    target.replace(/\$\{(\w+)\}|\$(\w+)/g, (match, braced: string | undefined, plain: string | undefined) => {
      const name = (braced ?? plain) as string;
      const scoped = scopedVars?.[name]?.value as string | string[] | undefined;
      const value = scoped ?? variables[name];
      if (value === undefined) {
        return match;
      }
      if (typeof format === 'function') {
        return format(value);
      }
      return Array.isArray(value) ? value.join(',') : value;
    });
}

const query = (fields: Partial<RolloutLensQuery>): RolloutLensQuery =>
  ({ refId: 'A', queryType: 'rollouts', ...fields }) as RolloutLensQuery;

describe('interpolateFilter', () => {
  const replace = replaceWith({ namespace: ['payments', 'shop'], rollout: ['checkout', 'cart.v2'], team: ['a', 'b'] });

  it('expands multi-value namespace variables into separate namespaces', () => {
    expect(interpolateFilter(query({ namespaces: ['$namespace', 'ops'] }), replace).namespaces).toEqual([
      'payments',
      'shop',
      'ops',
    ]);
  });

  it('reads "All" as every namespace', () => {
    expect(interpolateFilter(query({ namespaces: ['$all'] }), replaceWith({ all: '$__all' })).namespaces).toEqual([]);
    expect(interpolateFilter(query({ namespaces: ['${all}'] }), replaceWith({ all: '*' })).namespaces).toEqual([]);
  });

  it('reads a custom all value of the rollout variable as every rollout', () => {
    expect(interpolateFilter(query({ rollouts: ['$rollout'] }), replaceWith({ rollout: '*' })).rollouts).toEqual([]);
    expect(interpolateFilter(query({ rollouts: ['$rollout'] }), replaceWith({ rollout: '.*' })).rollouts).toEqual([]);
  });

  it('escapes variable values inside a /regex/ rollout pattern', () => {
    expect(interpolateFilter(query({ rollouts: ['/^$rollout$/'] }), replace).rollouts).toEqual([
      '/^(checkout|cart\\.v2)$/',
    ]);
  });

  it('expands plain rollout variables into names', () => {
    expect(interpolateFilter(query({ rollouts: ['$rollout'] }), replace).rollouts).toEqual(['checkout', 'cart.v2']);
  });

  it('joins multi-values with commas inside a label selector', () => {
    expect(interpolateFilter(query({ labelSelector: 'team in ($team)' }), replace).labelSelector).toBe('team in (a,b)');
  });

  it('uses scoped variables over dashboard variables', () => {
    const scopedVars: ScopedVars = { namespace: { text: 'ops', value: 'ops' } };
    expect(interpolateFilter(query({ namespaces: ['$namespace'] }), replace, scopedVars).namespaces).toEqual(['ops']);
  });

  it('gives empty filters for a query that has none', () => {
    expect(interpolateFilter(query({}), replace)).toEqual({ namespaces: [], rollouts: [], labelSelector: '' });
  });
});

describe('interpolateValues', () => {
  const replace = replaceWith({ team: ['a', 'b'], env: 'prod', empty: '' });

  it('gives one tag per option of a multi-value variable', () => {
    expect(interpolateValues(['team:$team', 'env:$env'], replace)).toEqual(['team:a', 'team:b', 'env:prod']);
  });

  it('drops values that expand to nothing', () => {
    expect(interpolateValues(['$empty', ' '], replace)).toEqual([]);
  });
});
