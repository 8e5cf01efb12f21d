import React from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { VariableQueryEditor } from './VariableQueryEditor';

describe('VariableQueryEditor', () => {
  it('saves the chosen kind, keeping the refId', async () => {
    const onChange = jest.fn();
    render(<VariableQueryEditor query={{ refId: 'V', kind: 'namespaces' }} onChange={onChange} />);
    await userEvent.click(screen.getByRole('radio', { name: 'Rollouts' }));
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'V', kind: 'rollouts' });
  });

  it('reads a query typed as text in an older dashboard', () => {
    render(<VariableQueryEditor query="label_values(team)" onChange={jest.fn()} />);
    expect(screen.getByRole('radio', { name: 'Label values' })).toBeChecked();
    expect(screen.getByDisplayValue('team')).toBeInTheDocument();
  });

  it('warns about a saved query it cannot read, and does not overwrite it', () => {
    const onChange = jest.fn();
    render(<VariableQueryEditor query="pods()" onChange={onChange} />);
    expect(screen.getByText('The saved query could not be read')).toBeInTheDocument();
    expect(onChange).not.toHaveBeenCalled();
  });
});
