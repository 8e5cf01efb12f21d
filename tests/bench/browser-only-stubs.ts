/**
 * datasource.ts imports @grafana/runtime (for getBackendSrv/getTemplateSrv defaults) and the query editors
 * (React + @grafana/ui, which need a real DOM and CSS loaders). The refresh replay passes its own kube client and
 * variable replacement to the DataSource constructor and never renders an editor, so it loads inert stand-ins
 * for those modules and runs the real DataSource class. Import after node-globals and before datasource.ts.
 */
import Module from 'node:module';

type Load = (request: string, parent: unknown, isMain: boolean) => unknown;
const loader = Module as unknown as { _load: Load };
const load = loader._load;

const notInBenchmark = (name: string) => () => {
  throw new Error(`${name} is not available in the benchmark; pass it to the DataSource constructor`);
};
const runtime = { getBackendSrv: notInBenchmark('getBackendSrv'), getTemplateSrv: notInBenchmark('getTemplateSrv') };
const editors = new Proxy({}, { get: (_target, key) => (key === '__esModule' ? true : () => null) });

loader._load = function (request, parent, isMain) {
  if (request === '@grafana/runtime') {
    return runtime;
  }
  if (/\/components\/(query|variable)\//.test(request)) {
    return editors;
  }
  return load.call(this, request, parent, isMain);
};
