import { LabelSelectorError, validateLabelSelector } from './labelSelector';

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
