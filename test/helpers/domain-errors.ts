import { DomainError, type DomainErrorCode } from '../../worker/domain/errors';

/** The code of the DomainError `fn` throws, or null when it throws nothing; any other error is rethrown. */
export function codeOf(fn: () => unknown): DomainErrorCode | null {
  try {
    fn();
    return null;
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
}
