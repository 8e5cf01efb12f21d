/** Read by the test runners from `window.hostStatus`: set once a harness page rendered or failed. */
export interface PageStatus {
  ready: boolean;
  error?: string;
  /** Module names the page provides to plugins through SystemJS. */
  sharedModules: string[];
  /** The plugin module the host page imported. */
  moduleUrl?: string;
  /** The dashboard uid the scenes page renders. */
  dashboard?: string;
}

declare global {
  interface Window {
    hostStatus: PageStatus;
  }
}
