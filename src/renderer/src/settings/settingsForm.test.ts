// Runs under vitest (Node). The settings form: a good form makes the patch main expects; a bad
// one names the field and its limit in Korean, using the contract's own limits.
import { describe, expect, it } from 'vitest';
import type { Settings } from '../../../shared/contract';
import { DEFAULT_CAMERA, DEFAULT_SOURCES, settings as settingsSchema } from '../../../shared/contract';
import { formOf, patchOf } from './settingsForm';

const current: Settings = {
  facilityId: 'F1', kioskId: 'K1', voice: { volume: 0.8, muted: false }, wedge: { maxGapMs: 50, minLength: 6, idleMs: 100 },
  verify: { skewSeconds: 3, maxTtlSeconds: 15 }, resultScreenMs: 4000,
  language: 'ko', largeText: false, highContrast: false, screenTimeoutMs: 120_000, centralApiUrl: null,
  sources: { ...DEFAULT_SOURCES }, camera: { ...DEFAULT_CAMERA }, voiceClips: { ok: null, duplicate: null, refused: null },
};

describe('settings form', () => {
  it('round-trips the current settings', () => {
    const patch = patchOf(formOf(current));
    expect(patch).toEqual({
      voice: { volume: 0.8, muted: false }, resultScreenMs: 4000, wedge: { maxGapMs: 50, minLength: 6, idleMs: 100 },
      language: 'ko', largeText: false, highContrast: false, screenTimeoutMs: 120_000, centralApiUrl: null,
    });
    expect(settingsSchema.safeParse({ ...current, ...(patch as object) }).success).toBe(true);
  });

  it('takes decimal seconds and percent volume', () => {
    expect(patchOf({ ...formOf(current), resultSeconds: '2.5', volume: '35', muted: true })).toMatchObject({ resultScreenMs: 2500, voice: { volume: 0.35, muted: true } });
  });

  it('takes language, display modes, timeout and the central API address', () => {
    expect(
      patchOf({ ...formOf(current), language: 'en', largeText: true, highContrast: true, screenTimeoutSeconds: '300', centralApiUrl: ' https://api.example.kr/ ' }),
    ).toMatchObject({ language: 'en', largeText: true, highContrast: true, screenTimeoutMs: 300_000, centralApiUrl: 'https://api.example.kr/' });
  });

  it('loads a settings file written before these fields existed, with defaults', () => {
    const { language: _l, largeText: _t, highContrast: _h, screenTimeoutMs: _s, centralApiUrl: _c, ...old } = current;
    expect(settingsSchema.parse(old)).toEqual(current);
  });

  it.each([
    [{ volume: 'abc' }, '음량에는 숫자를 입력해 주세요.'],
    [{ volume: '150' }, '음량 값이 너무 큽니다. 최대 100입니다.'],
    [{ resultSeconds: '0.5' }, '결과 표시 시간 값이 너무 작습니다. 최소 1초입니다.'],
    [{ resultSeconds: '60' }, '결과 표시 시간 값이 너무 큽니다. 최대 30초입니다.'],
    [{ maxGapMs: '12345678' }, '키 간격 최대 값이 너무 큽니다. 최대 500 ms입니다.'],
    [{ maxGapMs: '2' }, '키 간격 최대 값이 너무 작습니다. 최소 5 ms입니다.'],
    [{ minLength: '6.5' }, '최소 길이 값은 정수로 입력해 주세요.'],
    [{ idleMs: '-1' }, '입력 종료 대기에는 숫자를 입력해 주세요.'],
    [{ idleMs: '' }, '입력 종료 대기에는 숫자를 입력해 주세요.'],
    [{ screenTimeoutSeconds: '5' }, '운영 화면 자동 닫힘 값이 너무 작습니다. 최소 15초입니다.'],
    [{ centralApiUrl: 'ftp://api.example' }, '중앙 서버 주소는 http:// 또는 https://로 시작하는 주소여야 합니다 (아이디·비밀번호 없이).'],
    [{ centralApiUrl: 'https://user:pw@api.example' }, '중앙 서버 주소는 http:// 또는 https://로 시작하는 주소여야 합니다 (아이디·비밀번호 없이).'],
    [{ centralApiUrl: 'not a url' }, '중앙 서버 주소는 http:// 또는 https://로 시작하는 주소여야 합니다 (아이디·비밀번호 없이).'],
  ])('%o → %s', (change, message) => {
    expect(patchOf({ ...formOf(current), ...change })).toBe(message);
    expect(patchOf({ ...formOf(current), ...change }, 'ko')).toBe(message);
  });

  // An English kiosk's operator reads the same checks in English, with the same contract limits.
  it.each([
    [{ volume: 'abc' }, 'Volume: please enter a number.'],
    [{ volume: '150' }, 'Volume is too large. The maximum is 100.'],
    [{ resultSeconds: '0.5' }, 'Result display time is too small. The minimum is 1 s.'],
    [{ resultSeconds: '60' }, 'Result display time is too large. The maximum is 30 s.'],
    [{ maxGapMs: '12345678' }, 'Longest key gap is too large. The maximum is 500 ms.'],
    [{ maxGapMs: '2' }, 'Longest key gap is too small. The minimum is 5 ms.'],
    [{ minLength: '6.5' }, 'Shortest scan must be a whole number.'],
    [{ minLength: '0' }, 'Shortest scan is too small. The minimum is 1 character.'],
    [{ idleMs: '-1' }, 'End-of-scan wait: please enter a number.'],
    [{ screenTimeoutSeconds: '5' }, 'Operator screen timeout is too small. The minimum is 15 s.'],
    [{ screenTimeoutSeconds: '' }, 'Operator screen timeout: please enter a number.'],
    [{ centralApiUrl: 'ftp://api.example' }, 'The central API address must start with http:// or https:// (without a user name or password).'],
    [{ centralApiUrl: 'https://user:pw@api.example' }, 'The central API address must start with http:// or https:// (without a user name or password).'],
  ])('English: %o → %s', (change, message) => {
    const said = patchOf({ ...formOf(current), ...change }, 'en');
    expect(said).toBe(message);
    expect(said).not.toMatch(/[가-힣]/);
  });

  it('a good form makes the same patch in either language', () => {
    expect(patchOf(formOf(current), 'en')).toEqual(patchOf(formOf(current), 'ko'));
  });
});
