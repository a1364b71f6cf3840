// Runs under vitest (Node). Messages across the worker boundary are checked like any input.
import { describe, expect, it } from 'vitest';
import { MAX_SCAN_TEXT, parseFromWorker, parseToWorker } from './protocol';

describe('parseFromWorker', () => {
  it('accepts a decoded answer with or without text', () => {
    expect(parseFromWorker({ type: 'decoded', id: 3, text: 'KP1.x', ms: 4.2, error: null })).toEqual({ type: 'decoded', id: 3, text: 'KP1.x', ms: 4.2, error: null });
    expect(parseFromWorker({ type: 'decoded', id: 4, text: null, ms: 1, error: 'DECODER_FAILED' })?.error).toBe('DECODER_FAILED');
  });
  it.each([
    null,
    'KP1.x',
    { type: 'decoded', id: 1.5, text: null, ms: 1, error: null },
    { type: 'decoded', id: 1, text: 5, ms: 1, error: null },
    { type: 'decoded', id: 1, text: 'x'.repeat(MAX_SCAN_TEXT + 1), ms: 1, error: null },
    { type: 'decoded', id: 1, text: null, ms: Number.NaN, error: null },
    { type: 'decoded', id: 1, text: null, ms: 1, error: 'not a code <b>' },
    { type: 'other', id: 1, text: null, ms: 1, error: null },
  ])('refuses %j', (m) => {
    expect(parseFromWorker(m)).toBeNull();
  });
});

describe('parseToWorker', () => {
  const frame = { fake: 'bitmap' };
  const isFrame = (v: unknown) => v === frame;
  it('accepts configure with a known decoder and decode with a frame', () => {
    expect(parseToWorker({ type: 'configure', decoder: 'zxing-js' }, isFrame)).toEqual({ type: 'configure', decoder: 'zxing-js' });
    expect(parseToWorker({ type: 'decode', id: 1, frame }, isFrame)).toMatchObject({ type: 'decode', id: 1 });
  });
  it.each([
    { type: 'configure', decoder: 'quagga' },
    { type: 'decode', id: 1, frame: { other: true } },
    { type: 'decode', id: -0.5, frame },
    { type: 'eval', code: '1' },
    undefined,
  ])('refuses %j', (m) => {
    expect(parseToWorker(m, isFrame)).toBeNull();
  });
});
