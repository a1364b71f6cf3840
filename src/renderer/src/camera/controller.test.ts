// Runs under vitest (Node). The camera controller with a fake browser: a camera that is denied
// or missing is a state (and a missing one is retried), never an exception; frames go to the
// worker at the capped rate with one in flight; a code held in view is one scan; stopping ends
// the tracks; a stuck worker is replaced; answers from an older run are ignored.
import { describe, expect, it } from 'vitest';
import { manualTimers } from '../testing/manualTimers';
import type { CameraSettings, VideoLike, WorkerLike } from './controller';
import { createCameraController } from './controller';
import type { ToWorker } from './protocol';

const flush = () => new Promise<void>((done) => globalThis.setTimeout(done, 0));
const CAMERA: CameraSettings = { deviceId: null, decoder: 'zxing-wasm', maxDecodesPerSecond: 8, mirrored: true };
const RUN = { enabled: true, screen: 'idle', visible: true } as const;

class FakeTrack extends EventTarget {
  readyState: 'live' | 'ended' = 'live';
  label = 'Fake Cam';
  stop() {
    this.readyState = 'ended';
  }
}

function harness(opts: { fail?: string; noWorkerAnswer?: boolean } = {}) {
  const timers = manualTimers();
  const tracks: FakeTrack[] = [];
  const workers: Array<{ sent: ToWorker[]; terminated: boolean; answer: (data: unknown) => void; crash: () => void }> = [];
  const scans: string[] = [];
  const timings: Array<{ decodeMs: number; retries: number }> = [];
  const constraints: MediaStreamConstraints[] = [];
  let failWith = opts.fail ?? null;
  const video: VideoLike = { srcObject: null, muted: false, playsInline: false, readyState: 4, videoWidth: 640, play: () => Promise.resolve(), pause: () => {} };
  const c = createCameraController({
    getUserMedia: (con) => {
      constraints.push(con);
      if (failWith) return Promise.reject(Object.assign(new Error('x'), { name: failWith }));
      const track = new FakeTrack();
      tracks.push(track);
      return Promise.resolve({ getTracks: () => [track], getVideoTracks: () => [track] } as unknown as MediaStream);
    },
    createWorker: () => {
      const w = { sent: [] as ToWorker[], terminated: false, answer: (_d: unknown) => {}, crash: () => {} };
      workers.push(w);
      const like: WorkerLike = {
        postMessage: (m) => w.sent.push(m),
        terminate: () => (w.terminated = true),
        listen: (onMessage, onError) => {
          w.answer = onMessage;
          w.crash = onError;
        },
      };
      return like;
    },
    createVideo: () => video,
    grabFrame: () => Promise.resolve({ close() {} } as unknown as ImageBitmap),
    onScan: (t, timing) => {
      scans.push(t);
      timings.push(timing);
    },
    now: timers.now,
    setTimeout: timers.setTimeout,
    clearTimeout: timers.clearTimeout,
    retryMs: 5000,
    workerTimeoutMs: 5000,
  });
  const frames = () => workers.flatMap((w) => w.sent.filter((m) => m.type === 'decode'));
  /** Answer the newest frame sent to the newest worker. */
  const answer = (text: string | null, error: string | null = null) => {
    const w = workers.at(-1)!;
    const last = w.sent.filter((m) => m.type === 'decode').at(-1) as { id: number };
    w.answer({ type: 'decoded', id: last.id, text, ms: 3, error });
  };
  const step = async (ms: number) => {
    timers.advance(ms);
    await flush();
  };
  return { c, timers, tracks, workers, scans, timings, frames, answer, step, constraints, setFail: (n: string | null) => (failWith = n) };
}

