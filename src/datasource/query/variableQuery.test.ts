import { QueryInputError } from '../filters/errors';
import { describeVariableQuery, parseVariableQuery } from './variableQuery';

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

  it('passes the editor object through', () => {
    const query = { kind: 'rollouts' as const, namespaces: ['$namespace'], regex: '/^web/' };
    expect(parseVariableQuery(query)).toBe(query);
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
