import type { BackendSrvRequest, FetchResponse } from '@grafana/runtime';
import type { Observable } from 'rxjs';

import { cancelledError, type HttpFailure } from './errors';

/** The shape of `getBackendSrv().fetch`; injected so that tests can pass one that performs real HTTP. */
export type KubeFetch = <T>(options: BackendSrvRequest) => Observable<FetchResponse<T>>;

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  params?: Record<string, string | number>;
  data?: unknown;
  /**
   * A POST that changes nothing, such as a SelfSubjectAccessReview (the API server evaluates it and stores
   * nothing): safe to send again.
   */
  readOnly?: boolean;
}

export type HttpOutcome =
  { ok: true; data: unknown } | { ok: false; failure: HttpFailure; headers?: Pick<Headers, 'get'> };

interface FetchErrorLike {
  status: number;
  data?: unknown;
  cancelled?: boolean;
  headers?: Pick<Headers, 'get'>;
}

function isFetchErrorLike(value: unknown): value is FetchErrorLike {
  return typeof value === 'object' && value !== null && typeof (value as { status?: unknown }).status === 'number';
}

function toBackendSrvRequest(request: HttpRequest): BackendSrvRequest {
  return {
    url: request.url,
    method: request.method,
    params: request.params,
    data: request.data,
    headers: { Accept: 'application/json' },
    // Errors become messages of the panel or the health check; Grafana's toasts would duplicate them.
    showErrorAlert: false,
    showSuccessAlert: false,
  };
}

/**
 * One HTTP exchange. Resolves with the body or with the failure (never rejects for HTTP errors); rejects with a
 * cancellation KubeError when `signal` aborts, after unsubscribing, which makes backendSrv abort the request.
 */
export function fetchOnce(fetch: KubeFetch, request: HttpRequest, signal: AbortSignal): Promise<HttpOutcome> {
  return new Promise<HttpOutcome>((resolve, reject) => {
    if (signal.aborted) {
      reject(cancelledError());
      return;
    }
    let settled = false;
    const finish = (outcome: HttpOutcome) => {
      if (!settled) {
        settled = true;
        signal.removeEventListener('abort', onAbort);
        resolve(outcome);
      }
    };
    const subscription = fetch<unknown>(toBackendSrvRequest(request)).subscribe({
      next: (response) => finish({ ok: true, data: response.data }),
      error: (error: unknown) => {
        if (isFetchErrorLike(error) && (error.cancelled || error.status <= 0)) {
          // backendSrv marks requests it cancelled itself, and older versions use status -1 for them.
          finish({ ok: false, failure: { status: undefined } });
        } else if (isFetchErrorLike(error)) {
          finish({ ok: false, failure: { status: error.status, data: error.data }, headers: error.headers });
        } else {
          finish({
            ok: false,
            failure: { status: undefined, data: error instanceof Error ? error.message : undefined },
          });
        }
      },
      complete: () => finish({ ok: false, failure: { status: undefined } }),
    });
    function onAbort() {
      subscription.unsubscribe();
      if (!settled) {
        settled = true;
        reject(cancelledError());
      }
    }
    if (settled) {
      subscription.unsubscribe();
    } else {
      signal.addEventListener('abort', onAbort, { once: true });
    }
  });
}
