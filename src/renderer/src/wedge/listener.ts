// Runs in the renderer. Listens to the window's keydowns (capture phase) and feeds the shared
// wedge decoder with the browser's own event timing; each completed scan goes to `onScan`.
// Keys typed into form fields, or anywhere inside [data-allow-typing], never reach the decoder.
import type { WedgeDecoder, WedgeOptions } from '../../../shared/wedge';
import { createWedgeDecoder } from '../../../shared/wedge';

/** The parts of an element the typing check reads (so it can be tested without a DOM). */
export interface ElementLike {
  tagName?: string;
  isContentEditable?: boolean;
  closest?(selector: string): unknown;
}

/** True when keys on this target belong to a person typing, not to a scanner. */
export function isTypingTarget(target: unknown): boolean {
  if (typeof target !== 'object' || target === null) return false;
  const el = target as ElementLike;
  const tag = typeof el.tagName === 'string' ? el.tagName.toUpperCase() : '';
  if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (el.isContentEditable === true) return true;
  return typeof el.closest === 'function' && el.closest('[data-allow-typing], [contenteditable]:not([contenteditable="false"])') !== null;
}

export interface KeyEventLike {
  type: string;
  key: string;
  code: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  repeat?: boolean;
  timeStamp: number;
  target: unknown;
  preventDefault(): void;
  stopPropagation(): void;
}

/** Never wait longer than this beyond idleMs, however far behind the machine is. */
const MAX_LAG_ALLOWANCE_MS = 1000;

export interface WedgeListenerDeps {
  target: { addEventListener(type: 'keydown', fn: (ev: KeyEventLike) => void, capture: boolean): void; removeEventListener(type: 'keydown', fn: (ev: KeyEventLike) => void, capture: boolean): void };
  /**
   * decodeMs: first key of the burst to the scan complete (its Enter, or the idle gap that ended it).
   * typing.charsPerSecond: the scanner's own speed, first to last character key (null for a 1-key scan).
   */
  onScan(data: string, timing: { decodeMs: number }, typing: { charsPerSecond: number | null }): void;
  /** Same timebase as event.timeStamp (performance.now in a browser). */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  options?: WedgeOptions;
}

export interface WedgeListener {
  /** New timing from settings; a burst in progress is dropped. */
  configure(options: WedgeOptions): void;
  stop(): void;
}

export function startWedgeListener(deps: WedgeListenerDeps): WedgeListener {
  let options: WedgeOptions = deps.options ?? {};
  let decoder: WedgeDecoder = createWedgeDecoder(options);
  let idleTimer: unknown = null;
  /** How far behind the keys' timestamps the last key was handled (ms, ≥ 0). */
  let lag = 0;
  const idleMs = () => options.idleMs ?? 100;
  /** timeStamp of the first key of the burst in progress (per-scan decode time). */
  let burstStart: number | null = null;
  /** timeStamp of the last key that added a character (typing speed excludes the suffix and the idle wait). */
  let lastCharAt: number | null = null;

  const emit = (scans: string[], completedAt: number) => {
    const decodeMs = burstStart === null ? 0 : Math.max(0, completedAt - burstStart);
    const span = burstStart === null || lastCharAt === null ? 0 : lastCharAt - burstStart;
    if (decoder.pending() === 0) burstStart = null;
    for (const s of scans) {
      const charsPerSecond = span > 0 && s.length > 1 ? Math.round(((s.length - 1) * 1000) / span) : null;
      deps.onScan(s, { decodeMs }, { charsPerSecond });
    }
  };

  const armIdle = () => {
    if (idleTimer !== null) deps.clearTimeout(idleTimer);
    idleTimer = null;
    if (decoder.pending() === 0) return;
    // The burst ends after idleMs of silence in the keys' own timeline. When the machine is
    // busy, keys are handled later than they were typed (lag = now - timeStamp) and can arrive
    // in clumps; waiting idleMs + lag keeps a stalled delivery from cutting a scan in two.
    // The timer is re-armed by every key handled.
    idleTimer = deps.setTimeout(() => {
      idleTimer = null;
      emit(decoder.flush(), deps.now());
    }, idleMs() + Math.min(MAX_LAG_ALLOWANCE_MS, lag));
  };

  const onKeyDown = (ev: KeyEventLike) => {
    if (isTypingTarget(ev.target)) return;
    // Auto-repeat is a held key, never a scanner.
    if (ev.repeat) {
      decoder.reset();
      armIdle();
      return;
    }
    lag = Math.max(0, deps.now() - ev.timeStamp);
    const before = decoder.pending();
    if (before === 0) burstStart = ev.timeStamp;
    const scans = decoder.push({
      type: 'keydown', key: ev.key, code: ev.code, shiftKey: ev.shiftKey, t: ev.timeStamp,
      ctrlKey: ev.ctrlKey, altKey: ev.altKey, metaKey: ev.metaKey,
    });
    const after = decoder.pending();
    // A gap too long for a scanner restarted the burst at this key.
    if (after > 0 && after < before) burstStart = ev.timeStamp;
    if (after > before || (after > 0 && after < before)) lastCharAt = ev.timeStamp;
    // Inside a burst (this key followed another at scanner speed, or ended a scan) the key is
    // the scanner's: keep it from triggering shortcuts or button presses. A lone first key is
    // left alone so Space/Enter on a focused button still work.
    if (scans.length > 0 || (after >= 2 && after >= before)) {
      ev.preventDefault();
      ev.stopPropagation();
    }
    armIdle();
    emit(scans, ev.timeStamp);
  };

  deps.target.addEventListener('keydown', onKeyDown, true);
  return {
    configure(next) {
      options = next;
      decoder = createWedgeDecoder(options);
      armIdle();
    },
    stop() {
      deps.target.removeEventListener('keydown', onKeyDown, true);
      if (idleTimer !== null) deps.clearTimeout(idleTimer);
      idleTimer = null;
    },
  };
}
