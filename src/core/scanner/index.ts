// Runs in the Electron main process and the CLI. The scanner capability's public face: what the
// main process wires up (device manager, node-hid adapter, scan gate) and what the setup screen shows.
export type { DropReason, HidScan } from './hidpos';
export { DROP_TEXT, HID_POS_USAGE_BAR_CODE_SCANNER, HID_POS_USAGE_PAGE } from './hidpos';
export type { HidHandle, HidLike, HidPosScan, HidScanners, HidScannersOptions, HidScannerState, HidScannerStatus, KeyboardScanner } from './manager';
export { createHidScanners, HID_SCANNER_DEFAULTS } from './manager';
export { nodeHidAdapter } from './nodeHid';
export { UDEV_RULE_FILE } from './permissions';
export type { ScanGate } from './scanGate';
export { createScanGate, SCAN_GATE_DEFAULTS } from './scanGate';
export type { Symbology } from './symbology';
export { symbologyLabel } from './symbology';
export type { DeviceKind, HidDeviceInfo } from './vendors';
export { classifyDevice, deviceAdvice, deviceLabel, SCANNER_VENDORS } from './vendors';
