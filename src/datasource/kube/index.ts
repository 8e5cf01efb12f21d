export {
  createKubeClient,
  DEFAULT_CACHE_TTL_MS,
  DEFAULT_PAGE_SIZE,
  KUBE_ROUTE_PREFIX,
  KubeClient,
  kubeProxyBaseUrl,
} from './client';
export type {
  AccessReviewRequest,
  AccessReviewResult,
  ApiGroupResources,
  CallOptions,
  GetOptions,
  KubeApi,
  KubeClientOptions,
  ListOptions,
  ListResult,
} from './client';
export { isKubeError, KubeError } from './errors';
export type { KubeErrorKind } from './errors';
export * from './resources';
export type { KubeFetch } from './transport';
export type { RetryPolicy, Sleep } from './retry';
export { DEFAULT_QUERY_DEADLINE_SECONDS, DEFAULT_REQUEST_TIMEOUT_SECONDS, deadlineIn, timeoutSignal } from './deadline';
export type { Deadline, TimeoutSignal } from './deadline';
