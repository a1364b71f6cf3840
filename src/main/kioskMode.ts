// Runs in the Electron main process, but imports nothing from Electron at runtime. Kiosk mode's
// decisions as pure functions: which keys a locked kiosk swallows (before-input-event), whether
// its window may close, and leaving kiosk mode only for an unlocked operator and coming back
// when that session ends. Unit-tested under Node in kioskMode.test.ts.

/** The fields of Electron's `Input` that the decision needs. */
export interface KeyInput {
  type: string;
  key: string;
  code?: string;
  alt: boolean;
  control: boolean;
  shift: boolean;
  meta: boolean;
}

/** Ctrl+ keys a locked kiosk still lets through: editing in the settings fields, and the settings shortcut. */
const CTRL_EDITING = new Set(['KeyA', 'KeyC', 'KeyV', 'KeyX', 'KeyZ', 'KeyY']);
const SETTINGS_SHORTCUT = 'KeyS'; // Ctrl+Shift+S opens the operator's PIN pad

/**
 * What a locked kiosk does with a key. Blocked: Alt+anything (Alt+F4, Alt+←/→, Alt+Space, the
 * menu), every function key (F11 full screen, F12/F5), Ctrl/Cmd combinations (Ctrl+W, Ctrl+Q,
 * Ctrl+R, Ctrl+Shift+I, Ctrl+P, zoom, …) except editing and Ctrl+Shift+S. Plain keys pass, so
 * keyboard-wedge scanners and typing into settings work; plain Escape passes to the page (it
 * closes operator screens) and never leaves kiosk mode, which has no key bound to leaving.
 * Alt+Tab, Ctrl+Alt+Del and the Windows key belong to the OS and never reach the app.
 */
export function kioskKeyDecision(input: KeyInput, locked: boolean): 'allow' | 'block' {
  if (!locked) return 'allow';
  if (input.type !== 'keyDown' && input.type !== 'rawKeyDown' && input.type !== 'keyUp' && input.type !== 'char') return 'allow';
  const code = input.code ?? '';
  if (/^F([1-9]|1[0-9]|2[0-4])$/.test(input.key) || /^F([1-9]|1[0-9]|2[0-4])$/.test(code)) return 'block';
  if (input.alt || input.key === 'Alt' || input.key === 'AltGraph' || input.key === 'ContextMenu') return 'block';
  if (input.control || input.meta) {
    if (input.shift && code === SETTINGS_SHORTCUT && !input.meta) return 'allow';
    if (!input.shift && CTRL_EDITING.has(code)) return 'allow';
    return 'block';
  }
  if (['BrowserBack', 'BrowserForward', 'BrowserRefresh', 'BrowserHome', 'BrowserSearch', 'Print', 'PrintScreen'].includes(input.key)) return 'block';
  return 'allow';
}

export interface KioskMode {
  /** Kiosk mode holds now: full screen, keys filtered, the window cannot be closed. */
  locked(): boolean;
  /** An unlocked operator asked to leave (kiosk:leave has already checked the session). */
  leave(): void;
  /** Checked periodically: true once when an operator left kiosk mode and the session has ended. */
  shouldReturn(operatorUnlocked: boolean): boolean;
  /** The window may close: not locked, or the app itself is quitting (OS shutdown, quit after leaving). */
  closeAllowed(appQuitting: boolean): boolean;
  keyDecision(input: KeyInput): 'allow' | 'block';
}

export function createKioskMode(opts: { kiosk: boolean }): KioskMode {
  let left = false;
  const locked = () => opts.kiosk && !left;
  return {
    locked,
    leave() {
      if (opts.kiosk) left = true;
    },
    shouldReturn(operatorUnlocked) {
      if (!opts.kiosk || !left || operatorUnlocked) return false;
      left = false;
      return true;
    },
    closeAllowed: (appQuitting) => appQuitting || !locked(),
    keyDecision: (input) => kioskKeyDecision(input, locked()),
  };
}
