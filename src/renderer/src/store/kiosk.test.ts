// Runs under vitest (Node). The kiosk store with a fake bridge and voice: every answer picks
// its screen and clip, the voice is asked before state changes, results time out to idle, the
// same admit pushed twice is shown once, faults and a lost link win over everything.
import { describe, expect, it } from 'vitest';
import type { AdmitAnswer, KioskStatus } from '../../../shared/contract';
import type { Envelope } from '../../../shared/envelope';
import { fail, ok } from '../../../shared/envelope';
import type { ClipName } from '../feedback/resultText';
import { createKioskStore, screenOf } from './kiosk';

const answer = (code: AdmitAnswer['code'], extra: Partial<AdmitAnswer> = {}): AdmitAnswer => ({
  ok: code === 'OK', code, source: 'wedge', scannedAt: 1_795_392_000_000, todayCount: 7, ...extra,
});

const status = (over: Partial<KioskStatus> = {}): KioskStatus => ({
  facilityId: 'F1', kioskId: 'K1', demo: false, todayCount: 2, fault: null, trustList: null,
  scanner: { state: 'ready', detail: '' }, sync: { state: 'disabled', pending: 0, lastSuccessAt: null },
  clock: { state: 'ok', offsetMs: 0 }, ...over,
});

const settingsWith = (voice: { volume: number; muted: boolean }, resultScreenMs: number) => ({
  facilityId: 'F', kioskId: 'K', voice, wedge: { maxGapMs: 50, minLength: 6, idleMs: 100 }, verify: { skewSeconds: 3, maxTtlSeconds: 15 }, resultScreenMs,
});

function harness(reply: (channel: string, req: unknown) => Envelope<unknown>) {
  const played: { clip: ClipName; text: string; muted: boolean; stateAtPlay: string | null }[] = [];
  const timers: { fn: () => void; ms: number; id: number }[] = [];
  let id = 1;
  const calls: { channel: string; req: unknown }[] = [];
  const k = createKioskStore({
    bridge: {
      invoke: async (channel, req) => {
        calls.push({ channel, req });
        return reply(channel, req) as never;
      },
      on: () => () => {},
    },
    voice: {
      play: (clip, text, s) => {
        played.push({ clip, text, muted: s.muted, stateAtPlay: k.getState().result?.code ?? null });
        return { clip, via: s.muted ? 'none' : 'webaudio' };
      },
    },
    setTimeout: (fn, ms) => {
      timers.push({ fn, ms, id });
      return id++;
    },
    clearTimeout: (h) => {
      const i = timers.findIndex((t) => t.id === h);
      if (i >= 0) timers.splice(i, 1);
    },
  });
  return { k, played, timers, calls };
}

