/** Schema versions of the collections the controller itself owns (auth). Version 1: the shapes of src/auth. */
import type { SchemaDeclaration } from '../sdk/schema.js';

export const CORE_SCHEMA: SchemaDeclaration = {
  users: { version: 1 },
  'lattice.secrets': { version: 1 },
  'lattice.audit': { version: 1 },
};
