// Runs in Node (server, CLI). How alike two texts or structures are, tolerant of small edits:
// Jaccard similarity over word 3-shingles (texts) or over multisets (DOM tag pairs).

function shingles(text: string, n = 3): Set<string> {
  const words = text.toLowerCase().split(/[\s.,·|()[\]{}:;!?"'“”‘’<>/\\-]+/).filter(Boolean).slice(0, 20_000);
  const out = new Set<string>();
  if (words.length < n) {
    if (words.length) out.add(words.join(' '));
    return out;
  }
  for (let i = 0; i + n <= words.length; i++) out.add(words.slice(i, i + n).join(' '));
  return out;
}

/** 1 = same words in the same order, 0 = nothing in common. Two empty texts are equal. */
export function similarity(a: string, b: string): number {
  const sa = shingles(a);
  const sb = shingles(b);
  if (sa.size === 0 && sb.size === 0) return 1;
  let inter = 0;
  for (const s of sa) if (sb.has(s)) inter++;
  return inter / (sa.size + sb.size - inter);
}

/** Jaccard over multisets: [a,a,b] vs [a,b] = 2/3. */
export function multisetSimilarity(a: string[], b: string[]): number {
  if (a.length === 0 && b.length === 0) return 1;
  const count = (xs: string[]) => xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<string, number>());
  const ca = count(a);
  const cb = count(b);
  let inter = 0;
  let union = 0;
  for (const k of new Set([...ca.keys(), ...cb.keys()])) {
    const x = ca.get(k) ?? 0;
    const y = cb.get(k) ?? 0;
    inter += Math.min(x, y);
    union += Math.max(x, y);
  }
  return inter / union;
}
