// jsdom has no IntersectionObserver, which @grafana/scenes' LazyLoader creates when it is imported: tests that
// import @grafana/scenes import this first.
class InertIntersectionObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
  takeRecords() {
    return [];
  }
}

const scope = globalThis as { IntersectionObserver?: unknown };
scope.IntersectionObserver ??= InertIntersectionObserver;

export {};
