/**
 * Messages a SwitchConnection actor takes: the southbound's protocol, declared
 * once in src/southbound/actor-protocol.ts. Nothing is raised inside the
 * machine: a frame is decoded once and handled in the same step.
 */
import type { SwitchActorMessage } from '../../src/southbound/actor-protocol.js';

export * from '../../src/southbound/actor-protocol.js';

export type SwitchConnectionEvent = SwitchActorMessage;
