import { createTemplateSrv } from './templateSrv';

describe('createTemplateSrv', () => {
  it('replaces scoped variables in both $name and ${name} forms', () => {
    const templateSrv = createTemplateSrv();

    expect(templateSrv.replace('$ns/${rollout}', { ns: { value: 'shop' }, rollout: { value: 'web' } })).toBe(
      'shop/web'
    );
  });

  it('leaves variables it does not know unchanged, as there is no dashboard', () => {
    const templateSrv = createTemplateSrv();

    expect(templateSrv.replace('$namespace', {})).toBe('$namespace');
    expect(templateSrv.containsTemplate('$namespace')).toBe(true);
    expect(templateSrv.getVariables()).toEqual([]);
  });
});