describe('kiosk store', () => {
  it('OK: green screen, OK clip played before the state changed, today count from the answer', async () => {
    const h = harness(() => ok(answer('OK', { entryId: 'e1' })));
    await h.k.admit('KP1.x', 'wedge');
    expect(h.calls).toEqual([{ channel: 'kiosk:admit', req: { data: 'KP1.x', source: 'wedge' } }]);
    expect(h.played).toEqual([{ clip: 'ok', text: '인증되었습니다', muted: false, stateAtPlay: null }]);
    const s = h.k.getState();
    expect(h.k.screen()).toBe('result');
    expect(s.result?.code).toBe('OK');
    expect(s.result?.text.tone).toBe('ok');
    expect(s.lastClip).toBe('ok');
    expect(s.clipCount).toBe(1);
    expect(s.todayCount).toBe(7);
  });

  it('per-scan timing: the decode time goes with admit, the feedback time is reported once when the result is painted', async () => {
    const h = harness((channel) => (channel === 'kiosk:admit' ? ok(answer('OK', { entryId: 'e1' })) : ok({ recorded: true })));
    await h.k.admit('KP1.x', 'wedge', { decodeMs: 42 });
    expect(h.calls[0]).toEqual({ channel: 'kiosk:admit', req: { data: 'KP1.x', source: 'wedge', timing: { decodeMs: 42 } } });
    const shown = h.k.getState().result!;
    expect(shown.answeredAt).toBeTypeOf('number');
    h.k.reportPaint(shown.seq + 1, shown.answeredAt! + 5); // not the result on screen: ignored
    h.k.reportPaint(shown.seq, shown.answeredAt! + 12.34);
    h.k.reportPaint(shown.seq, shown.answeredAt! + 50); // a second paint of the same result: ignored
    expect(h.calls.slice(1)).toEqual([{ channel: 'stats:feedback', req: { source: 'wedge', feedbackMs: 12.3 } }]);
  });

  it.each([
    ['DUPLICATE', 'duplicate', '이미 인증되었습니다'],
    ['EXPIRED', 'refused', '유효시간이 지났습니다'],
    ['REPLAYED', 'refused', '이미 사용된 QR코드입니다'],
    ['MALFORMED', 'refused', '출입용 QR코드가 아닙니다'],
    ['UNKNOWN_KEY', 'refused', '확인할 수 없는 QR코드입니다'],
    ['NOT_YET_VALID', 'refused', '아직 사용할 수 없는 QR코드입니다'],
  ] as const)('%s → %s clip, "%s"', async (code, clip, title) => {
    const h = harness(() => ok(answer(code)));
    await h.k.admit('x', 'wedge');
    expect(h.k.getState().result?.text.title).toBe(title);
    expect(h.k.getState().lastClip).toBe(clip);
  });

  it('an admit that fails (no verdict) shows the error on a red screen with its code', async () => {
    const h = harness(() => fail('DISCONNECTED', '관리 프로그램과 연결이 끊겼습니다.'));
    await h.k.admit('x', 'wedge');
    const r = h.k.getState().result;
    expect(r?.code).toBe('DISCONNECTED');
    expect(r?.text.reason).toBe('관리 프로그램과 연결이 끊겼습니다.');
    expect(h.k.getState().lastClip).toBe('refused');
  });

  it('a HID scan main refused (kiosk:refused) gets the same screen and clip as that refusal of a wedge scan', async () => {
    const message = '점검용(견본) QR입니다. 출입 인증에는 쓸 수 없습니다. 자가점검 화면에서만 확인됩니다.';
    const wedge = harness(() => fail('SPECIMEN_TOKEN', message));
    await wedge.k.admit('KP1.specimen', 'wedge');
    const hid = harness(() => ok(null));
    hid.k.refused({ source: 'hid', code: 'SPECIMEN_TOKEN', message, scannedAt: 1 });
    expect(hid.k.getState().result?.code).toBe('SPECIMEN_TOKEN');
    expect(hid.k.getState().result?.text).toEqual(wedge.k.getState().result?.text);
    expect(hid.played).toEqual(wedge.played);
    expect(hid.k.screen()).toBe('result');
    // Test-mode and source-off refusals stay silent here too.
    const quiet = harness(() => ok(null));
    quiet.k.refused({ source: 'hid', code: 'SCAN_TEST_MODE', message: 'x', scannedAt: 1 });
    expect(quiet.k.getState().result).toBeNull();
    expect(quiet.played).toEqual([]);
  });

  it('a transport that throws still gets an answer on screen', async () => {
    const h = harness(() => {
      throw new Error('ipc broke');
    });
    const env = await h.k.admit('x', 'wedge');
    expect(env).toMatchObject({ ok: false, error: { code: 'IPC_FAILED' } });
    expect(h.k.getState().result?.code).toBe('IPC_FAILED');
    expect(h.k.getState().lastClip).toBe('refused');
  });

  it('goes back to idle after settings.resultScreenMs, unless a newer result replaced it', async () => {
    const h = harness((channel) =>
      channel === 'settings:get'
        ? ok(settingsWith({ volume: 1, muted: false }, 2500))
        : ok(answer('OK')),
    );
    await h.k.loadSettings();
    await h.k.admit('a', 'wedge');
    expect(h.timers).toHaveLength(1);
    expect(h.timers[0]?.ms).toBe(2500);
    h.timers[0]?.fn();
    expect(h.k.screen()).toBe('idle');
  });

  it('muted: nothing is played or counted', async () => {
    const h = harness((channel) =>
      channel === 'settings:get'
        ? ok(settingsWith({ volume: 0.5, muted: true }, 3000))
        : ok(answer('OK')),
    );
    await h.k.loadSettings();
    await h.k.admit('a', 'wedge');
    expect(h.k.getState().clipCount).toBe(0);
    expect(h.k.getState().lastClip).toBeNull();
    expect(h.k.getState().lastVoiceVia).toBe('none');
  });

  it('the same answer pushed by main after our own call is shown once', async () => {
    const a = answer('OK', { entryId: 'e9', tokenId: '1:00aa' });
    const h = harness(() => ok(a));
    await h.k.admit('x', 'wedge');
    h.k.admitted(a);
    expect(h.played).toHaveLength(1);
    h.k.admitted({ ...a, source: 'hid', entryId: 'e10', scannedAt: a.scannedAt + 1 });
    expect(h.played).toHaveLength(2);
  });

  it('a repeat of the same scan (within 2 s, any source) is not shown or said again', async () => {
    let next: AdmitAnswer = answer('OK', { entryId: 'e1', source: 'wedge' });
    const h = harness(() => ok(next));
    await h.k.admit('KP1.x', 'wedge');
    next = answer('OK', { entryId: 'e1', source: 'camera', repeat: true });
    await h.k.admit('KP1.x', 'camera');
    expect(h.played).toHaveLength(1);
    expect(h.k.getState().result?.answer?.source).toBe('wedge');
  });

  it('a fault in status or a lost link shows the fault screen over everything', () => {
    const base = { connection: 'open', status: status(), result: null, settingsOpen: false } as const;
    expect(screenOf(base)).toBe('idle');
    expect(screenOf({ ...base, settingsOpen: true })).toBe('settings');
    expect(screenOf({ ...base, settingsOpen: true, status: status({ fault: { code: 'ENTRY_LOG_CORRUPT', message: '손상' } }) })).toBe('fault');
    expect(screenOf({ ...base, connection: 'closed' })).toBe('fault');
    expect(screenOf({ ...base, connection: 'connecting' })).toBe('idle');
  });

  it('settings: a refused update keeps the old settings and returns the error', async () => {
    const h = harness(() => fail('SETTINGS_INVALID', '결과 화면 시간은 1~30초여야 합니다.'));
    const env = await h.k.updateSettings({ resultScreenMs: 10 });
    expect(env.ok).toBe(false);
    expect(h.k.getState().settings).toBeNull();
  });

  it('demo: a minted token is stored; a refusal is kept as an error', async () => {
    const h = harness(() => ok({ token: 'KP1.t', issuerName: 'naver', expiresAt: 1, qrSvg: '<svg/>' }));
    await h.k.mintDemoToken();
    expect(h.k.getState().demoToken?.token).toBe('KP1.t');
    const h2 = harness(() => fail('DEMO_DISABLED', '데모 모드가 아닙니다.'));
    await h2.k.mintDemoToken();
    expect(h2.k.getState().demoError?.code).toBe('DEMO_DISABLED');
  });
});
