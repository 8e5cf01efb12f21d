// Polling helpers.
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `probe()` until it returns a truthy value, which is returned. On timeout throws an error that names
 * `what` and includes the last value `describe()` reports (for the check's details).
 */
export async function waitFor(what, probe, { timeoutMs = 60000, intervalMs = 250, describe } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      const value = await probe();
      if (value) {
        return value;
      }
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      let state = '';
      if (describe) {
        try {
          state = `; last state: ${JSON.stringify(await describe())}`;
        } catch {
          // ignore
        }
      }
      const cause = lastError ? `; last error: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${state}${cause}`);
    }
    await sleep(intervalMs);
  }
}
