// Runs under vitest (Node). Kiosk mode's key filter and leave/return decisions: the usual escape
// keys are swallowed, scanner typing and editing pass, the window closes only when allowed, and
// kiosk mode comes back by itself when the operator's session ends.
import { describe, expect, it } from 'vitest';
import type { KeyInput } from './kioskMode';
import { createKioskMode, kioskKeyDecision } from './kioskMode';

const key = (k: string, code: string, mods: Partial<KeyInput> = {}): KeyInput => ({ type: 'keyDown', key: k, code, alt: false, control: false, shift: false, meta: false, ...mods });

describe('kioskKeyDecision', () => {
  it('swallows the usual ways out of a locked kiosk', () => {
    const escapes = [
      key('F4', 'F4', { alt: true }),
      key('w', 'KeyW', { control: true }),
      key('W', 'KeyW', { control: true, shift: true }),
      key('q', 'KeyQ', { control: true }),
      key('q', 'KeyQ', { meta: true }),
      key('F11', 'F11'),
      key('F12', 'F12'),
      key('F5', 'F5'),
      key('r', 'KeyR', { control: true }),
      key('I', 'KeyI', { control: true, shift: true }),
      key('J', 'KeyJ', { control: true, shift: true }),
      key('p', 'KeyP', { control: true }),
      key('=', 'Equal', { control: true }),
      key('ArrowLeft', 'ArrowLeft', { alt: true }),
      key(' ', 'Space', { alt: true }),
      key('Alt', 'AltLeft'),
      key('BrowserBack', 'BrowserBack'),
      key('Tab', 'Tab', { alt: true }),
    ];
    for (const input of escapes) expect(kioskKeyDecision(input, true), JSON.stringify(input)).toBe('block');
  });

  it('lets scanner typing, Enter, Escape, editing and the settings shortcut through', () => {
    const allowed = [
      ...'KP1.AbZ09-_'.split('').map((c) => key(c, /[A-Z]/.test(c) ? `Key${c}` : 'Digit0', { shift: /[A-Z]/.test(c) })),
      key('Enter', 'Enter'),
      key('Tab', 'Tab'),
      key('Escape', 'Escape'),
      key('Backspace', 'Backspace'),
      key('v', 'KeyV', { control: true }),
      key('a', 'KeyA', { control: true }),
      key('S', 'KeyS', { control: true, shift: true }),
      key('HangulMode', 'Lang1'),
    ];
    for (const input of allowed) expect(kioskKeyDecision(input, true), JSON.stringify(input)).toBe('allow');
    // Not locked (windowed, or an operator left kiosk mode): nothing is filtered.
    expect(kioskKeyDecision(key('F4', 'F4', { alt: true }), false)).toBe('allow');
    expect(kioskKeyDecision({ ...key('F4', 'F4', { alt: true }), type: 'mouseDown' }, true)).toBe('allow');
  });
});

describe('createKioskMode', () => {
  it('a kiosk window cannot close until an operator leaves kiosk mode; it returns when the session ends', () => {
    const mode = createKioskMode({ kiosk: true });
    expect(mode.locked()).toBe(true);
    expect(mode.closeAllowed(false)).toBe(false);
    expect(mode.closeAllowed(true)).toBe(true); // OS shutdown / app quit
    expect(mode.keyDecision(key('F4', 'F4', { alt: true }))).toBe('block');
    mode.leave();
    expect(mode.locked()).toBe(false);
    expect(mode.closeAllowed(false)).toBe(true);
    expect(mode.keyDecision(key('F4', 'F4', { alt: true }))).toBe('allow');
    expect(mode.shouldReturn(true)).toBe(false); // still unlocked
    expect(mode.shouldReturn(false)).toBe(true); // session over: back to kiosk mode, once
    expect(mode.shouldReturn(false)).toBe(false);
    expect(mode.locked()).toBe(true);
  });

  it('a windowed start is never locked and never returns to kiosk mode', () => {
    const mode = createKioskMode({ kiosk: false });
    mode.leave();
    expect(mode.locked()).toBe(false);
    expect(mode.shouldReturn(false)).toBe(false);
    expect(mode.closeAllowed(false)).toBe(true);
  });
});
