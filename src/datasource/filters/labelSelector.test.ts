import { LabelSelectorError, labelSelectorMatcher, validateLabelSelector } from './labelSelector';

describe('validateLabelSelector', () => {
  it.each([
    '',
    'app=checkout',
    'app==checkout',
    'tier!=batch',
    'app.kubernetes.io/part-of=shop',
    'environment in (production, qa)',
    'tier notin (frontend,backend)',
    'partition',
    '!partition',
    'app=checkout,tier in (web),!canary',
    'app=',
  ])('accepts the valid selector %p', (selector) => {
    expect(() => validateLabelSelector(selector)).not.toThrow();
  });

  it.each([
    ['app=checkout,', /empty requirement/],
    ['app=check out', /not a label requirement|not a valid label value/],
    ['app in ()', /at least one value/],
    ['-app=x', /not a valid label key/],
    ['app=-x', /not a valid label value/],
    ['Example.COM/app=x', /not a valid label key/],
    ['app in (a,b', /not a label requirement|not a valid label/],
    [`${'a'.repeat(64)}=x`, /longer than 63|not a valid label key/],
  ])('rejects %p with a message that says what is wrong', (selector, message) => {
    expect(() => validateLabelSelector(selector)).toThrow(LabelSelectorError);
    expect(() => validateLabelSelector(selector)).toThrow(message);
  });
});

describe('labelSelectorMatcher', () => {
  const labels = { app: 'checkout', tier: 'web', 'example.com/team': 'shop' };
  it.each([
    ['', true],
    ['app', true],
    ['!app', false],
    ['!missing', true],
    ['app=checkout', true],
    ['app==checkout', true],
    ['app=cart', false],
    ['app!=cart', true],
    ['missing!=cart', true],
    ['app in (cart, checkout)', true],
    ['app in (cart)', false],
    ['missing in (cart)', false],
    ['app notin (cart)', true],
    ['app notin (checkout)', false],
    ['missing notin (cart)', true],
    ['example.com/team=shop,tier in (web,api)', true],
    ['example.com/team=shop,tier=api', false],
  ])('%s matches %s', (selector, expected) => {
    expect(labelSelectorMatcher(selector)(labels)).toBe(expected);
  });

  it('matches objects without labels as the API server does', () => {
    expect(labelSelectorMatcher('app!=x')(undefined)).toBe(true);
    expect(labelSelectorMatcher('app')(undefined)).toBe(false);
  });

  it('refuses an invalid selector with what is wrong', () => {
    expect(() => labelSelectorMatcher('app in ()')).toThrow(LabelSelectorError);
  });
});
