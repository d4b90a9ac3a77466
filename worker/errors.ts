import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * An HTTP error with a message in Vietnamese first and English second. `code` is stable
 * for API clients; the messages are for people.
 */
export class AppError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    public readonly code: string,
    public readonly messageVi: string,
    public readonly messageEn: string,
    public readonly details?: unknown,
  ) {
    super(status, { message: `${messageVi} / ${messageEn}` });
  }
}

export function errorBody(err: AppError): { error: { code: string; message: string; message_vi: string; message_en: string; details?: unknown } } {
  return {
    error: {
      code: err.code,
      message: err.message,
      message_vi: err.messageVi,
      message_en: err.messageEn,
      ...(err.details === undefined ? {} : { details: err.details }),
    },
  };
}
