// Runs in Node (vitest). Environment settings of the homepage-security service: off without SMTP,
// defaults, and refused bad values.
import { describe, expect, it } from 'vitest';
import { sitescanConfigFromEnv } from './config';

describe('sitescanConfigFromEnv', () => {
  it('is off without an SMTP host', () => {
    expect(sitescanConfigFromEnv({})).toBeUndefined();
  });
  it('requires a sender and TLS unless told otherwise', () => {
    expect(() => sitescanConfigFromEnv({ MUNJIGI_SMTP_HOST: 'smtp.example.kr' })).toThrow(/MUNJIGI_MAIL_FROM/);
    const c = sitescanConfigFromEnv({ MUNJIGI_SMTP_HOST: 'smtp.example.kr', MUNJIGI_MAIL_FROM: 'cert@example.kr' });
    expect(c).toMatchObject({ smtp: { port: 587, requireTls: true, secure: false }, worker: false, concurrency: 2, suspendAfterDays: 14 });
    expect(sitescanConfigFromEnv({ MUNJIGI_SMTP_HOST: 'h', MUNJIGI_MAIL_FROM: 'f@x.kr', MUNJIGI_SMTP_PORT: '465', MUNJIGI_SITESCAN_WORKER: '1' })).toMatchObject({
      smtp: { secure: true },
      worker: true,
    });
  });
  it('refuses bad numbers with the setting name', () => {
    for (const [name, v] of [
      ['MUNJIGI_SMTP_PORT', '0'],
      ['MUNJIGI_SMTP_PORT', 'abc'],
      ['MUNJIGI_SITESCAN_CONCURRENCY', '99'],
      ['MUNJIGI_SITESCAN_SUSPEND_DAYS', '-1'],
    ] as const) {
      expect(() => sitescanConfigFromEnv({ MUNJIGI_SMTP_HOST: 'h', MUNJIGI_MAIL_FROM: 'f@x.kr', [name]: v })).toThrow(name);
    }
  });
});
