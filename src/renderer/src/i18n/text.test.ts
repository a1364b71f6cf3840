// Runs under vitest (Node). Both languages cover every result code with the same tone and the
// same (Korean) clip, and a visitor's language choice holds for one result, then the default returns.
import { describe, expect, it } from 'vitest';
import type { AdmitAnswer, Settings } from '../../../shared/contract';
import { ok } from '../../../shared/envelope';
import { RESULT_CODES } from '../../../shared/kp1';
import { clipFor } from '../feedback/resultText';
import { createKioskStore } from '../store/kiosk';
import { errorTextIn, LANGS, resultTextIn, TONE_LABEL_IN } from './text';

describe('result text in two languages', () => {
  it.each(RESULT_CODES.map((c) => [c]))('%s: same tone and clip, words in each language', (code) => {
    const ko = resultTextIn(code, 'ko');
    const en = resultTextIn(code, 'en');
    expect(en.tone).toBe(ko.tone);
    expect(clipFor(en.tone)).toBe(clipFor(ko.tone));
    expect(en.speech).toBe(ko.speech); // the voice stays Korean: no English clips exist
    expect(en.title).toMatch(/^[\x20-\x7e]+$/);
    expect(en.action).toMatch(/^[\x20-\x7e]+$/);
    expect(en.title).not.toBe(ko.title);
    for (const lang of LANGS) expect(TONE_LABEL_IN[lang][ko.tone]).toBeTruthy();
  });

  it('an admit error keeps main’s message as the reason', () => {
    expect(errorTextIn('관리 프로그램에 요청하지 못했습니다.', 'en')).toMatchObject({ title: 'Could not process the scan', reason: '관리 프로그램에 요청하지 못했습니다.' });
  });
});

describe('visitor language', () => {
  const settings = { language: 'ko' } as Settings;
  const answer: AdmitAnswer = { ok: true, code: 'OK', source: 'wedge', scannedAt: 1, todayCount: 1 };

  function harness() {
    const timers: (() => void)[] = [];
    let n = 0;
    const k = createKioskStore({
      // A fresh answer each time (the store shows the same answer only once).
      bridge: { invoke: async () => ok({ ...answer, scannedAt: ++n }) as never, on: () => () => {} },
      voice: { play: (clip) => ({ clip, via: 'webaudio' }) },
      setTimeout: (fn) => timers.push(fn),
      clearTimeout: () => {},
    });
    k.store.setState({ settings });
    return { k, timers };
  }

  it('holds for the next result, then the kiosk default returns', async () => {
    const { k, timers } = harness();
    k.setVisitorLanguage('en');
    await k.admit('x', 'wedge');
    expect(k.getState().result?.text.title).toBe('Verified');
    timers.at(-1)?.();
    expect(k.getState().result).toBeNull();
    expect(k.getState().visitorLanguage).toBeNull();
    await k.admit('y', 'wedge');
    expect(k.getState().result?.text.title).toBe('인증되었습니다');
  });

  it('the settings default applies with no visitor choice', async () => {
    const { k } = harness();
    k.store.setState({ settings: { ...settings, language: 'en' } });
    await k.admit('x', 'wedge');
    expect(k.getState().result?.text.title).toBe('Verified');
  });
});
