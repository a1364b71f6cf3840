// Runs in the renderer. The console's per-scan timing (stats:timing) for the chosen range: per scan
// source, how many scans and p50/p95 of decode, verify and feedback (answer → result painted);
// scans per hour; and, when camera scans are slow, a plain suggestion to use a 2D imager. Numbers
// only: the contract carries no token, no subject, no time finer than an hour.
import { useEffect, useState } from 'react';
import type { Response } from '../../../shared/contract';
import type { Lang } from '../i18n/text';
import { useKiosk } from '../screens/context';
import { throughput } from './layout';

type Stats = Response<'stats:timing'>;
type Stage = Stats['sources'][number]['stages']['decode'];

const W = {
  title: { ko: '스캔 시간', en: 'Scan timing' },
  source: { ko: '입력', en: 'Source' },
  scans: { ko: '스캔', en: 'Scans' },
  decode: { ko: '인식', en: 'Decode' },
  verify: { ko: '검증', en: 'Verify' },
  feedback: { ko: '화면 표시', en: 'Feedback' },
  none: { ko: '이 기간에 기록된 스캔 시간이 없습니다.', en: 'No scan timings in this range.' },
  peak: { ko: '가장 많은 시간', en: 'Busiest hour' },
  perHour: { ko: '건/시간', en: '/hour' },
  note: {
    ko: '중간값 / 95% (ms). 인식: 첫 키·첫 보고·카메라 프레임부터 코드 완성까지, 화면 표시: 응답부터 결과 화면이 그려질 때까지. 키오스크를 다시 시작하면 처음부터 셉니다.',
    en: 'Median / 95th percentile (ms). Decode: first key, report or camera frame to a complete code; feedback: answer to result screen painted. Counting restarts when the kiosk restarts.',
  },
  source_wedge: { ko: '키보드(웨지) 스캐너', en: 'Keyboard (wedge) scanner' },
  source_hid: { ko: 'HID 스캐너', en: 'HID scanner' },
  source_camera: { ko: '카메라', en: 'Camera' },
  source_demo: { ko: '데모', en: 'Demo' },
  source_selftest: { ko: '점검', en: 'Self-test' },
} as const;
const w = (k: keyof typeof W, lang: Lang) => W[k][lang];
const HOUR = 3_600_000;
const SEOUL = 9 * HOUR;

const fmt = (s: Stage) => (s.samples === 0 ? '—' : `${s.p50Ms ?? '—'} / ${s.p95Ms ?? '—'}`);

/** The suggestion in the console's language; main's Korean sentence when Korean. */
function suggestionText(s: NonNullable<Stats['suggestion']>, lang: Lang): string {
  if (lang === 'ko') return s.message;
  const retries = s.retriesPerScan === null ? '' : `, ${s.retriesPerScan} failed reads per scan`;
  return (
    `Camera scans are slow (typically ${Math.round(s.decodeVerifyP50Ms)} ms, ${Math.round(s.decodeP95Ms)} ms at the slow end${retries}). ` +
    'Visitors must hold their phone up longer and the queue grows. A USB 2D imager scanner copes better with light and screen brightness and usually reads in under 0.1 s.'
  );
}

export function TimingPanel({ from, to, lang }: { from: number; to: number; lang: Lang }) {
  const { kiosk } = useKiosk();
  const [stats, setStats] = useState<Stats | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void kiosk.ask('stats:timing', { from, to }).then((env) => {
      if (!live) return;
      setStats(env.ok ? env.value : null);
      setError(env.ok ? null : `${env.error.message} (${env.error.code})`);
    });
    return () => {
      live = false;
    };
  }, [kiosk, from, to]);

  const busiest = stats ? throughput(stats.hourly) : null;
  return (
    <section className="console-timing" data-testid="console-timing">
      {stats?.suggestion && (
        <p className="form-message warning" role="status" data-testid="console-timing-suggestion" data-code={stats.suggestion.code}>
          {suggestionText(stats.suggestion, lang)}
        </p>
      )}
      <details>
        <summary>
          <h2>{w('title', lang)}</h2>
          {busiest && busiest.peak > 0 && (
            <span data-testid="console-timing-peak">
              {' '}
              · {w('peak', lang)} {new Date(busiest.peakHourStart + SEOUL).toISOString().slice(11, 13)}:00 {busiest.peak}
              {w('perHour', lang)}
            </span>
          )}
        </summary>
        {error && <p className="form-message error">{error}</p>}
        {stats && stats.sources.length === 0 && <p>{w('none', lang)}</p>}
        {stats && stats.sources.length > 0 && (
          <table className="timing-table" data-testid="console-timing-table">
            <thead>
              <tr>
                <th>{w('source', lang)}</th>
                <th>{w('scans', lang)}</th>
                <th>{w('decode', lang)}</th>
                <th>{w('verify', lang)}</th>
                <th>{w('feedback', lang)}</th>
              </tr>
            </thead>
            <tbody>
              {stats.sources.map((s) => (
                <tr key={s.source} data-source={s.source}>
                  <td>{w(`source_${s.source}`, lang)}</td>
                  <td className="scans">{s.scans}</td>
                  <td className="decode">{fmt(s.stages.decode)}</td>
                  <td className="verify">{fmt(s.stages.verify)}</td>
                  <td className="feedback">{fmt(s.stages.feedback)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <p className="timing-note">{w('note', lang)}</p>
      </details>
    </section>
  );
}
