// Runs in the renderer (pure, no DOM). When the camera may hand the next frame to the decoder:
// at most `maxPerSecond` decodes a second and never more than one frame in flight, so a slow
// decoder (or a slow machine) lowers the rate instead of queueing frames behind each other.
export interface FrameScheduler {
  /** Milliseconds until a frame may be sent (0 = now; Infinity = one is still being decoded). */
  waitMs(now: number): number;
  /** A frame was sent at `now`; false (and nothing recorded) when one is in flight or it is too early. */
  begin(now: number): boolean;
  /** The frame in flight came back (decoded or not). */
  end(): void;
  /** Forget the frame in flight (the worker was replaced or the camera stopped). */
  reset(): void;
  inFlight(): boolean;
  /** The interval between frame starts this scheduler keeps, in ms. */
  readonly intervalMs: number;
}

/** The limits the settings allow (src/shared/contract.ts camera.maxDecodesPerSecond). */
export const MIN_DECODES_PER_SECOND = 1;
export const MAX_DECODES_PER_SECOND = 15;

export function createFrameScheduler(maxPerSecond: number): FrameScheduler {
  if (!Number.isFinite(maxPerSecond)) throw new RangeError('maxPerSecond must be a number');
  const rate = Math.min(MAX_DECODES_PER_SECOND, Math.max(MIN_DECODES_PER_SECOND, Math.floor(maxPerSecond)));
  const intervalMs = 1000 / rate;
  let lastStart = Number.NEGATIVE_INFINITY;
  let busy = false;
  const waitMs = (now: number) => (busy ? Number.POSITIVE_INFINITY : Math.max(0, lastStart + intervalMs - now));
  return {
    intervalMs,
    waitMs,
    begin(now) {
      if (waitMs(now) > 0) return false;
      busy = true;
      lastStart = now;
      return true;
    },
    end() {
      busy = false;
    },
    reset() {
      busy = false;
    },
    inFlight: () => busy,
  };
}
