/** Contracts of lattice/hello, the example NApp. */
import { defineEvent } from '../contract.js';

/** `lattice/hello.greeted`: a greeting was stored (published after the durable write). */
export const greeted = defineEvent<{ name: string; count: number }>()('lattice/hello.greeted');
