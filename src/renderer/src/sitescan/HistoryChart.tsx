// Runs in the renderer. Scan history as an SVG bar chart (no chart library): one bar per scan,
// oldest left, height = findings, colour and a pattern-free label per outcome; each bar has a
// <title> and is a button that selects that scan; a text summary sits beside it for screen readers.
import type { Response } from '../../../shared/contract';
import type { Lang } from '../i18n/text';
import { sst } from '../i18n/text';
import { OUTCOME_COLOUR, historyBars, seoulTime } from './view';

const W = 600;
const H = 120;

export function HistoryChart({ results, lang, selected, onSelect }: { results: Response<'sitescan:report'>['results']; lang: Lang; selected: string | null; onSelect(resultId: string): void }) {
  if (results.length === 0) return <p data-testid="ss-history-empty">{sst('historyEmpty', lang)}</p>;
  const { bars, maxFindings } = historyBars(results, W, H);
  const count = (o: keyof typeof OUTCOME_COLOUR) => results.filter((r) => r.outcome === o).length;
  const summary = sst('historySummary', lang, { n: results.length, clean: count('clean'), suspicious: count('suspicious'), malicious: count('malicious'), failed: count('failed') });
  return (
    <figure className="ss-chart" data-testid="ss-chart">
      <svg viewBox={`-30 -10 ${W + 40} ${H + 30}`} role="img" aria-label={summary} data-bars={bars.length}>
        <line x1={0} y1={H} x2={W} y2={H} stroke="#5f6368" />
        <line x1={0} y1={0} x2={0} y2={H} stroke="#5f6368" />
        <text x={-6} y={6} textAnchor="end" fontSize={10}>{maxFindings}</text>
        <text x={-6} y={H} textAnchor="end" fontSize={10}>0</text>
        {bars.map((b) => (
          <rect
            key={b.resultId}
            x={b.x}
            y={b.y}
            width={b.width}
            height={b.height}
            fill={OUTCOME_COLOUR[b.outcome]}
            opacity={b.outcome === 'failed' ? 0.35 : 1}
            stroke={b.resultId === selected ? '#1a73e8' : 'none'}
            strokeWidth={3}
            className="ss-bar"
            data-testid="ss-bar"
            data-outcome={b.outcome}
            tabIndex={0}
            onClick={() => onSelect(b.resultId)}
            onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && onSelect(b.resultId)}
          >
            <title>{`${seoulTime(b.startedAt)} · ${sst(`outcome_${b.outcome}`, lang)} · ${b.findings}`}</title>
          </rect>
        ))}
        {bars.length > 0 && (
          <>
            <text x={0} y={H + 16} fontSize={10}>{seoulTime(bars[0]!.startedAt)}</text>
            <text x={W} y={H + 16} fontSize={10} textAnchor="end">{seoulTime(bars[bars.length - 1]!.startedAt)}</text>
          </>
        )}
      </svg>
      <figcaption>
        {summary}
        <span className="ss-legend">
          {(Object.keys(OUTCOME_COLOUR) as Array<keyof typeof OUTCOME_COLOUR>).map((o) => (
            <span key={o}>
              <span className="ss-swatch" style={{ background: OUTCOME_COLOUR[o] }} aria-hidden="true" /> {sst(`outcome_${o}`, lang)}
            </span>
          ))}
        </span>
      </figcaption>
    </figure>
  );
}
