import { screen } from '@testing-library/react';

import { makeSettings } from '../../config/__fixtures__/settings';
import { linkBaseUrlProblem } from './LinksSection';
import { renderConfigEditor } from './testHarness';

const openTags = async (user: ReturnType<typeof renderConfigEditor>['user']) =>
  user.click(screen.getByRole('button', { name: 'Expand section Tags' }));

describe('tag mapping section', () => {
  it('adds a label rule that renames the label, and shows it in the example', async () => {
    const { user, latestOptions } = renderConfigEditor(makeSettings({}));
    await openTags(user);
    await user.click(screen.getByRole('button', { name: /Add label or annotation rule/ }));
    await user.type(screen.getByLabelText('Key'), 'app.kubernetes.io/part-of');
    await user.type(screen.getByLabelText('Tag name'), 'app');
    expect(latestOptions().jsonData.tagMapping?.metadataRules).toEqual([
      { source: 'label', key: 'app.kubernetes.io/part-of', tagName: 'app' },
    ]);
    expect(screen.getByLabelText('Example tags').textContent).toContain('app:webshop');
  });

  it('turns a built-in tag off', async () => {
    const { user, latestOptions } = renderConfigEditor(makeSettings({}));
    await openTags(user);
    await user.click(screen.getByLabelText('precision:'));
    expect(latestOptions().jsonData.tagMapping?.disabledBuiltIns).toEqual(['precision']);
    expect(screen.getByLabelText('Example tags').textContent).not.toContain('precision:');
  });

  it('adds extra tags for one event reason', async () => {
    const { user, latestOptions } = renderConfigEditor(makeSettings({}));
    await openTags(user);
    await user.click(screen.getByRole('button', { name: /Add reason rule/ }));
    await user.type(screen.getByLabelText('Reason'), 'RolloutCompleted');
    await user.type(screen.getByPlaceholderText('tag, Enter'), 'deploy{Enter}');
    expect(latestOptions().jsonData.tagMapping?.reasonRules).toEqual([
      { reason: 'RolloutCompleted', tags: ['deploy'] },
    ]);
    expect(screen.getByLabelText('Example tags').textContent).toContain('deploy');
  });
});

describe('linkBaseUrlProblem', () => {
  it('accepts empty and http(s) URLs, rejects others with a message', () => {
    expect(linkBaseUrlProblem('')).toBeUndefined();
    expect(linkBaseUrlProblem('https://rollouts.example.com/rollouts')).toBeUndefined();
    expect(linkBaseUrlProblem('javascript:alert(1)')).toMatch(/http/);
    expect(linkBaseUrlProblem('not a url')).toMatch(/not a URL/);
  });
});
