// Runs under vitest (Node). The camera's state machine, the run decision and the error mapping.
import { describe, expect, it } from 'vitest';
import type { CameraEvent, CameraState } from './state';
import { cameraReducer, classifyMediaError, INITIAL_CAMERA_STATE, retriable, selftestCamera, shouldRun } from './state';

const run = (...events: CameraEvent[]): CameraState => events.reduce(cameraReducer, INITIAL_CAMERA_STATE);

describe('cameraReducer', () => {
  it('off → starting → running with the label, → off on stop', () => {
    const s = run({ type: 'start' }, { type: 'started', label: 'USB Camera' });
    expect(s).toEqual({ phase: 'running', errorName: null, label: 'USB Camera', attempts: 1 });
    expect(cameraReducer(s, { type: 'stop' }).phase).toBe('off');
  });

  it.each([
    ['NotAllowedError', 'denied'],
    ['SecurityError', 'denied'],
    ['NotFoundError', 'missing'],
    ['OverconstrainedError', 'missing'],
    ['NotReadableError', 'error'],
    ['AbortError', 'error'],
    ['DECODER_FAILED', 'error'],
    ['', 'error'],
  ] as const)('a start failing with %s is %s', (name, phase) => {
    const s = run({ type: 'start' }, { type: 'failed', errorName: name });
    expect(s.phase).toBe(phase);
    expect(s.errorName).toBe(name);
    expect(classifyMediaError(name)).toBe(phase);
  });

  it('a start that completes after a stop does not become running', () => {
    expect(run({ type: 'start' }, { type: 'stop' }, { type: 'started', label: 'x' }).phase).toBe('off');
  });

  it('a track that ends while running means the camera is missing', () => {
    const s = run({ type: 'start' }, { type: 'started', label: 'x' }, { type: 'ended' });
    expect(s).toMatchObject({ phase: 'missing', errorName: 'TrackEnded', label: '' });
  });

  it('ignores events that do not fit the phase and counts attempts', () => {
    expect(run({ type: 'started', label: 'x' })).toBe(INITIAL_CAMERA_STATE);
    expect(run({ type: 'failed', errorName: 'NotFoundError' })).toBe(INITIAL_CAMERA_STATE);
    expect(run({ type: 'ended' })).toBe(INITIAL_CAMERA_STATE);
    expect(run({ type: 'stop' })).toBe(INITIAL_CAMERA_STATE);
    const twice = run({ type: 'start' }, { type: 'start' });
    expect(twice.attempts).toBe(1);
    const retried = run({ type: 'start' }, { type: 'failed', errorName: 'NotFoundError' }, { type: 'start' });
    expect(retried).toMatchObject({ phase: 'starting', errorName: null, attempts: 2 });
  });
});

describe('shouldRun', () => {
  const base = { enabled: true, visible: true, screen: 'idle' } as const;
  it('runs for visitors only: enabled, visible, idle or result screen', () => {
    expect(shouldRun(base)).toBe(true);
    expect(shouldRun({ ...base, screen: 'result' })).toBe(true);
    expect(shouldRun({ ...base, enabled: false })).toBe(false);
    expect(shouldRun({ ...base, visible: false })).toBe(false);
    for (const screen of ['settings', 'console', 'fault'] as const) expect(shouldRun({ ...base, screen })).toBe(false);
  });
});

describe('retriable and selftestCamera', () => {
  it('retries a missing or failed camera, not a denied one', () => {
    expect(retriable('missing')).toBe(true);
    expect(retriable('error')).toBe(true);
    expect(retriable('denied')).toBe(false);
    expect(retriable('running')).toBe(false);
  });
  it('tells the self-test what the camera is', () => {
    const running = run({ type: 'start' }, { type: 'started', label: '' });
    expect(selftestCamera(running, true)).toBe('ok');
    expect(selftestCamera(running, false)).toBe('disabled');
    expect(selftestCamera(run({ type: 'start' }, { type: 'failed', errorName: 'NotAllowedError' }), true)).toBe('denied');
    expect(selftestCamera(run({ type: 'start' }, { type: 'failed', errorName: 'NotFoundError' }), true)).toBe('missing');
    expect(selftestCamera(INITIAL_CAMERA_STATE, true)).toBeNull();
  });
});
