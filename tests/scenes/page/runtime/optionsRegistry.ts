// STAND-IN for Grafana's option registries (public/app/core/components/OptionsUI/registry.tsx), which Grafana's app
// fills at boot: `standardEditorsRegistry` (the option editors panels build their options with) and
// `standardFieldConfigEditorRegistry` (the standard field options every panel has: unit, min, max, decimals, display
// name, colour scheme, no value, data links, value mappings, thresholds). The field options keep Grafana's ids,
// paths, processors, `shouldApply` and defaults, which is what applyFieldOverrides reads when VizPanel applies a
// dashboard's field config; the editors are left empty, the page has no panel editor.
import {
  dataLinksOverrideProcessor,
  displayNameOverrideProcessor,
  type FieldConfigPropertyItem,
  FieldType,
  identityOverrideProcessor,
  numberOverrideProcessor,
  standardEditorsRegistry,
  standardFieldConfigEditorRegistry,
  stringOverrideProcessor,
  thresholdsOverrideProcessor,
  ThresholdsMode,
  valueMappingsOverrideProcessor,
} from '@grafana/data';

const noEditor = () => null;

/** The ids of Grafana's option editors (getAllOptionEditors). */
const EDITOR_IDS = [
  'text',
  'number',
  'slider',
  'boolean',
  'radio',
  'select',
  'unit',
  'links',
  'stats-picker',
  'strings',
  'timezone',
  'fieldColor',
  'color',
  'multi-select',
  'field-name',
  'dashboard-uid',
  'mappings',
  'thresholds',
];

type Item = FieldConfigPropertyItem;

function fieldOption(
  id: string,
  process: Item['process'],
  shouldApply: Item['shouldApply'],
  extra: Partial<Item> = {}
): Item {
  return { id, path: id, name: id, editor: noEditor, override: noEditor, process, shouldApply, ...extra } as Item;
}

const isNumber = (field: { type: FieldType }) => field.type === FieldType.number;
const always = () => true;

/** getAllStandardFieldConfigs: what every panel's field config understands. */
const STANDARD_FIELD_OPTIONS = () => [
  fieldOption('unit', stringOverrideProcessor, always),
  fieldOption('min', numberOverrideProcessor, isNumber),
  fieldOption('max', numberOverrideProcessor, isNumber),
  fieldOption('decimals', numberOverrideProcessor, isNumber),
  fieldOption('displayName', displayNameOverrideProcessor, always),
  fieldOption('color', identityOverrideProcessor, always),
  fieldOption('noValue', stringOverrideProcessor, always),
  fieldOption('links', dataLinksOverrideProcessor, always),
  fieldOption('mappings', valueMappingsOverrideProcessor, (field) => field.type !== FieldType.time, {
    defaultValue: [],
  }),
  fieldOption('thresholds', thresholdsOverrideProcessor, always, {
    defaultValue: {
      mode: ThresholdsMode.Absolute,
      steps: [
        { value: -Infinity, color: 'green' },
        { value: 80, color: 'red' },
      ],
    },
  }),
];

/** Fills both registries, once, before any panel plugin builds its options. */
export function initOptionsRegistries() {
  standardEditorsRegistry.setInit(() => EDITOR_IDS.map((id) => ({ id, name: id, editor: noEditor })));
  standardFieldConfigEditorRegistry.setInit(STANDARD_FIELD_OPTIONS);
}
