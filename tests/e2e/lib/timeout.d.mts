export declare class TimeoutFailure extends Error {
  constructor(what: string, timeoutMs: number);
  details: { timedOut: true; timeoutMs: number };
}
export declare function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T>;
