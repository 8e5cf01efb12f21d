import React from 'react';
import {
  dataLayers,
  sceneGraph,
  type SceneComponentProps,
  SceneObjectBase,
  type SceneObjectState,
} from '@grafana/scenes';
import { InlineField, InlineSwitch, Stack } from '@grafana/ui';

/** One switch per annotation layer, with its name, as Grafana's dashboard controls show them. */
export class AnnotationToggles extends SceneObjectBase<SceneObjectState> {
  static Component = AnnotationTogglesRenderer;
}

function LayerSwitch({ layer }: { layer: dataLayers.AnnotationsDataLayer }) {
  const { name, isEnabled, isHidden, key } = layer.useState();
  if (isHidden) {
    return null;
  }
  return (
    <InlineField label={name} htmlFor={`layer-${key}`}>
      <InlineSwitch
        id={`layer-${key}`}
        value={isEnabled}
        onChange={() => layer.setState({ isEnabled: !isEnabled })}
        data-testid="annotation-toggle"
      />
    </InlineField>
  );
}

function AnnotationTogglesRenderer({ model }: SceneComponentProps<AnnotationToggles>) {
  const layers = sceneGraph
    .getDataLayers(model)
    .flatMap((set) => ('layers' in set.state ? (set.state.layers as unknown[]) : []))
    .filter((layer): layer is dataLayers.AnnotationsDataLayer => layer instanceof dataLayers.AnnotationsDataLayer);
  return (
    <Stack direction="row" gap={1} wrap>
      {layers.map((layer) => (
        <LayerSwitch key={layer.state.key} layer={layer} />
      ))}
    </Stack>
  );
}
