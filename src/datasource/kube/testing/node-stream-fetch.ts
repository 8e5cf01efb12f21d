/**
 * The browser's streaming `fetch` for tests that run where it is missing (jsdom): a GET with node:http whose body
 * is a web ReadableStream, as `Response.body` is. Aborting the signal destroys the request.
 */
import http from 'node:http';
import { ReadableStream } from 'node:stream/web';

import type { StreamFetch, StreamResponse } from '../watch';

export function nodeStreamFetch(headers: Record<string, string> = {}): StreamFetch {
  return (url, init) =>
    new Promise<StreamResponse>((resolve, reject) => {
      const request = http.get(url, { headers: { ...headers, ...init.headers } }, (response) => {
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            response.on('data', (chunk: Buffer) => controller.enqueue(new Uint8Array(chunk)));
            response.on('end', () => controller.close());
            response.on('error', (error) => controller.error(error));
          },
          cancel() {
            response.destroy();
          },
        });
        resolve({
          status: response.statusCode ?? 0,
          body: body as unknown as globalThis.ReadableStream<Uint8Array>,
          text: async () => {
            const reader = body.getReader();
            const chunks: Uint8Array[] = [];
            for (let part = await reader.read(); !part.done; part = await reader.read()) {
              chunks.push(part.value);
            }
            return Buffer.concat(chunks).toString('utf8');
          },
        });
      });
      const abort = () => request.destroy(new Error('aborted'));
      if (init.signal.aborted) {
        abort();
      }
      init.signal.addEventListener('abort', abort, { once: true });
      request.on('error', reject);
    });
}