describe('createCameraController', () => {
  it('starts, sends frames at most 8 a second with one in flight, and admits a held code once', async () => {
    const h = harness();
    h.c.update(RUN, CAMERA);
    expect(h.c.getState().phase).toBe('starting');
    await h.step(0);
    expect(h.c.getState()).toMatchObject({ phase: 'running', label: 'Fake Cam' });
    expect(h.workers[0]!.sent[0]).toEqual({ type: 'configure', decoder: 'zxing-wasm' });
    await h.step(0);
    expect(h.frames()).toHaveLength(1);
    await h.step(1000); // no answer yet: nothing more is sent
    expect(h.frames()).toHaveLength(1);
    // answer every frame at once for 2 s: at most 8/s
    for (let t = 0; t < 2000; t += 5) {
      if (h.frames().length > 0) h.answer('KP1.held');
      await h.step(5);
    }
    expect(h.frames().length).toBeGreaterThanOrEqual(15);
    expect(h.frames().length).toBeLessThanOrEqual(18);
    expect(h.scans).toEqual(['KP1.held']);
  });

  it('tells admit how long the decoding frame took and how many empty frames came before it', async () => {
    const h = harness();
    h.c.update(RUN, CAMERA);
    await h.step(0);
    await h.step(0);
    for (let i = 0; i < 3; i++) {
      h.answer(null); // no code in view yet
      await h.step(125);
    }
    await h.step(40); // this frame takes 40 ms to decode
    h.answer('KP1.new');
    expect(h.scans).toEqual(['KP1.new']);
    expect(h.timings).toEqual([{ decodeMs: 40, retries: 3 }]);
  });

  it('a denied camera is a state, not retried; the constraints ask for video only', async () => {
    const h = harness({ fail: 'NotAllowedError' });
    h.c.update(RUN, CAMERA);
    await h.step(0);
    expect(h.c.getState()).toMatchObject({ phase: 'denied', errorName: 'NotAllowedError' });
    expect(h.constraints[0]?.audio).toBe(false);
    await h.step(60_000);
    expect(h.constraints).toHaveLength(1);
  });

  it('a missing camera is retried and runs once it is there; a chosen camera is asked for exactly', async () => {
    const h = harness({ fail: 'OverconstrainedError' });
    h.c.update(RUN, { ...CAMERA, deviceId: 'cam-2' });
    await h.step(0);
    expect(h.c.getState().phase).toBe('missing');
    expect((h.constraints[0]?.video as MediaTrackConstraints).deviceId).toEqual({ exact: 'cam-2' });
    h.c.update(RUN, { ...CAMERA, deviceId: 'cam-2' }); // a status poll re-renders: the retry timer is not reset
    h.setFail(null);
    await h.step(5000);
    expect(h.c.getState().phase).toBe('running');
  });

  it('stops the tracks when it should not run, and an unplugged camera becomes missing', async () => {
    const h = harness();
    h.c.update(RUN, CAMERA);
    await h.step(0);
    h.c.update({ ...RUN, screen: 'settings' }, CAMERA);
    expect(h.c.getState().phase).toBe('off');
    expect(h.tracks[0]!.readyState).toBe('ended');
    expect(h.c.stream()).toBeNull();
    h.c.update({ ...RUN, screen: 'result' }, CAMERA);
    await h.step(0);
    expect(h.c.getState().phase).toBe('running');
    h.tracks[1]!.dispatchEvent(new Event('ended'));
    expect(h.c.getState()).toMatchObject({ phase: 'missing', errorName: 'TrackEnded' });
  });

  it('ignores an answer from before a restart and replaces a stuck worker', async () => {
    const h = harness();
    h.c.update(RUN, CAMERA);
    await h.step(0);
    await h.step(0);
    const stale = h.frames()[0] as { id: number };
    h.c.update({ ...RUN, visible: false }, CAMERA);
    h.c.update(RUN, CAMERA);
    await h.step(0);
    h.workers[0]!.answer({ type: 'decoded', id: stale.id, text: 'KP1.old', ms: 1, error: null });
    expect(h.scans).toEqual([]);
    await h.step(0);
    const before = h.workers.length;
    await h.step(5000); // the newest frame is never answered
    expect(h.workers[before - 1]!.terminated).toBe(true);
    expect(h.c.stats().workerRestarts).toBeGreaterThanOrEqual(1);
    await h.step(0);
    expect(h.workers.length).toBe(before + 1);
  });

  it('a decoder that keeps failing (or a worker that crashes) turns into an error state and is retried', async () => {
    const h = harness();
    h.c.update(RUN, CAMERA);
    await h.step(0);
    for (let i = 0; i < 5; i++) {
      await h.step(200);
      h.answer(null, 'DECODER_FAILED');
    }
    expect(h.c.getState()).toMatchObject({ phase: 'error', errorName: 'DECODER_FAILED' });
    expect(h.tracks[0]!.readyState).toBe('ended');
    await h.step(5000);
    expect(h.c.getState().phase).toBe('running');
    h.workers.at(-1)!.crash();
    expect(h.c.getState().phase).toBe('error');
  });

  it('ignores malformed worker messages and a changed decoder reconfigures the worker', async () => {
    const h = harness();
    h.c.update(RUN, CAMERA);
    await h.step(0);
    await h.step(0);
    h.workers[0]!.answer({ type: 'decoded', id: 'x', text: 'KP1.bad' });
    h.workers[0]!.answer('KP1.raw');
    expect(h.scans).toEqual([]);
    h.c.update(RUN, { ...CAMERA, decoder: 'zxing-js' });
    expect(h.workers[0]!.sent.filter((m) => m.type === 'configure').at(-1)).toEqual({ type: 'configure', decoder: 'zxing-js' });
    expect(h.c.getState().phase).toBe('running'); // no restart of the camera for a decoder change
  });
});
