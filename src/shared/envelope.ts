// Runs everywhere (main, preload, renderer, Node hosts). Every IPC answer is one of these.

/** A failure a person can read (Korean) with a stable code a program can match on. */
export interface AppError {
  code: string;
  message: string;
}

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: AppError };

export const ok = <T>(value: T): Envelope<T> => ({ ok: true, value });
export const fail = (code: string, message: string): Envelope<never> => ({ ok: false, error: { code, message } });

/** An error that carries a stable code through layers; anything else becomes INTERNAL. */
export class CodedError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CodedError';
  }
}
