/**
 * @jest-environment node
 */
import type { Rollout } from '../model/argo';
import { loadInfoObject } from '../frames/tables/testdata';
import { InvalidRegexError } from './regexFilter';
import { labelValues, namespacesWithRollouts, rolloutNames } from './rolloutVariables';

const fixtureRollouts = [
  'canary/canary-rollout.yaml',
  'canary/canary-rollout4.yaml',
  'canary/canary-rollout5.yaml',
  'blue-green/bluegreen-rollout.yaml',
  'rollout-aborted/rollout.yaml',
  'experiment-analysis/rollout-experiment-analysis.yaml',
].map((file) => loadInfoObject<Rollout>(file));

/** Same names in another namespace, to check de-duplication across namespaces. */
const staging: Rollout[] = [
  { metadata: { name: 'canary-demo', namespace: 'staging', labels: { app: 'canary-demo', team: 'web' } } },
  { metadata: { name: 'web-10', namespace: 'staging', labels: { team: 'web' } } },
  { metadata: { name: 'web-2', namespace: 'staging', labels: { team: 'payments' } } },
];

const all = [...fixtureRollouts, ...staging];

const texts = (values: Array<{ text: string }>) => values.map((v) => v.text);

describe('namespacesWithRollouts', () => {
  it('returns each namespace that holds a rollout once, sorted', () => {
    expect(namespacesWithRollouts(all)).toEqual([
      { text: 'default', value: 'default' },
      { text: 'jesse-test', value: 'jesse-test' },
      { text: 'staging', value: 'staging' },
    ]);
  });

  it('keeps only the namespaces the regex matches', () => {
    expect(texts(namespacesWithRollouts(all, '/^(jesse|stag)/'))).toEqual(['jesse-test', 'staging']);
  });

  it('returns nothing for no rollouts', () => {
    expect(namespacesWithRollouts([])).toEqual([]);
  });
});

describe('rolloutNames', () => {
  it('returns every rollout name once in natural order when no namespace is given', () => {
    expect(texts(rolloutNames(all))).toEqual([
      'bluegreen-demo',
      'canary-demo',
      'canary-demo-pingpong',
      'canary-demo-weights',
      'rollout-background-analysis',
      'rollout-experiment-analysis',
      'web-2',
      'web-10',
    ]);
  });

  it('returns only the rollouts of the given namespaces', () => {
    expect(texts(rolloutNames(all, ['staging']))).toEqual(['canary-demo', 'web-2', 'web-10']);
    expect(texts(rolloutNames(all, ['default', 'staging']))).toEqual([
      'canary-demo',
      'rollout-background-analysis',
      'web-2',
      'web-10',
    ]);
  });

  it('treats an empty namespace list as every namespace', () => {
    expect(rolloutNames(all, [])).toEqual(rolloutNames(all));
  });

  it('applies a bare regex and honours its flags when written /pattern/flags', () => {
    expect(texts(rolloutNames(all, undefined, 'canary-demo-'))).toEqual([
      'canary-demo-pingpong',
      'canary-demo-weights',
    ]);
    expect(texts(rolloutNames(all, undefined, '/^WEB/i'))).toEqual(['web-2', 'web-10']);
  });

  it('matches every value of a global regex, which would otherwise skip alternate matches', () => {
    expect(texts(rolloutNames(all, ['staging'], '/web/g'))).toEqual(['web-2', 'web-10']);
  });
});

describe('labelValues', () => {
  it('returns the values of one label key once, sorted, ignoring rollouts without it', () => {
    expect(texts(labelValues(all, 'app'))).toEqual(['bluegreen-demo', 'canary-demo', 'canary-demo-weights']);
    expect(texts(labelValues(all, 'team'))).toEqual(['payments', 'web']);
  });

  it('returns nothing for a key no rollout has', () => {
    expect(labelValues(all, 'does-not-exist')).toEqual([]);
  });

  it('filters the values by regex', () => {
    expect(texts(labelValues(all, 'team', 'pay'))).toEqual(['payments']);
  });

  it('does not throw on rollouts with no metadata', () => {
    expect(labelValues([{}, ...staging], 'team')).toHaveLength(2);
    expect(texts(rolloutNames([{}]))).toEqual([]);
    expect(texts(namespacesWithRollouts([{}]))).toEqual([]);
  });
});

describe('invalid regex filters', () => {
  // `null` rollouts would make any work fail with a TypeError: the regex must be rejected first.
  const untouchable = null as unknown as Rollout[];

  it.each([
    { name: 'namespacesWithRollouts', run: () => namespacesWithRollouts(untouchable, '(unclosed') },
    { name: 'rolloutNames', run: () => rolloutNames(untouchable, ['default'], '/[a-/') },
    { name: 'labelValues', run: () => labelValues(untouchable, 'team', '*web') },
  ])('$name throws InvalidRegexError before reading the rollouts', ({ run }) => {
    expect(run).toThrow(InvalidRegexError);
  });

  it('names the pattern in the message', () => {
    expect(() => rolloutNames([], undefined, '(unclosed')).toThrow(
      /^The regex filter of this variable "\(unclosed" is not a valid regular expression/
    );
  });
});
