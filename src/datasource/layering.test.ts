import fs from 'node:fs';
import path from 'node:path';

/**
 * The folders of the data source depend on each other in one direction only: a cycle between two folders means
 * neither can be understood, tested or replaced without the other.
 */
const ROOT = __dirname;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      return entry.name === '__fixtures__' ? [] : sourceFiles(file);
    }
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [file] : [];
  });
}

/** The top folder of the data source a file lies in; a file directly in src/datasource is a node of its own. */
const folderOf = (file: string) => {
  const [first, ...rest] = path.relative(ROOT, file).split(path.sep);
  return rest.length === 0 ? first.replace(/\.tsx?$/, '') : first;
};

function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(ROOT)) {
    const from = folderOf(file);
    // Type-only imports are left out: they vanish at build time (an editor's props name the DataSource class).
    const imports = [...fs.readFileSync(file, 'utf8').matchAll(/^import (?!type )[^;]*? from '(\.[^']*)'/gms)].map(
      (match) => match[1]
    );
    for (const specifier of imports) {
      const target = path.resolve(path.dirname(file), specifier);
      if (!target.startsWith(ROOT + path.sep)) {
        continue;
      }
      const to = folderOf(target + '.ts');
      if (to !== from) {
        graph.set(from, (graph.get(from) ?? new Set()).add(to));
      }
    }
  }
  return graph;
}

function findCycle(graph: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const visit = (node: string, trail: string[]): string[] | undefined => {
    if (state.get(node) === 'open') {
      return [...trail.slice(trail.indexOf(node)), node];
    }
    if (state.get(node) === 'done') {
      return undefined;
    }
    state.set(node, 'open');
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next, [...trail, node]);
      if (cycle) {
        return cycle;
      }
    }
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node, []);
    if (cycle) {
      return cycle;
    }
  }
  return undefined;
}

describe('folders of the data source', () => {
  const graph = folderGraph();

  it('import each other without cycles', () => {
    expect(findCycle(graph)).toBeUndefined();
  });

  it('keep the pure pipeline and the object model below the kube client', () => {
    for (const folder of ['model', 'timeline', 'frames', 'tags', 'filters', 'store']) {
      expect({
        folder,
        imports: [...(graph.get(folder) ?? [])].filter((to) => to === 'kube' || to === 'query'),
      }).toEqual({
        folder,
        imports: [],
      });
    }
    expect([...(graph.get('model') ?? [])]).toEqual([]);
  });

  it('finds a cycle when there is one', () => {
    const cyclic = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
    ]);
    expect(findCycle(cyclic)).toEqual(['a', 'b', 'c', 'a']);
  });
});
