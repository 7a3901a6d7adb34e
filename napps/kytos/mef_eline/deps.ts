/**
 * What the EVC service needs from the rest of the controller, as plain async
 * functions: index.ts binds them to topology's, pathfinder's and
 * flow_manager's asks; the invariant test binds them to in-memory fakes.
 */
import type { EventContract, FlowApplyResult, FoundPath, PathRequest, StoredFlowDoc, TimerHandle, TopologyJson } from '#sdk';
import type { FlowDict } from './flows.js';
import type { EvcDoc } from './model.js';
import type { MefElineSettings } from './settings.js';

export interface ServiceDeps {
  settings: MefElineSettings;
  now(): number;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  /** An async mutex by key; call the result to release. */
  lock(key: string): Promise<() => void>;
  topology(): Promise<TopologyJson>;
  /** Takes `count` free VLANs (the first free, or `tags`) on both ends of a link; rejects when there are none. */
  allocateLinkTags(linkId: string, req: { count?: number; tags?: number[] }): Promise<number[]>;
  releaseLinkTags(linkId: string, tags: number[]): Promise<void>;
  /** Takes the named VLANs on an interface; rejects (ConflictError) when one is in use. */
  allocateIntfTags(interfaceId: string, tags: number[]): Promise<void>;
  releaseIntfTags(interfaceId: string, tags: number[]): Promise<void>;
  findPaths(req: PathRequest): Promise<FoundPath[]>;
  /** Installs flows on a switch, answering once confirmed (flow_manager's `wait`). */
  install(dpid: string, flows: FlowDict[]): Promise<FlowApplyResult>;
  /** Deletes flows (non-strict, by match and cookie) on a switch. */
  remove(dpid: string, flows: Record<string, unknown>[]): Promise<FlowApplyResult>;
  /** flow_manager's stored flows (pending or installed) of these switches. */
  storedFlows?(dpids: string[]): Promise<Record<string, StoredFlowDoc[]>>;
  save(doc: EvcDoc): Promise<void>;
  /** Writes several documents in one durable write (all or nothing). */
  saveMany?(docs: EvcDoc[]): Promise<void>;
  /** Removes documents (archived EVCs past their retention) in one durable write. */
  removeMany?(ids: string[]): Promise<void>;
  /** Timers on the controller's clock (schedules). */
  timers?: { after(fn: () => void, ms: number): TimerHandle; cancel(handle: TimerHandle | undefined): void };
  emit<N extends string, P>(event: EventContract<N, P>, content: P): void;
}
