// Runs in the renderer (pure, no DOM). The camera's state machine and the two decisions around
// it: whether the camera should run at all now, and what a getUserMedia failure means for the
// operator (denied, missing, or some other error). The controller (controller.ts) only applies
// these; the tests drive them directly.
export type CameraPhase = 'off' | 'starting' | 'running' | 'denied' | 'missing' | 'error';

export interface CameraState {
  phase: CameraPhase;
  /** The browser's error name (NotAllowedError, NotFoundError, …) for denied/missing/error; never a message with device data. */
  errorName: string | null;
  /** Label of the camera in use while running ('' when the browser gives none). */
  label: string;
  /** Starts attempted since the page loaded (for the status line and tests). */
  attempts: number;
}

export type CameraEvent =
  | { type: 'start' }
  | { type: 'started'; label: string }
  | { type: 'failed'; errorName: string }
  /** The track ended by itself (camera unplugged, taken by another program). */
  | { type: 'ended' }
  | { type: 'stop' };

export const INITIAL_CAMERA_STATE: CameraState = { phase: 'off', errorName: null, label: '', attempts: 0 };

/** A getUserMedia / play() failure as the operator should see it. */
export function classifyMediaError(errorName: string): 'denied' | 'missing' | 'error' {
  switch (errorName) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return 'denied';
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
    case 'ConstraintNotSatisfiedError':
    case 'NoCamera':
      return 'missing';
    default:
      return 'error';
  }
}

export function cameraReducer(state: CameraState, event: CameraEvent): CameraState {
  switch (event.type) {
    case 'start':
      if (state.phase === 'starting' || state.phase === 'running') return state;
      return { phase: 'starting', errorName: null, label: '', attempts: state.attempts + 1 };
    case 'started':
      // A start that finished after a stop is not running: the controller stops its tracks.
      if (state.phase !== 'starting') return state;
      return { ...state, phase: 'running', label: event.label };
    case 'failed':
      if (state.phase !== 'starting' && state.phase !== 'running') return state;
      return { ...state, phase: classifyMediaError(event.errorName), errorName: event.errorName, label: '' };
    case 'ended':
      if (state.phase !== 'running') return state;
      return { ...state, phase: 'missing', errorName: 'TrackEnded', label: '' };
    case 'stop':
      if (state.phase === 'off') return state;
      return { ...state, phase: 'off', errorName: null, label: '' };
  }
}

export interface RunConditions {
  /** settings.sources.camera */
  enabled: boolean;
  /** The kiosk screen that is up (src/renderer/src/store/kiosk.ts screenOf). */
  screen: 'idle' | 'result' | 'fault' | 'settings' | 'console';
  /** document.visibilityState === 'visible' */
  visible: boolean;
}

/** The camera runs only for visitors: enabled, page visible, on the idle or result screen. */
export const shouldRun = (c: RunConditions): boolean => c.enabled && c.visible && (c.screen === 'idle' || c.screen === 'result');

/** Whether a camera that is not running is worth another try by itself (a camera plugged in later). */
export const retriable = (phase: CameraPhase): boolean => phase === 'missing' || phase === 'error';

/** What the self-test (selftest:run) is told about the camera. */
export function selftestCamera(state: CameraState, enabled: boolean): 'ok' | 'denied' | 'missing' | 'disabled' | null {
  if (!enabled) return 'disabled';
  if (state.phase === 'running') return 'ok';
  if (state.phase === 'denied') return 'denied';
  if (state.phase === 'missing') return 'missing';
  return null;
}
