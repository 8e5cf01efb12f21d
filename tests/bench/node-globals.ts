/**
 * @grafana/data touches `window`, `document` and `history` while it loads (a localStorage-backed store, react-use
 * hooks). The benchmark runs the plugin's pure modules in plain Node, so it gives them inert stand-ins; nothing the
 * pipeline computes reads them. Import this module before anything that imports @grafana/data.
 */
const noop = () => undefined;
const element = () => ({ sheet: { insertRule: noop, cssRules: [] }, style: {}, setAttribute: noop, appendChild: noop });
const historyStub = { pushState: noop, replaceState: noop };
const globals = globalThis as unknown as Record<string, unknown>;
globals.history ??= historyStub;
globals.window ??= {
  addEventListener: noop,
  removeEventListener: noop,
  localStorage: {},
  location: { href: '' },
  history: historyStub,
  navigator: {},
};
globals.document ??= {
  getElementsByTagName: () => [{}],
  head: { appendChild: noop },
  createElement: element,
  addEventListener: noop,
  documentElement: { style: {} },
};
export {};
