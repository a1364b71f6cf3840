// Runs in Node (main, CLI). Recognises barcode scanners among the HID devices the OS lists:
// HID POS scanners by their usage page, keyboard-mode (wedge) scanners by a table of common
// scanner vendor ids, and says in Korean what the installer can do with each.
import { HID_POS_USAGE_BAR_CODE_SCANNER, HID_POS_USAGE_PAGE } from './hidpos';

/** What node-hid (or a fake) reports about one HID top-level collection. */
export interface HidDeviceInfo {
  path?: string | undefined;
  vendorId: number;
  productId: number;
  usagePage?: number | undefined;
  usage?: number | undefined;
  product?: string | undefined;
  manufacturer?: string | undefined;
  serialNumber?: string | undefined;
  interface?: number | undefined;
  release?: number | undefined;
}

export interface ScannerVendor {
  vendorId: number;
  name: string;
  /** The vendor's configuration tool, where it has one. */
  tool: string | null;
}

/**
 * USB vendor ids of common barcode-scanner makers (names as in the USB ID registry, usb.ids).
 * resources/udev/70-munjigi-hidpos.rules grants access to the same list; a test keeps them equal.
 */
export const SCANNER_VENDORS: readonly ScannerVendor[] = [
  { vendorId: 0x0c2e, name: 'Honeywell (Metrologic)', tool: 'EZConfig-Scanning' },
  { vendorId: 0x0536, name: 'Honeywell (Hand Held Products)', tool: 'EZConfig-Scanning' },
  { vendorId: 0x067e, name: 'Honeywell (Intermec)', tool: 'EasySet' },
  { vendorId: 0x05e0, name: 'Zebra (Symbol Technologies)', tool: '123Scan' },
  { vendorId: 0x05f9, name: 'Datalogic (PSC Scanning)', tool: 'Aladdin' },
  { vendorId: 0x080c, name: 'Datalogic', tool: 'Aladdin' },
  { vendorId: 0x1eab, name: 'Newland', tool: 'EasySet' },
  { vendorId: 0x065a, name: 'Opticon', tool: 'OptiConfigure' },
  { vendorId: 0x27dd, name: 'Mindeo', tool: null },
];

const HID_GENERIC_DESKTOP = 0x01;
const HID_USAGE_KEYBOARD = 0x06;

export const scannerVendor = (vendorId: number): ScannerVendor | undefined => SCANNER_VENDORS.find((v) => v.vendorId === vendorId);

export type DeviceKind =
  /** Usage page 0x8C / usage 0x02: Munjigi opens it and reads whole scans. */
  | 'hidpos'
  /** A keyboard interface of a known scanner maker: the OS owns it, scans arrive as typed keys (wedge). */
  | 'keyboard-scanner'
  /** Another interface of a known scanner maker (configuration, a second collection…). */
  | 'scanner-other'
  | 'other';

export function classifyDevice(d: HidDeviceInfo): DeviceKind {
  if (d.usagePage === HID_POS_USAGE_PAGE && d.usage === HID_POS_USAGE_BAR_CODE_SCANNER) return 'hidpos';
  if (!scannerVendor(d.vendorId)) return 'other';
  return d.usagePage === HID_GENERIC_DESKTOP && d.usage === HID_USAGE_KEYBOARD ? 'keyboard-scanner' : 'scanner-other';
}

const hex4 = (n: number) => n.toString(16).padStart(4, '0');

/** "Honeywell Xenon 1950g (0c2e:0b61)": for status lines and messages; never includes the serial number. */
export function deviceLabel(d: HidDeviceInfo): string {
  const name = [d.manufacturer, d.product].filter((s): s is string => typeof s === 'string' && s.trim() !== '').map((s) => s.trim().slice(0, 60));
  const fallback = scannerVendor(d.vendorId)?.name ?? 'HID 장치';
  return `${name.length > 0 ? name.join(' ') : fallback} (${hex4(d.vendorId)}:${hex4(d.productId)})`;
}

/** What the setup screen and `munjigi devices` tell the installer about a device, in Korean. */
export function deviceAdvice(d: HidDeviceInfo): string | null {
  const kind = classifyDevice(d);
  if (kind === 'hidpos') return 'HID POS 스캐너입니다. 문지기가 직접 열어 스캔을 한 번에 받습니다.';
  if (kind === 'other') return null;
  const vendor = scannerVendor(d.vendorId);
  const tool = vendor?.tool ? ` 또는 제조사 설정 프로그램(${vendor.tool})` : '';
  const howTo = `HID POS 모드로 바꾸려면 제품 설명서의 USB 인터페이스 설정 바코드 중 "USB HID POS"를 스캔${tool}으로 바꾼 뒤 스캐너를 다시 꽂으세요.`;
  if (kind === 'keyboard-scanner') {
    return `키보드(웨지) 모드 스캐너입니다. 지금 그대로 써도 됩니다: 키 입력으로 읽습니다. ${howTo} HID POS 모드는 QR 코드를 한 번에 받아 더 빠르고, 한글 입력기 상태와 상관없이 읽힙니다.`;
  }
  return `스캐너 제조사(${vendor?.name ?? hex4(d.vendorId)})의 다른 인터페이스입니다. 스캔 입력으로 쓰지 않습니다.`;
}
