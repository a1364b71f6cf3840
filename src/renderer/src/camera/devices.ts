// Runs in the renderer. The cameras this computer has, for the setup screen's camera picker
// (src/renderer/src/devices). Labels are empty until the camera permission was granted once;
// then the picker shows "카메라 1", "카메라 2" in the browser's order.
export interface CameraInfo {
  /** MediaDeviceInfo.deviceId: what settings.camera.deviceId stores (null there = the first camera). */
  deviceId: string;
  /** The device's own name, or '' when the browser does not tell it yet. */
  label: string;
  /** 1-based position, for a fallback name. */
  index: number;
}

export interface MediaDevicesLike {
  enumerateDevices(): Promise<Array<Pick<MediaDeviceInfo, 'kind' | 'deviceId' | 'label'>>>;
}

const MAX_ID = 256; // settings.camera.deviceId is at most 256 characters

/** Video inputs only. Never throws: no mediaDevices, or a failing browser, gives an empty list. */
export async function listCameras(media: MediaDevicesLike | undefined = globalThis.navigator?.mediaDevices): Promise<CameraInfo[]> {
  if (!media || typeof media.enumerateDevices !== 'function') return [];
  let devices: Array<Pick<MediaDeviceInfo, 'kind' | 'deviceId' | 'label'>>;
  try {
    devices = await media.enumerateDevices();
  } catch {
    return [];
  }
  const cameras: CameraInfo[] = [];
  for (const d of devices) {
    if (d.kind !== 'videoinput' || typeof d.deviceId !== 'string' || d.deviceId.length > MAX_ID) continue;
    cameras.push({ deviceId: d.deviceId, label: typeof d.label === 'string' ? d.label.slice(0, 200) : '', index: cameras.length + 1 });
  }
  return cameras;
}

/** What a picker shows for a camera. */
export const cameraName = (c: CameraInfo, lang: 'ko' | 'en'): string => c.label || (lang === 'ko' ? `카메라 ${c.index}` : `Camera ${c.index}`);
