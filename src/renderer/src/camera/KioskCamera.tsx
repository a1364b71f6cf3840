// Runs in the renderer. Mounts the counter camera in the kiosk: one controller for the page's
// life, told on every change whether to run (camera source on, idle or result screen, page
// visible) and with which settings; decoded QR texts go to the kiosk's admit with source
// 'camera'. On the idle screen it shows the (optionally mirrored) preview and a status line that
// says in words what is wrong when the camera cannot be used; the scanners keep working anyway.
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { Lang } from '../i18n/text';
import { t } from '../i18n/text';
import type { Screen } from '../store/kiosk';
import { useKiosk, useKioskState } from '../screens/context';
import type { CameraController, CameraDeps } from './controller';
import { createCameraController } from './controller';
import type { CameraState } from './state';
import { INITIAL_CAMERA_STATE } from './state';
import { publishCameraState } from './status';
import './camera.css';

const subscribeVisibility = (fn: () => void) => {
  document.addEventListener('visibilitychange', fn);
  return () => document.removeEventListener('visibilitychange', fn);
};
const visibleNow = () => document.visibilityState === 'visible';

function browserCamera(onScan: CameraDeps['onScan']): CameraController {
  return createCameraController({
    getUserMedia: (c) => {
      if (!navigator.mediaDevices?.getUserMedia) return Promise.reject(Object.assign(new Error('no mediaDevices'), { name: 'NotFoundError' }));
      return navigator.mediaDevices.getUserMedia(c);
    },
    createWorker: () => {
      const w = new Worker(new URL('./decode.worker.ts', import.meta.url), { type: 'module', name: 'qr-decode' });
      return {
        postMessage: (m, transfer) => w.postMessage(m, transfer),
        terminate: () => w.terminate(),
        listen(onMessage, onError) {
          w.onmessage = (ev: MessageEvent) => onMessage(ev.data);
          w.onerror = (ev) => {
            ev.preventDefault();
            onError();
          };
          w.onmessageerror = () => onError();
        },
      };
    },
    createVideo: () => document.createElement('video'),
    grabFrame: (video) => createImageBitmap(video as HTMLVideoElement),
    onScan,
    now: () => performance.now(),
    setTimeout: (fn, ms) => window.setTimeout(fn, ms),
    clearTimeout: (h) => window.clearTimeout(h as number),
  });
}

const STATUS_KEY = {
  off: null,
  starting: 'cameraStarting',
  running: 'cameraRunning',
  denied: 'cameraDenied',
  missing: 'cameraMissing',
  error: 'cameraError',
} as const;

export function KioskCamera({ screen, lang }: { screen: Screen; lang: Lang }) {
  const { kiosk } = useKiosk();
  const enabled = useKioskState((s) => s.settings?.sources.camera ?? false);
  const camera = useKioskState((s) => s.settings?.camera ?? null);
  const visible = useSyncExternalStore(subscribeVisibility, visibleNow);
  // One controller for the component's life; dispose() only stops it, so React's StrictMode
  // remount (effects run, clean up, run again) starts the same controller again.
  const [controller] = useState<CameraController>(() => browserCamera((text, timing) => void kiosk.admit(text, 'camera', timing)));
  const [state, setState] = useState<CameraState>(INITIAL_CAMERA_STATE);
  const [decoded, setDecoded] = useState(0);
  const preview = useRef<HTMLVideoElement | null>(null);

  useEffect(() => {
    const off = controller.subscribe((s) => {
      setState(s);
      publishCameraState(s);
    });
    const onDevices = () => controller.devicesChanged();
    navigator.mediaDevices?.addEventListener?.('devicechange', onDevices);
    return () => {
      navigator.mediaDevices?.removeEventListener?.('devicechange', onDevices);
      off();
      controller.dispose();
      publishCameraState(INITIAL_CAMERA_STATE);
    };
  }, [controller]);

  useEffect(() => {
    if (camera) controller.update({ enabled, screen, visible }, camera);
  }, [controller, enabled, screen, visible, camera]);

  // The preview shows the controller's stream; decoding reads the controller's own element.
  const stream = state.phase === 'running' ? controller.stream() : null;
  const showPreview = enabled && screen === 'idle';
  useEffect(() => {
    const el = preview.current;
    if (!el) return;
    if (el.srcObject !== stream) el.srcObject = stream;
    if (stream) void el.play().catch(() => {});
  }, [stream, showPreview]);

  useEffect(() => {
    if (state.phase !== 'running') return;
    const h = window.setInterval(() => setDecoded(controller.stats().decoded), 1000);
    return () => window.clearInterval(h);
  }, [controller, state.phase]);

  if (!showPreview) return null;
  const key = STATUS_KEY[state.phase];
  const problem = state.phase === 'denied' || state.phase === 'missing' || state.phase === 'error';
  return (
    <figure className={`kiosk-camera camera-${state.phase}`} data-testid="camera" data-camera-state={state.phase} data-decoded={decoded} data-camera-error={state.errorName ?? undefined}>
      <video ref={preview} className={camera?.mirrored ? 'camera-preview mirrored' : 'camera-preview'} muted playsInline autoPlay aria-label={t('cameraPreview', lang)} hidden={state.phase !== 'running'} />
      {key && (
        <figcaption className={problem ? 'camera-status problem' : 'camera-status'} data-testid="camera-status" role={problem ? 'status' : undefined}>
          {problem && <span aria-hidden="true">⚠ </span>}
          {t(key, lang)}
          {problem && state.errorName && <span className="camera-code"> ({state.errorName})</span>}
        </figcaption>
      )}
    </figure>
  );
}
