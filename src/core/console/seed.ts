// Runs in Node (tests, benchmarks, e2e host). Fills an existing entry log file with synthetic
// entries in one batched transaction, to test and measure the console on large logs. Never
// used by the product. Subjects are fixed placeholders, not personal data.
import Database from 'better-sqlite3';

export function seedEntries(path: string, opts: { count: number; from: number; spanMs: number; kioskId?: string }): void {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF');
    const ins = db.prepare(
      `INSERT INTO entry (id, token_id, issuer, subject, facility_id, kiosk_id, scanned_at, issued_at, source, result)
       VALUES (?, ?, ?, 'seed', 'seed-facility', ?, ?, ?, ?, 'OK')`,
    );
    const sources = ['wedge', 'camera', 'hid'] as const;
    const kiosk = opts.kioskId ?? 'seed-kiosk';
    const step = opts.spanMs / Math.max(1, opts.count);
    const batch = db.transaction((start: number, end: number) => {
      for (let i = start; i < end; i++) {
        const at = Math.floor(opts.from + i * step);
        const hex = i.toString(16).padStart(12, '0');
        ins.run(`seed-${hex}`, `T${hex}`, (i % 3) + 1, kiosk, at, Math.floor(at / 1000) - 2, sources[i % 3] as string, );
      }
    });
    for (let s = 0; s < opts.count; s += 50_000) batch(s, Math.min(opts.count, s + 50_000));
  } finally {
    db.close();
  }
}
