/**
 * Messages a SwitchConnection actor takes: those from outside are the
 * southbound's protocol (declared once, in src/southbound/actor-protocol.ts);
 * two more are raised inside the machine.
 */
import type { OfMessage } from '../../src/openflow/index.js';
import type { SwitchActorMessage } from '../../src/southbound/actor-protocol.js';

export * from '../../src/southbound/actor-protocol.js';

/** Raised internally after decoding a frame. */
export type InboundEvent = {
  type: 'of.in';
  message: OfMessage;
};

/** Raised internally when the codec rejected a frame. */
export type BadFrameEvent = {
  type: 'of.bad';
  frame: Buffer;
  ofType: number;
  ofCode: number;
  code: string;
};

export type SwitchConnectionEvent = SwitchActorMessage | InboundEvent | BadFrameEvent;
