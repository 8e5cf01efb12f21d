import type { ClientRequest } from 'node:http';

/**
 * How long the test harness waits for one HTTP answer (headers and body) before it gives up. A bound of the harness,
 * not a rule of Grafana or Kubernetes: longer than any timeout the plugin itself applies, shorter than a check's.
 */
export const HARNESS_REQUEST_TIMEOUT_MS = 60_000;

/** The harness gave up on a request: no complete answer within HARNESS_REQUEST_TIMEOUT_MS. */
export class HarnessTimeout extends Error {}

/**
 * Destroys `request` with a HarnessTimeout unless `done()` is called within `timeoutMs` (call it when the response
 * has ended or the request failed).
 */
export function requestDeadline(request: ClientRequest, what: string, timeoutMs = HARNESS_REQUEST_TIMEOUT_MS) {
  const timer = setTimeout(
    () => request.destroy(new HarnessTimeout(`${what}: no complete answer within ${timeoutMs / 1000} s`)),
    timeoutMs
  );
  const done = () => clearTimeout(timer);
  request.on('close', done);
  return done;
}
