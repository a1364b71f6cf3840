// Runs under vitest (Node). Every refusal code the sync worker can quarantine with has a
// sentence in both languages, and an unknown code still gets one that names it.
import { describe, expect, it } from 'vitest';
import { refusalText, seoulTime } from './quarantineText';

describe('refusalText', () => {
  it('explains known codes and HTTP statuses in Korean and English', () => {
    for (const code of ['VALIDATION_FAILED', 'BAD_JSON', 'BODY_TOO_LARGE', 'BATCH_TOO_LARGE', 'BATCH_DUPLICATE_IDS', 'HTTP_400', 'HTTP_413', 'HTTP_422']) {
      expect(refusalText(code, 'ko')).toMatch(/[가-힣]/);
      expect(refusalText(code, 'en')).toMatch(/^[\x20-\x7e]+$/);
      expect(refusalText(code, 'en')).not.toContain(code.startsWith('HTTP') ? 'code HTTP' : code);
    }
  });

  it('names an unknown code so the operator can pass it on', () => {
    expect(refusalText('SOMETHING_NEW', 'ko')).toContain('SOMETHING_NEW');
    expect(refusalText('SOMETHING_NEW', 'en')).toContain('SOMETHING_NEW');
  });

  it('shows times in Seoul', () => {
    expect(seoulTime(Date.parse('2026-11-23T15:04:05Z'))).toBe('11-24 00:04:05');
  });
});
