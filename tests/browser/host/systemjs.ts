/** The part of SystemJS 6 (loaded by index.html with its AMD extra) that the host uses. */
interface SystemJs {
  set(id: string, namespace: object): void;
  addImportMap(map: { imports: Record<string, string> }): void;
  import(id: string): Promise<Record<string, unknown>>;
}

declare global {
  interface Window {
    System: SystemJs;
  }
}

export function systemJs(): SystemJs {
  if (!window.System) {
    throw new Error('SystemJS is not loaded (index.html loads it before the host bundle)');
  }
  return window.System;
}
