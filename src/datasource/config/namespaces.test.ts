import { cleanNamespaceList, isValidNamespaceName, namespacesProblem } from './namespaces';

describe('isValidNamespaceName', () => {
  it.each(['default', 'kube-system', 'a', 'team-42', 'x'.repeat(63)])('accepts %s', (name) => {
    expect(isValidNamespaceName(name)).toBe(true);
  });

  it.each(['', 'Payments', 'team_a', '-lead', 'trail-', 'a.b', 'x'.repeat(64), ' spaced'])('rejects %j', (name) => {
    expect(isValidNamespaceName(name)).toBe(false);
  });
});

describe('namespacesProblem', () => {
  it('returns undefined when every name is valid or the list is empty', () => {
    expect(namespacesProblem(['default', 'payments'])).toBeUndefined();
    expect(namespacesProblem([])).toBeUndefined();
  });

  it('names the one invalid namespace', () => {
    expect(namespacesProblem(['default', 'Payments'])).toMatch(
      /^"Payments" is not a valid namespace name: use lowercase/
    );
  });

  it('names every invalid namespace', () => {
    expect(namespacesProblem(['Payments', 'team_a', 'ok'])).toMatch(
      /^"Payments", "team_a" are not valid namespace names/
    );
  });
});

describe('cleanNamespaceList', () => {
  it('trims names and drops empty entries and duplicates, keeping the order', () => {
    expect(cleanNamespaceList([' payments', 'default', '', 'payments ', '  '])).toEqual(['payments', 'default']);
  });
});
