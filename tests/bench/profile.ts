/**
 * A CPU profile of one measured phase, when `BENCH_CPU_PROFILE_DIR` names a directory: `<dir>/<name>.cpuprofile`
 * (open it in Chrome's DevTools, or summarise it with `npx tsx tests/bench/profileSummary.ts <file>`). Without it,
 * the phase just runs.
 */
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

export async function profiled<T>(name: string, phase: () => Promise<T>): Promise<T> {
  const dir = process.env.BENCH_CPU_PROFILE_DIR;
  if (!dir) {
    return phase();
  }
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  try {
    return await phase();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(path.join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}
