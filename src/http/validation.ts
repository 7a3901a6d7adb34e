import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { ValidationError } from '../errors/index.js';
import { addBigintKeywords, bigintAware } from './bigint-schema.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** Compiles request schemas once, at start-up; validation at request time is one call. */
export class SchemaCompiler {
  private readonly ajv: Ajv;

  constructor() {
    this.ajv = new Ajv({ allErrors: false, strict: false, coerceTypes: false, useDefaults: false });
    addFormats(this.ajv);
    addBigintKeywords(this.ajv);
  }

  /** `integer` and `number` in the schema also take bigints (integers beyond 2^53 - 1 as decoded). */
  compile(schema: object): (value: unknown) => void {
    const validate: ValidateFunction = this.ajv.compile(bigintAware(schema));
    return (value: unknown) => {
      if (!validate(value)) throw toValidationError(validate.errors?.[0]);
    };
  }
}

function toValidationError(error: ErrorObject | undefined): ValidationError {
  if (!error) return new ValidationError('invalid value', 'body');
  const path = error.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const missing = error.keyword === 'required' ? String((error.params as { missingProperty?: string }).missingProperty) : '';
  const field = [path, missing].filter(Boolean).join('.') || 'body';
  return new ValidationError(error.message ?? 'invalid value', field);
}
