import { expect } from 'vitest';
import { DomainError } from './errors.js';

/** Run `fn` and return the DomainError it throws; fail the test if it returns or throws anything else. */
export function catchDomainError(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error('expected a DomainError, but the call returned normally');
}
