import './jsdomIntersectionObserver';
import { CustomVariable, EmbeddedScene, SceneFlexLayout, SceneVariableSet } from '@grafana/scenes';

import { createSceneTemplateSrv } from './templateSrv';

function dashboard() {
  const scene = new EmbeddedScene({
    $variables: new SceneVariableSet({
      variables: [
        new CustomVariable({
          name: 'namespace',
          query: 'a,b,c',
          isMulti: true,
          includeAll: true,
          allValue: '*',
          value: ['a', 'b'],
          text: ['a', 'b'],
        }),
        new CustomVariable({ name: 'rollout', query: 'web,api', includeAll: true, allValue: '*', value: '$__all' }),
      ],
    }),
    body: new SceneFlexLayout({ children: [] }),
  });
  return scene;
}

describe('the scenes TemplateSrv (template_srv.ts in a Grafana 12 dashboard)', () => {
  afterEach(() => {
    window.__grafanaSceneContext = undefined;
  });

  it('interpolates in the scope of the scene object of the request, multi-value and custom All included', () => {
    const scene = dashboard();
    const templateSrv = createSceneTemplateSrv();
    const scopedVars = { __sceneObject: { value: { valueOf: () => scene }, text: '__sceneObject' } };

    expect(templateSrv.replace('$namespace', scopedVars, 'csv')).toBe('a,b');
    expect(templateSrv.replace('${rollout}', scopedVars)).toBe('*');
    expect(templateSrv.replace('$namespace', scopedVars, (v: string | string[]) => [v].flat().join('|'))).toBe('a|b');
  });

  it('falls back to the active dashboard scene, and leaves text alone outside any scene', () => {
    const scene = dashboard();
    const templateSrv = createSceneTemplateSrv();
    expect(templateSrv.replace('$namespace', {})).toBe('$namespace');

    const deactivate = scene.activate();
    window.__grafanaSceneContext = scene;

    expect(templateSrv.replace('$namespace', {}, 'pipe')).toBe('a|b');
    expect(templateSrv.getVariables().map((v) => [v.name, 'current' in v ? v.current.value : undefined])).toEqual([
      ['namespace', ['a', 'b']],
      ['rollout', '$__all'],
    ]);
    expect(templateSrv.containsTemplate('ns=$namespace')).toBe(true);
    expect(templateSrv.containsTemplate('ns=$other')).toBe(false);
    deactivate();
  });
});
