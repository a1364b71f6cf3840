// Runs in Node (the demo development host). One simulated HID POS scanner, plugged in from the
// start, so the 장치 설정 screen has a device to show in a browser without USB hardware; the
// demo:hidReports channel hands it recorded 64-byte reports, which go through the real manager
// and parser exactly as node-hid's would.
import { createFakeHid, hidPosDevice } from './fakeHid';
import type { HidLike } from './manager';

export const SIMULATED_HID_PATH = 'simulated:hidpos-1';

export interface SimulatedHid {
  hid: HidLike;
  /** Delivers the reports in order; returns how many reached an open device (0 while HID is off). */
  deliver(reports: Uint8Array[]): number;
}

export function createSimulatedHid(): SimulatedHid {
  const fake = createFakeHid();
  // pid.codes' test id, so the simulated device never poses as a real maker's scanner.
  fake.plug(hidPosDevice(SIMULATED_HID_PATH, { vendorId: 0x1209, productId: 0x0001, manufacturer: 'Munjigi', product: '모의 HID POS 스캐너 (데모)' }));
  return {
    hid: fake.hid,
    deliver: (reports) => reports.reduce((n, report) => n + (fake.send(SIMULATED_HID_PATH, report) ? 1 : 0), 0),
  };
}
