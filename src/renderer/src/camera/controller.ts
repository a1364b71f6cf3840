// Runs in the renderer. The counter camera: opens the chosen camera, feeds frames to the decode
// worker at the configured rate (one in flight), and hands each new QR text to `onScan` (the
// kiosk's admit with source 'camera'). It is declarative: `update()` says whether it should run
// and with which settings; it starts, stops or restarts to match. A missing, denied or failing
// camera becomes a state to show, never an exception; a missing one is retried.
import type { Settings } from '../../../shared/contract';
import type { DecodedMessage, ToWorker } from './protocol';
import { parseFromWorker } from './protocol';
import type { FrameScheduler } from './schedule';
import { createFrameScheduler } from './schedule';
import type { SightingFilter } from './sightings';
import { createSightingFilter } from './sightings';
import type { CameraEvent, CameraState, RunConditions } from './state';
import { cameraReducer, INITIAL_CAMERA_STATE, retriable, shouldRun } from './state';

export type CameraSettings = Settings['camera'];

/** The parts of a Worker the controller uses (a fake in tests). */
export interface WorkerLike {
  postMessage(message: ToWorker, transfer: Transferable[]): void;
  terminate(): void;
  /** Called once: where the worker's messages and load/run errors go. */
  listen(onMessage: (data: unknown) => void, onError: () => void): void;
}

/** The parts of a <video> element the controller uses. */
export interface VideoLike {
  srcObject: MediaProvider | null;
  muted: boolean;
  playsInline: boolean;
  readyState: number;
  videoWidth: number;
  play(): Promise<void>;
  pause(): void;
}

export interface CameraDeps {
  getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream>;
  createWorker(): WorkerLike;
  createVideo(): VideoLike;
  grabFrame(video: VideoLike): Promise<ImageBitmap>;
  /** A new code: its text and what the camera measured (frame grab to decoded text; empty frames since the last scan). */
  onScan(text: string, timing: { decodeMs: number; retries: number }): void;
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** A camera that is missing or failed is tried again after this long (ms). */
  retryMs?: number;
  /** A frame the worker has not answered after this long means a stuck worker: it is replaced. */
  workerTimeoutMs?: number;
}

export interface CameraController {
  getState(): CameraState;
  subscribe(listener: (state: CameraState) => void): () => void;
  /** The live stream while running, for the preview element (null otherwise). */
  stream(): MediaStream | null;
  /** What should happen now; call on every change of settings, screen or visibility. */
  update(conditions: RunConditions, camera: CameraSettings): void;
  /** A camera was plugged in or out (mediaDevices 'devicechange'): retry if it was missing. */
  devicesChanged(): void;
  /** Frames decoded so far and the last decode time (ms), for the status line and tests. */
  stats(): { decoded: number; found: number; lastMs: number | null; workerRestarts: number };
  /** Stop the camera and end the worker (listeners stay; a later update() starts again). */
  dispose(): void;
}

const HAVE_CURRENT_DATA = 2;
/** Decoder errors in a row before the camera reports an error instead of trying forever. */
const DECODER_ERROR_LIMIT = 5;

