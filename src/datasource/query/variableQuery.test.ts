import { QueryInputError } from '../filters/errors';
import { describeVariableQuery, parseVariableQuery, type VariableQuery } from './variableQuery';

describe('parseVariableQuery', () => {
  it.each([
    ['namespaces', { kind: 'namespaces' }],
    ['rollouts', { kind: 'rollouts', namespaces: [] }],
    ['rollouts($namespace)', { kind: 'rollouts', namespaces: ['$namespace'] }],
    ['label_values(team)', { kind: 'labelValues', labelKey: 'team', namespaces: [] }],
    [
      'label_values(app.kubernetes.io/part-of, shop, $ns)',
      { kind: 'labelValues', labelKey: 'app.kubernetes.io/part-of', namespaces: ['shop', '$ns'] },
    ],
  ])('reads the text form %p', (text, expected) => {
    expect(parseVariableQuery(text)).toEqual(expected);
  });

  it('lists namespaces for an empty query', () => {
    expect(parseVariableQuery('')).toEqual({ kind: 'namespaces' });
  });

  it('reads the editor object', () => {
    const query = { refId: 'A', kind: 'rollouts' as const, namespaces: ['$namespace'], regex: '/^web/' };
    expect(parseVariableQuery(query)).toEqual({ kind: 'rollouts', namespaces: ['$namespace'], regex: '/^web/' });
  });

  it('reads a saved object whose fields hold the wrong types as far as it can, and says what is missing', () => {
    const saved = (value: unknown) => parseVariableQuery(value as VariableQuery);
    expect(saved({ kind: 'rollouts', namespaces: ['a', 5, null], regex: 7 })).toEqual({
      kind: 'rollouts',
      namespaces: ['a'],
    });
    expect(() => saved({ kind: 'pods' })).toThrow(
      'The variable query "pods" is not one of namespaces, rollouts or label values: choose one in the variable editor.'
    );
    expect(() => saved({ kind: 'labelValues', labelKey: 3 })).toThrow(QueryInputError);
    expect(() => saved(42)).toThrow('42 is not a variable query: choose one in the variable editor.');
  });

  it('says which forms exist when the text is not one of them', () => {
    expect(() => parseVariableQuery('pods')).toThrow(QueryInputError);
    expect(() => parseVariableQuery('pods')).toThrow(/rollouts\(\$namespace\)/);
  });

  it('asks for the label of a label values query', () => {
    expect(() => parseVariableQuery({ kind: 'labelValues', labelKey: ' ' })).toThrow(/Choose the Rollout label/);
  });
});

describe('describeVariableQuery', () => {
  it('gives the text form back, with the regex', () => {
    expect(describeVariableQuery({ kind: 'rollouts', namespaces: ['$namespace'], regex: '/^web/' })).toBe(
      'rollouts($namespace) =~ /^web/'
    );
    expect(describeVariableQuery({ kind: 'labelValues', labelKey: 'team' })).toBe('label_values(team)');
  });
});
