// The parts of autocannon 9 (no bundled types) that the load runner uses.
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  export interface AutocannonOptions {
    url: string;
    method?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    connections?: number;
    duration?: number;
    amount?: number;
    pipelining?: number;
    timeout?: number;
    overallRate?: number;
    connectionRate?: number;
    excludeErrorStats?: boolean;
    bailout?: number;
    /** Request templates; `setupRequest` may rewrite each request (e.g. a distinct body). */
    requests?: Array<{ method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer; setupRequest?: (req: Record<string, unknown>) => Record<string, unknown> }>;
  }

  export interface AutocannonResult {
    duration: number;
    errors: number;
    timeouts: number;
    requests: { sent: number; total: number };
  }

  export interface Instance extends EventEmitter {
    stop(): void;
  }

  export type Callback = (error: Error | null, result: AutocannonResult) => void;

  function autocannon(options: AutocannonOptions, callback: Callback): Instance;
  export default autocannon;
}
