// Runs in the renderer. The operator console: entries per hour as an SVG chart, refusals by
// result code, sync / clock / scanner state, per-scan timing (TimingPanel), CSV export and a virtualised entry list (only the
// visible rows are in the DOM; pages of 200 load by cursor as the list scrolls). Entries show
// token id, time, result and source — the contract carries nothing more.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Response } from '../../../shared/contract';
import type { Lang } from '../i18n/text';
import { languageOf } from '../store/kiosk';
import { useKiosk, useKioskState } from '../screens/context';
import { bars, visibleWindow } from './layout';
import { DevicesScreen } from '../devices/DevicesScreen';
import { TimingPanel } from './TimingPanel';
import { QuarantinePanel } from './QuarantinePanel';

const ROW_HEIGHT = 36;
const PAGE = 200;
const HOUR = 3_600_000;
const SEOUL = 9 * HOUR;

type Row = Response<'console:entries'>['rows'][number];

const W = {
  title: { ko: '운영 콘솔', en: 'Operator console' },
  from: { ko: '시작', en: 'From' },
  to: { ko: '끝', en: 'To' },
  search: { ko: '조회', en: 'Search' },
  hourly: { ko: '시간대별 출입', en: 'Entries per hour' },
  refusals: { ko: '거부된 스캔 (결과 코드별)', en: 'Refused scans by result code' },
  noRefusals: { ko: '거부된 스캔이 없습니다.', en: 'No refused scans.' },
  entries: { ko: '출입 기록', en: 'Entries' },
  total: { ko: '건', en: 'entries' },
  sync: { ko: '동기화', en: 'Sync' },
  pending: { ko: '대기', en: 'pending' },
  lastSuccess: { ko: '마지막 성공', en: 'last success' },
  quarantined: { ko: '격리(서버 거부)', en: 'quarantined (refused by server)' },
  clock: { ko: '시계 차이', en: 'Clock offset' },
  scanner: { ko: '스캐너', en: 'Scanner' },
  exportHour: { ko: 'CSV 내보내기 (시간별)', en: 'Export CSV (hourly)' },
  exportDay: { ko: 'CSV 내보내기 (일별)', en: 'Export CSV (daily)' },
  close: { ko: '닫기', en: 'Close' },
  devices: { ko: '장치 설정', en: 'Device setup' },
  token: { ko: '토큰', en: 'Token' },
  time: { ko: '시각', en: 'Time' },
  result: { ko: '결과', en: 'Result' },
  source: { ko: '입력', en: 'Source' },
  never: { ko: '없음', en: 'never' },
  unknown: { ko: '알 수 없음', en: 'unknown' },
  loading: { ko: '불러오는 중…', en: 'Loading…' },
} as const;
const w = (k: keyof typeof W, lang: Lang) => W[k][lang];

/** 'YYYY-MM-DDTHH:mm' in Seoul time, for datetime-local inputs (the kiosk's people think in KST). */
const toInput = (ms: number) => new Date(ms + SEOUL).toISOString().slice(0, 16);
const fromInput = (v: string): number | null => {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v)) return null;
  const ms = Date.parse(`${v}:00+09:00`);
  return Number.isFinite(ms) ? ms : null;
};
const fmtTime = (ms: number) => new Date(ms + SEOUL).toISOString().slice(5, 19).replace('T', ' ');

