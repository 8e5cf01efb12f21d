import React, { useState } from 'react';
import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { deepFreeze } from '../../config/__fixtures__/settings';
import type { RolloutLensSettings } from '../../config/settings';
import { ConfigEditor } from './ConfigEditor';

/**
 * Renders the ConfigEditor the way Grafana drives it: every change comes back as new, deeply frozen props,
 * so a mutation anywhere in the editor throws.
 */
export function renderConfigEditor(initial: RolloutLensSettings) {
  const onOptionsChange = jest.fn<void, [RolloutLensSettings]>();
  function Harness() {
    const [options, setOptions] = useState(initial);
    return (
      <ConfigEditor
        options={options}
        onOptionsChange={(next) => {
          onOptionsChange(next);
          setOptions(deepFreeze(next));
        }}
      />
    );
  }
  const user = userEvent.setup({ delay: null });
  render(<Harness />);
  const latestOptions = (): RolloutLensSettings => {
    const calls = onOptionsChange.mock.calls;
    if (calls.length === 0) {
      throw new Error('onOptionsChange was never called');
    }
    return calls[calls.length - 1][0];
  };
  return { user, onOptionsChange, latestOptions };
}
