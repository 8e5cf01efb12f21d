import type { RolloutLensSettings } from '../../config/settings';

/** Props every section of the config editor receives: the current settings and the way to replace them. */
export interface SectionProps {
  options: RolloutLensSettings;
  onOptionsChange: (options: RolloutLensSettings) => void;
}
