import type { Message } from '../../src/sdk/index.js';

/** Start (or restart after a disable) the NApp. */
export interface StartEvent {
  type: 'napp.start';
}

/** Stop the NApp: run its shutdown, unmount its routes. */
export interface StopEvent {
  type: 'napp.stop';
}

export type NAppHostEvent = StartEvent | StopEvent | Message;

export const start = (): StartEvent => ({ type: 'napp.start' });
export const stop = (): StopEvent => ({ type: 'napp.stop' });