export function createCameraController(deps: CameraDeps): CameraController {
  const retryMs = deps.retryMs ?? 5000;
  const workerTimeoutMs = deps.workerTimeoutMs ?? 5000;
  let state = INITIAL_CAMERA_STATE;
  const listeners = new Set<(s: CameraState) => void>();
  let wanted = false;
  let settings: CameraSettings | null = null;
  /** Which start the pending async work belongs to; a stop or restart makes older work moot. */
  let generation = 0;
  let stream: MediaStream | null = null;
  let video: VideoLike | null = null;
  let worker: WorkerLike | null = null;
  let workerDecoder: string | null = null;
  let scheduler: FrameScheduler = createFrameScheduler(8);
  const sightings: SightingFilter = createSightingFilter();
  let frameTimer: unknown = null;
  let retryTimer: unknown = null;
  let watchdog: unknown = null;
  let frameId = 0;
  let decoderErrors = 0;
  /** When the frame in flight was grabbed; frames read without a code since the last scan. */
  let frameStartedAt = 0;
  let misses = 0;
  const counters = { decoded: 0, found: 0, lastMs: null as number | null, workerRestarts: 0 };

  const dispatch = (event: CameraEvent) => {
    const next = cameraReducer(state, event);
    if (next === state) return;
    state = next;
    for (const l of listeners) l(state);
  };

  const clearTimer = (h: unknown) => {
    if (h !== null) deps.clearTimeout(h);
  };

  const releaseStream = () => {
    clearTimer(frameTimer);
    clearTimer(watchdog);
    frameTimer = watchdog = null;
    frameId += 1; // an answer still on its way belongs to the run that just ended
    if (stream) for (const track of stream.getTracks()) track.stop();
    stream = null;
    if (video) {
      video.pause();
      video.srcObject = null;
    }
    scheduler.reset();
  };

  const dropWorker = () => {
    worker?.terminate();
    worker = null;
    workerDecoder = null;
  };

  const ensureWorker = (): WorkerLike => {
    if (!worker) {
      const w = deps.createWorker();
      w.listen(
        (data) => {
          if (worker === w) onAnswer(parseFromWorker(data));
        },
        () => {
          // A worker that fails to load or throws is replaced at the next start.
          if (worker !== w) return;
          dropWorker();
          failDecoder('DECODER_FAILED');
        },
      );
      worker = w;
    }
    const decoder = settings?.decoder ?? 'zxing-wasm';
    if (workerDecoder !== decoder) {
      worker.postMessage({ type: 'configure', decoder }, []);
      workerDecoder = decoder;
    }
    return worker;
  };

  const scheduleFrame = (delay: number) => {
    clearTimer(frameTimer);
    frameTimer = deps.setTimeout(() => {
      frameTimer = null;
      void sendFrame();
    }, Math.max(0, delay));
  };

  const sendFrame = async () => {
    if (state.phase !== 'running' || !video) return;
    const now = deps.now();
    const wait = scheduler.waitMs(now);
    if (wait === Number.POSITIVE_INFINITY) return; // the answer schedules the next frame
    if (wait > 0) return scheduleFrame(wait);
    if (video.readyState < HAVE_CURRENT_DATA || video.videoWidth === 0) return scheduleFrame(scheduler.intervalMs);
    const gen = generation;
    scheduler.begin(now);
    frameStartedAt = now;
    let frame: ImageBitmap;
    try {
      frame = await deps.grabFrame(video);
    } catch {
      scheduler.end();
      if (gen === generation) scheduleFrame(scheduler.intervalMs);
      return;
    }
    if (gen !== generation || state.phase !== 'running') {
      frame.close();
      scheduler.end();
      return;
    }
    const id = ++frameId;
    try {
      ensureWorker().postMessage({ type: 'decode', id, frame }, [frame]);
    } catch {
      frame.close();
      scheduler.end();
      failDecoder('DECODER_FAILED');
      return;
    }
    clearTimer(watchdog);
    watchdog = deps.setTimeout(() => {
      // No answer: the worker is stuck. Replace it and go on.
      watchdog = null;
      if (id !== frameId) return;
      counters.workerRestarts += 1;
      dropWorker();
      scheduler.end();
      if (state.phase === 'running') scheduleFrame(0);
    }, workerTimeoutMs);
  };

  const onAnswer = (msg: DecodedMessage | null) => {
    if (!msg || msg.id !== frameId) return; // unknown, or an answer for a frame of an older run
    clearTimer(watchdog);
    watchdog = null;
    scheduler.end();
    counters.decoded += 1;
    counters.lastMs = msg.ms;
    if (msg.error) {
      decoderErrors += 1;
      if (decoderErrors >= DECODER_ERROR_LIMIT) return failDecoder(msg.error);
    } else {
      decoderErrors = 0;
    }
    if (msg.text !== null && msg.text.length > 0) {
      counters.found += 1;
      const now = deps.now();
      if (sightings.sighted(msg.text, now)) {
        deps.onScan(msg.text, { decodeMs: Math.min(60_000, Math.max(0, now - frameStartedAt)), retries: Math.min(1000, misses) });
        misses = 0;
      }
    } else if (!msg.error) {
      misses += 1;
    }
    if (state.phase === 'running') scheduleFrame(scheduler.waitMs(deps.now()));
  };

  const failDecoder = (code: string) => {
    if (state.phase !== 'running' && state.phase !== 'starting') return;
    generation += 1;
    releaseStream();
    dispatch({ type: 'failed', errorName: code });
    scheduleRetry();
  };

  const scheduleRetry = () => {
    clearTimer(retryTimer);
    retryTimer = null;
    if (!wanted || !retriable(state.phase)) return;
    retryTimer = deps.setTimeout(() => {
      retryTimer = null;
      if (wanted && retriable(state.phase)) start();
    }, retryMs);
  };

  const constraints = (): MediaStreamConstraints => {
    const size = { width: { ideal: 1280 }, height: { ideal: 720 } };
    const id = settings?.deviceId ?? null;
    return { audio: false, video: id ? { ...size, deviceId: { exact: id } } : size };
  };

  const start = () => {
    const gen = ++generation;
    dispatch({ type: 'start' });
    scheduler = createFrameScheduler(settings?.maxDecodesPerSecond ?? 8);
    decoderErrors = 0;
    misses = 0;
    sightings.clear();
    let request: Promise<MediaStream>;
    try {
      request = deps.getUserMedia(constraints());
    } catch (e) {
      request = Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
    void request
      .then(async (s) => {
        if (gen !== generation) {
          for (const track of s.getTracks()) track.stop();
          return;
        }
        stream = s;
        const track = s.getVideoTracks()[0];
        if (!track) throw Object.assign(new Error('no video track'), { name: 'NotFoundError' });
        track.addEventListener('ended', () => {
          if (gen !== generation) return;
          generation += 1;
          releaseStream();
          dispatch({ type: 'ended' });
          scheduleRetry();
        });
        video ??= deps.createVideo();
        video.muted = true;
        video.playsInline = true;
        video.srcObject = s;
        await video.play();
        if (gen !== generation) return;
        ensureWorker();
        dispatch({ type: 'started', label: typeof track.label === 'string' ? track.label.slice(0, 200) : '' });
        scheduleFrame(0);
      })
      .catch((e: unknown) => {
        if (gen !== generation) return;
        generation += 1;
        releaseStream();
        const name = e instanceof Error || (typeof e === 'object' && e !== null && 'name' in e) ? String((e as { name: unknown }).name) : 'Error';
        dispatch({ type: 'failed', errorName: /^[A-Za-z]{1,64}$/.test(name) ? name : 'Error' });
        scheduleRetry();
      });
  };

  const stop = () => {
    generation += 1;
    clearTimer(retryTimer);
    retryTimer = null;
    releaseStream();
    dispatch({ type: 'stop' });
  };

  const sameStart = (a: CameraSettings | null, b: CameraSettings) => a !== null && a.deviceId === b.deviceId && a.maxDecodesPerSecond === b.maxDecodesPerSecond;

  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stream: () => (state.phase === 'running' ? stream : null),
    update(conditions, camera) {
      const nextWanted = shouldRun(conditions);
      const restart = !sameStart(settings, camera);
      const decoderChanged = settings !== null && settings.decoder !== camera.decoder;
      settings = { ...camera };
      wanted = nextWanted;
      if (!wanted) {
        stop();
        return;
      }
      if (decoderChanged && worker) ensureWorker(); // the next frame uses the new decoder
      const active = state.phase === 'starting' || state.phase === 'running';
      if (active && restart) {
        stop();
        start();
      } else if (!active && (state.phase === 'off' || restart)) {
        start();
      } else if (!active && retryTimer === null) {
        scheduleRetry();
      }
    },
    devicesChanged() {
      if (wanted && retriable(state.phase)) start();
    },
    stats: () => ({ ...counters }),
    dispose() {
      // Stops the camera and ends the worker; a later update() starts both again.
      wanted = false;
      settings = null;
      stop();
      dropWorker();
    },
  };
}
