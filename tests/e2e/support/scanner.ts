// Runs in the Playwright test process. Types text the way a USB keyboard-wedge scanner does:
// each character as its physical key on a US layout, Shift held for capitals and symbols,
// keys 4 ms apart, then a suffix key (Enter by default). Events go through the DevTools
// protocol with explicit timestamps, so the key timing the page sees is the scanner's and
// not this (possibly loaded) test machine's round-trip time.
import type { Page } from '@playwright/test';

interface PhysicalKey {
  code: string;
  shift: boolean;
  vk: number;
}

const punctuation: Record<string, PhysicalKey> = {
  '-': { code: 'Minus', shift: false, vk: 189 },
  _: { code: 'Minus', shift: true, vk: 189 },
  '.': { code: 'Period', shift: false, vk: 190 },
  '/': { code: 'Slash', shift: false, vk: 191 },
  '?': { code: 'Slash', shift: true, vk: 191 },
  ':': { code: 'Semicolon', shift: true, vk: 186 },
  ';': { code: 'Semicolon', shift: false, vk: 186 },
  '=': { code: 'Equal', shift: false, vk: 187 },
  ' ': { code: 'Space', shift: false, vk: 32 },
};

function physicalKey(ch: string): PhysicalKey {
  if (/^[a-z]$/.test(ch)) return { code: `Key${ch.toUpperCase()}`, shift: false, vk: ch.toUpperCase().charCodeAt(0) };
  if (/^[A-Z]$/.test(ch)) return { code: `Key${ch}`, shift: true, vk: ch.charCodeAt(0) };
  if (/^[0-9]$/.test(ch)) return { code: `Digit${ch}`, shift: false, vk: ch.charCodeAt(0) };
  const key = punctuation[ch];
  if (!key) throw new Error(`the scanner helper cannot type ${JSON.stringify(ch)}`);
  return key;
}

const SHIFT = 8;

export async function scannerType(page: Page, text: string, opts: { delayMs?: number; suffix?: 'Enter' | 'Tab' | null } = {}) {
  const gap = (opts.delayMs ?? 4) / 1000;
  const cdp = await page.context().newCDPSession(page);
  let t = Date.now() / 1000;
  const sent: Array<Promise<unknown>> = [];
  const send = (params: Record<string, unknown>) => sent.push(cdp.send('Input.dispatchKeyEvent', { ...params, timestamp: t } as never));
  for (const ch of text) {
    const { code, shift, vk } = physicalKey(ch);
    if (shift) send({ type: 'rawKeyDown', key: 'Shift', code: 'ShiftLeft', windowsVirtualKeyCode: 16, modifiers: SHIFT });
    send({ type: 'keyDown', key: ch, code, text: ch, unmodifiedText: ch, windowsVirtualKeyCode: vk, modifiers: shift ? SHIFT : 0 });
    send({ type: 'keyUp', key: ch, code, windowsVirtualKeyCode: vk, modifiers: shift ? SHIFT : 0 });
    if (shift) send({ type: 'keyUp', key: 'Shift', code: 'ShiftLeft', windowsVirtualKeyCode: 16, modifiers: 0 });
    t += gap;
  }
  const suffix = opts.suffix === undefined ? 'Enter' : opts.suffix;
  if (suffix === 'Enter') {
    send({ type: 'keyDown', key: 'Enter', code: 'Enter', text: '\r', unmodifiedText: '\r', windowsVirtualKeyCode: 13 });
    send({ type: 'keyUp', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13 });
  } else if (suffix === 'Tab') {
    send({ type: 'rawKeyDown', key: 'Tab', code: 'Tab', windowsVirtualKeyCode: 9 });
    send({ type: 'keyUp', key: 'Tab', code: 'Tab', windowsVirtualKeyCode: 9 });
  }
  await Promise.all(sent);
  await cdp.detach();
}
