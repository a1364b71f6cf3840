// Runs in the renderer. The 자가점검 checklist: the last run (daily at the first start, or by
// hand), "지금 점검" which first tries the camera and plays the test sound, then asks main to run
// every check; and the specimen step: while this screen is open, a specimen card scanned by any
// scanner is answered 점검용 QR 확인됨 by main (never admitted) and shown here.
import { useCallback, useEffect, useState } from 'react';
import type { Response } from '../../../shared/contract';
import type { Lang } from '../i18n/text';
import { op } from '../i18n/text';
import { useKiosk, useKioskState } from '../screens/context';
import { useOperator } from '../operator/context';
import type { SelftestRunView } from './selftestView';
import { checklistOf, playTestSound, probeCamera, summaryOf } from './selftestView';

const SPECIMEN_POLL_MS = 1500;
/** YYYY-MM-DD HH:MM:SS in Seoul (UTC+9). */
const timeOf = (ms: number) => new Date(ms + 9 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
const SOURCE: Record<string, { ko: string; en: string }> = {
  hid: { ko: 'USB(HID) 스캐너', en: 'USB (HID) scanner' },
  wedge: { ko: '키보드 방식 스캐너', en: 'keyboard-wedge scanner' },
  camera: { ko: '카메라', en: 'camera' },
};

export function SelftestScreen({ lang }: { lang: Lang }) {
  const { kiosk, voice } = useKiosk();
  const operator = useOperator();
  const settings = useKioskState((s) => s.settings);
  const [run, setRun] = useState<SelftestRunView | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [specimen, setSpecimen] = useState<Response<'selftest:specimen'> | null>(null);
  const [card, setCard] = useState<{ token: string; qrSvg: string } | null>(null);

  useEffect(() => {
    let live = true;
    void kiosk.ask('selftest:last', {}).then((env) => {
      if (!live) return;
      if (env.ok) setRun(env.value);
      else setError(`${env.error.message} (${env.error.code})`);
      setLoaded(true);
    });
    // The specimen window stays open while this screen is up (renewed by the poll), closed on leaving.
    const poll = async () => {
      const env = await kiosk.ask('selftest:specimen', { open: true });
      if (!live) return;
      if (env.ok) setSpecimen(env.value);
      else setError(`${env.error.message} (${env.error.code})`);
    };
    void poll();
    const timer = window.setInterval(() => void poll(), SPECIMEN_POLL_MS);
    return () => {
      live = false;
      window.clearInterval(timer);
      void kiosk.ask('selftest:specimen', { open: false });
    };
  }, [kiosk]);

  const runNow = useCallback(async () => {
    setRunning(true);
    setError(null);
    operator.touch();
    const camera = await probeCamera(typeof navigator !== 'undefined' ? navigator.mediaDevices : null, settings);
    const speaker = playTestSound(voice, settings);
    const env = await kiosk.ask('selftest:run', { camera, speaker });
    setRunning(false);
    if (env.ok) setRun(env.value);
    else setError(`${env.error.message} (${env.error.code})`);
  }, [kiosk, voice, settings, operator]);

  const showCard = async () => {
    const env = await kiosk.ask('selftest:specimen', { open: true, card: true });
    if (env.ok) setCard(env.value.card);
    else setError(`${env.error.message} (${env.error.code})`);
  };

  const seen = specimen?.seen ?? null;
  const items = run ? checklistOf(run, lang) : [];
  return (
    <section className="screen selftest" data-testid="selftest" data-running={running ? 'true' : 'false'}>
      <h1 className="panel-title">{op('selftestTitle', lang)}</h1>
      <div className="selftest-head">
        <button type="button" className="btn primary" data-testid="selftest-run" disabled={running} onClick={() => void runNow()}>
          {running ? op('selftestRunning', lang) : op('selftestRun', lang)}
        </button>
        <button type="button" className="btn" data-testid="selftest-speaker" onClick={() => playTestSound(voice, settings)}>
          <span aria-hidden="true">♪ </span>
          {op('speakerTest', lang)}
        </button>
        <button type="button" className="btn" data-testid="selftest-close" onClick={() => operator.closeView()}>
          {op('close', lang)}
        </button>
      </div>
      {error && (
        <p className="form-message error" role="alert" data-testid="selftest-error">
          {error}
        </p>
      )}
      {loaded && !run && <p className="hint">{op('selftestNever', lang)}</p>}
      {run && (
        <>
          <p className={`selftest-summary ${run.ok ? 'ok' : 'fail'}`} data-testid="selftest-summary" data-ok={run.ok ? 'true' : 'false'}>
            <span aria-hidden="true">{run.ok ? '✔ ' : '✖ '}</span>
            {summaryOf(run, lang)} ·{' '}
            {op('selftestLast', lang, { time: timeOf(run.startedAt), trigger: op(run.trigger === 'daily' ? 'selftestDaily' : 'selftestManual', lang) })}
          </p>
          <ul className="checklist" data-testid="selftest-checklist">
            {items.map((item) => (
              <li key={item.id} className={`check status-${item.status}`} data-testid={`check-${item.id}`} data-status={item.status}>
                <span className="check-icon" aria-hidden="true">
                  {item.icon}
                </span>
                <span className="check-word">{item.word}</span>
                <span className="check-label">{item.label}</span>
                <span className="check-detail">{item.detail}</span>
                {item.fix && (
                  <span className="check-fix" data-testid={`fix-${item.id}`}>
                    {op('fixLabel', lang)}: {item.fix}
                  </span>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      <div className="specimen-step" data-testid="specimen-step" data-seen={seen ? (seen.expected ? 'ok' : 'unexpected') : 'waiting'}>
        <h2>{op('specimenStep', lang)}</h2>
        {seen ? (
          <p className={seen.expected ? 'specimen-ok' : 'specimen-bad'} role="status" data-testid="specimen-seen">
            <span aria-hidden="true">{seen.expected ? '✔ ' : '✖ '}</span>
            {seen.expected
              ? op('specimenSeen', lang, { source: (SOURCE[seen.source] ?? { ko: seen.source, en: seen.source })[lang], result: seen.result })
              : op('specimenUnexpected', lang, { result: seen.result })}
          </p>
        ) : (
          <p className="hint" data-testid="specimen-waiting">
            {specimen?.openUntil ? op('specimenWaiting', lang, { time: timeOf(specimen.openUntil) }) : '…'}
          </p>
        )}
        <button type="button" className="btn small" data-testid="specimen-card" onClick={() => void showCard()}>
          {op('specimenCard', lang)}
        </button>
        {card && (
          <figure className="specimen-card" data-testid="specimen-card-figure">
            <img alt={op('specimenCard', lang)} src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(card.qrSvg)}`} />
            <figcaption>{op('specimenCardHint', lang)}</figcaption>
          </figure>
        )}
      </div>
    </section>
  );
}
