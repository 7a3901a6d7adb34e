/**
 * All OpenFlow codec vectors. `validVectors` decode to `message` and encode
 * back to `bytes`; `errorVectors` must raise OfCodecError with `code`.
 * Framing tests (src/southbound) reuse both lists.
 */
import { errorVectors } from './errors.js';
import type { ErrorVector, ValidVector } from './helpers.js';
import { modifyVectors } from './modify.js';
import { multipartVectors } from './multipart.js';
import { ovsCapturedVectors } from './ovs-captured.js';
import { symmetricVectors } from './symmetric.js';

export type { ErrorVector, ValidVector };
export { errorVectors };

export const validVectors: ValidVector[] = [...ovsCapturedVectors, ...symmetricVectors, ...modifyVectors, ...multipartVectors];
