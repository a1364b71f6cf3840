// Runs in main and in the Node development host: the one place a call from the renderer is
// checked. Unknown channels are refused (deny by default), payloads are validated against the
// contract, and every outcome becomes an envelope. Thrown errors never leak stack traces.
import type { Channel, Request, Response } from './contract';
import { contract, isChannel } from './contract';
import type { Envelope } from './envelope';
import { CodedError, fail, ok } from './envelope';

export type Handlers = { [C in Channel]: (request: Request<C>) => Promise<Response<C>> | Response<C> };

export interface DispatchLogger {
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export function createDispatcher(handlers: Handlers, log: DispatchLogger) {
  return async function dispatch(channel: unknown, payload: unknown): Promise<Envelope<unknown>> {
    if (!isChannel(channel)) {
      log.warn('ipc refused: unknown channel', { channel: String(channel).slice(0, 64) });
      return fail('UNKNOWN_CHANNEL', '알 수 없는 요청입니다.');
    }
    const parsed = contract[channel].request.safeParse(payload ?? {});
    if (!parsed.success) {
      const where = parsed.error.issues[0]?.path.join('.') || '(요청 전체)';
      log.warn('ipc refused: invalid request', { channel, where });
      return fail('INVALID_REQUEST', `요청 형식이 올바르지 않습니다: ${where}`);
    }
    try {
      const handler = handlers[channel] as (r: unknown) => unknown;
      return ok(await handler(parsed.data));
    } catch (err) {
      if (err instanceof CodedError) return fail(err.code, err.message);
      log.error('ipc handler failed', { channel, error: err instanceof Error ? err.message : String(err) });
      return fail('INTERNAL', '처리 중 오류가 발생했습니다. 잠시 후 다시 시도해 주세요.');
    }
  };
}
