/**
 * A broken domain rule (bad score, impossible date, forbidden transition). Pure: carries no
 * HTTP status; the API layer maps `code` to a response. `messageVi` is what people see first;
 * `message` is the English text.
 */
export class DomainError extends Error {
  constructor(
    public readonly code: string,
    message: string,
    public readonly messageVi: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  get messageEn(): string {
    return this.message;
  }
}
