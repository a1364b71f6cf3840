// Runs in the renderer. What other parts of the renderer use of the camera: the kiosk's camera
// component, the camera list for the setup screen's picker, and the camera's live state.
export { KioskCamera } from './KioskCamera';
export type { CameraInfo } from './devices';
export { cameraName, listCameras } from './devices';
export type { CameraPhase, CameraState } from './state';
export { selftestCamera } from './state';
export { cameraState, onCameraState } from './status';
