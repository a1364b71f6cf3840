// Runs in the renderer. The camera's current state for other screens (the device setup screen,
// the self-test) without reaching into the kiosk component: one value and its listeners.
import type { CameraState } from './state';
import { INITIAL_CAMERA_STATE } from './state';

let current: CameraState = INITIAL_CAMERA_STATE;
const listeners = new Set<(s: CameraState) => void>();

export function publishCameraState(state: CameraState): void {
  current = state;
  for (const l of listeners) l(state);
}

export const cameraState = (): CameraState => current;

export function onCameraState(listener: (s: CameraState) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