export function ConsoleScreen() {
  const { kiosk } = useKiosk();
  const lang = useKioskState(languageOf);
  const status = useKioskState((s) => s.status);
  const timeoutMs = useKioskState((s) => s.settings?.screenTimeoutMs ?? 120_000);
  const [range, setRange] = useState(() => {
    const now = Date.now();
    const dayStart = Math.floor((now + SEOUL) / (24 * HOUR)) * 24 * HOUR - SEOUL;
    return { from: dayStart, to: dayStart + 24 * HOUR };
  });
  const [draft, setDraft] = useState(() => ({ from: toInput(range.from), to: toInput(range.to) }));
  const [hourly, setHourly] = useState<Response<'console:hourly'>['buckets'] | null>(null);
  const [refusals, setRefusals] = useState<Response<'console:refusals'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [devicesOpen, setDevicesOpen] = useState(false);

  // Back to the kiosk after screenTimeoutMs without input: an open console is not left unattended.
  useEffect(() => {
    let timer = setTimeout(() => kiosk.openConsole(false), timeoutMs);
    const poke = () => {
      clearTimeout(timer);
      timer = setTimeout(() => kiosk.openConsole(false), timeoutMs);
    };
    window.addEventListener('pointerdown', poke);
    window.addEventListener('keydown', poke);
    window.addEventListener('wheel', poke);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('pointerdown', poke);
      window.removeEventListener('keydown', poke);
      window.removeEventListener('wheel', poke);
    };
  }, [kiosk, timeoutMs]);

  useEffect(() => {
    let live = true;
    void (async () => {
      const day = new Date(range.to - 1 + SEOUL).toISOString().slice(0, 10);
      const [h, r] = await Promise.all([kiosk.ask('console:hourly', range), kiosk.ask('console:refusals', { day })]);
      if (!live) return;
      setHourly(h.ok ? h.value.buckets : null);
      setRefusals(r.ok ? r.value : null);
      const bad = !h.ok ? h.error : !r.ok ? r.error : null;
      setError(bad ? `${bad.message} (${bad.code})` : null);
    })();
    return () => {
      live = false;
    };
  }, [kiosk, range]);

  const search = () => {
    const from = fromInput(draft.from);
    const to = fromInput(draft.to);
    if (from === null || to === null || to <= from || to - from > 32 * 24 * HOUR) {
      setError(lang === 'ko' ? '조회 기간이 올바르지 않습니다. 시작이 끝보다 앞서고 32일 이내가 되도록 골라 주세요.' : 'Choose a start before the end, at most 32 days apart.');
      return;
    }
    setError(null);
    setRange({ from, to });
  };

  const exportCsv = async (granularity: 'hour' | 'day') => {
    const env = await kiosk.ask('console:exportCsv', { ...range, granularity });
    if (!env.ok) {
      setError(`${env.error.message} (${env.error.code})`);
      return;
    }
    // A Blob URL and <a download>: nothing leaves the machine, and the page's CSP is untouched.
    const url = URL.createObjectURL(new Blob([env.value.csv], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = env.value.filename;
    a.dataset.testid = 'console-download';
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  const syncLine = status
    ? `${status.sync.state} · ${w('pending', lang)} ${status.sync.pending} · ${w('lastSuccess', lang)} ${status.sync.lastSuccessAt ? fmtTime(status.sync.lastSuccessAt) : w('never', lang)}${status.sync.quarantined ? ` · ${w('quarantined', lang)} ${status.sync.quarantined}` : ''}`
    : '—';
  const offset = status?.clock.offsetMs ?? null;
  const clockLine = offset === null ? w('unknown', lang) : `${offset > 0 ? "+" : ""}${offset} ms (${status?.clock.state ?? ""})`;

  if (devicesOpen) return <DevicesScreen onClose={() => setDevicesOpen(false)} />;
  return (
    <section className="screen console" data-testid="console" data-allow-typing="">
      <header className="console-head">
        <h1 className="panel-title">{w('title', lang)}</h1>
        <button type="button" className="btn" data-testid="open-devices" onClick={() => setDevicesOpen(true)}>
          {w('devices', lang)}
        </button>
        <button type="button" className="btn" data-testid="console-close" onClick={() => kiosk.openConsole(false)}>
          {w('close', lang)}
        </button>
      </header>
      <dl className="console-status" data-testid="console-status">
        <dt>{w('sync', lang)}</dt>
        <dd data-testid="console-sync">{syncLine}</dd>
        <dt>{w('clock', lang)}</dt>
        <dd data-testid="console-clock">{clockLine}</dd>
        <dt>{w('scanner', lang)}</dt>
        <dd data-testid="console-scanner">{status ? `${status.scanner.state} · ${status.scanner.detail}` : '—'}</dd>
      </dl>
      <form
        className="console-range"
        onSubmit={(e) => {
          e.preventDefault();
          search();
        }}
      >
        <label>
          {w('from', lang)}
          <input type="datetime-local" value={draft.from} data-testid="console-from" onChange={(e) => setDraft((d) => ({ ...d, from: e.target.value }))} />
        </label>
        <label>
          {w('to', lang)}
          <input type="datetime-local" value={draft.to} data-testid="console-to" onChange={(e) => setDraft((d) => ({ ...d, to: e.target.value }))} />
        </label>
        <button type="submit" className="btn primary" data-testid="console-search">
          {w('search', lang)}
        </button>
        <button type="button" className="btn" data-testid="console-export-hour" onClick={() => void exportCsv('hour')}>
          {w('exportHour', lang)}
        </button>
        <button type="button" className="btn" data-testid="console-export-day" onClick={() => void exportCsv('day')}>
          {w('exportDay', lang)}
        </button>
      </form>
      {error && (
        <p className="form-message error" role="status" data-testid="console-error">
          {error}
        </p>
      )}
      <div className="console-grid">
        <figure className="console-chart" data-testid="console-hourly">
          <figcaption>{w('hourly', lang)}</figcaption>
          {hourly ? <HourlyChart buckets={hourly} lang={lang} /> : <p>{w('loading', lang)}</p>}
        </figure>
        <div className="console-refusals" data-testid="console-refusals">
          <h2>{w('refusals', lang)}</h2>
          {refusals && refusals.byCode.length === 0 && <p>{w('noRefusals', lang)}</p>}
          <ul>
            {refusals?.byCode.map((r) => (
              <li key={r.code} data-code={r.code}>
                <span className="code">{r.code}</span> <span className="count">{r.count}</span>
              </li>
            ))}
          </ul>
        </div>
      </div>
      <TimingPanel from={range.from} to={range.to} lang={lang} />
      <QuarantinePanel lang={lang} />
      <EntryList key={`${range.from}-${range.to}`} from={range.from} to={range.to} lang={lang} onError={setError} />
    </section>
  );
}

function HourlyChart({ buckets, lang }: { buckets: Response<'console:hourly'>['buckets']; lang: Lang }) {
  const width = 720;
  const height = 160;
  const geometry = useMemo(() => bars(buckets.map((b) => b.count), width, height), [buckets]);
  const total = buckets.reduce((n, b) => n + b.count, 0);
  return (
    <svg className="chart" viewBox={`0 0 ${width} ${height + 18}`} role="img" aria-label={`${w('hourly', lang)}: ${total}`} data-total={total}>
      {geometry.map((bar, i) => {
        const start = buckets[i]?.start ?? 0;
        const hour = new Date(start + SEOUL).getUTCHours();
        return (
          <g key={start}>
            <rect x={bar.x} y={bar.y} width={bar.width} height={bar.height} className="bar">
              <title>{`${fmtTime(start).slice(0, 11)}:00 — ${bar.count}`}</title>
            </rect>
            {buckets.length <= 48 && hour % 3 === 0 && (
              <text x={bar.x + bar.width / 2} y={height + 14} textAnchor="middle" className="axis">
                {hour}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

function EntryList({ from, to, lang, onError }: { from: number; to: number; lang: Lang; onError: (m: string) => void }) {
  const { kiosk } = useKiosk();
  const [rows, setRows] = useState<Row[]>([]);
  const [total, setTotal] = useState<number | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(400);
  const cursor = useRef<string | null | undefined>(undefined); // undefined: first page not asked yet
  const loading = useRef(false);
  const box = useRef<HTMLDivElement>(null);

  const loadMore = useCallback(async () => {
    if (loading.current || cursor.current === null) return;
    loading.current = true;
    const env = await kiosk.ask('console:entries', { from, to, limit: PAGE, cursor: cursor.current ?? null });
    loading.current = false;
    if (!env.ok) {
      onError(`${env.error.message} (${env.error.code})`);
      cursor.current = null;
      return;
    }
    cursor.current = env.value.cursor;
    const total = env.value.total;
    if (total !== null) setTotal(total);
    setRows((r) => r.concat(env.value.rows));
  }, [kiosk, from, to, onError]);

  useEffect(() => {
    void loadMore();
  }, [loadMore]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    setViewport(el.clientHeight);
    const observer = new ResizeObserver(() => setViewport(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const win = visibleWindow({ scrollTop, viewport, rowHeight: ROW_HEIGHT, total: rows.length });
  // Within two pages of the end of what is loaded: ask for the next page.
  useEffect(() => {
    if (win.end >= rows.length - PAGE / 2 && cursor.current !== null) void loadMore();
  }, [win.end, rows.length, loadMore]);

  return (
    <div className="console-entries">
      <h2>
        {w('entries', lang)} <span data-testid="console-total">{total ?? '…'}</span> {w('total', lang)}
      </h2>
      <div className="entry-row entry-head" aria-hidden="true">
        <span>{w('time', lang)}</span>
        <span>{w('token', lang)}</span>
        <span>{w('result', lang)}</span>
        <span>{w('source', lang)}</span>
      </div>
      <div
        ref={box}
        className="entry-scroll"
        data-testid="console-list"
        data-loaded={rows.length}
        data-rendered={win.end - win.start}
        role="list"
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      >
        <div style={{ height: rows.length * ROW_HEIGHT, position: 'relative' }}>
          {rows.slice(win.start, win.end).map((r, i) => (
            <div key={`${r.tokenId}`} className="entry-row" role="listitem" data-index={win.start + i} style={{ position: 'absolute', top: (win.start + i) * ROW_HEIGHT, height: ROW_HEIGHT, left: 0, right: 0 }}>
              <span>{fmtTime(r.scannedAt)}</span>
              <span className="token">{r.tokenId}</span>
              <span>{r.result}</span>
              <span>{r.source}</span>
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
