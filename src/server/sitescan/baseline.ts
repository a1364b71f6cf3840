// Runs in Node (server, CLI). The site's saved baseline and the comparison against it:
// defacement and tampering show as a collapse of text, structure and look together, or as
// new external scripts; an edited notice or a new line of text does not.
import { z } from 'zod';
import { CodedError } from '../../shared/envelope';
import { hostOf, siteOf } from './address';
import { unknownForeign } from './rules';
import { multisetSimilarity, similarity } from './textSimilarity';
import type { Finding, PageResult, ProfileVisit } from './types';

const pageSchema = z.object({
  path: z.string().max(2000),
  title: z.string().max(1000),
  text: z.string().max(60_000),
  structure: z.array(z.string().max(40)).max(5000),
  externalScripts: z.array(z.string().max(2000)).max(1000),
  scriptHashes: z.array(z.string().regex(/^[0-9a-f]{64}$/)).max(2000),
  screenshotHash: z.string().regex(/^[0-9a-f]{16}$/).optional(),
});
const baselineSchema = z.object({
  version: z.literal(1),
  site: z.string().max(300),
  createdAt: z.string().max(40),
  pages: z.array(pageSchema).max(50),
});
export type Baseline = z.infer<typeof baselineSchema>;
export type BaselinePage = z.infer<typeof pageSchema>;

export function parseBaseline(text: string): Baseline {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CodedError('BASELINE_INVALID', '기준선 파일이 JSON 형식이 아닙니다. --save-baseline 으로 만든 파일을 지정하세요.');
  }
  const parsed = baselineSchema.safeParse(json);
  if (!parsed.success) throw new CodedError('BASELINE_INVALID', '기준선 파일의 내용이 올바르지 않습니다. --save-baseline 으로 다시 만드세요.');
  return parsed.data;
}

const pathKey = (u: string) => {
  try {
    const url = new URL(u);
    return `${url.pathname}${url.search}`;
  } catch {
    return u;
  }
};

function baselinePage(page: PageResult, screenshotHash?: string): BaselinePage | null {
  const v = desktopOf(page);
  if (!v) return null;
  return {
    path: pathKey(page.url),
    title: v.title,
    text: v.text.slice(0, 50_000),
    structure: v.structure.slice(0, 5000),
    externalScripts: [...new Set(v.scripts.filter((s) => s.kind === 'external').map((s) => s.url))].slice(0, 1000),
    scriptHashes: [...new Set(v.scripts.filter((s) => s.kind === 'external' || s.kind === 'inline').map((s) => s.sha256))].slice(0, 2000),
    ...(screenshotHash ? { screenshotHash } : {}),
  };
}

const desktopOf = (page: PageResult): ProfileVisit | undefined => page.visits.find((v) => v.profile === 'desktop');

export function buildBaseline(site: string, pages: PageResult[], shots: Map<string, string>, nowMs: number): Baseline {
  return {
    version: 1,
    site,
    createdAt: new Date(nowMs).toISOString(),
    pages: pages.map((p) => baselinePage(p, shots.get(p.url))).filter((p): p is BaselinePage => p !== null),
  };
}

export const hamming64 = (a: string, b: string) => {
  let x = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
  let n = 0;
  while (x) {
    n += Number(x & 1n);
    x >>= 1n;
  }
  return n;
};

export interface PageChange {
  text: number;
  structure: number;
  visual?: number;
  titleChanged: boolean;
}

/** How much a page moved from its baseline; each 0..1 similarity, visual as 0..1 distance. */
export function pageChange(base: BaselinePage, now: BaselinePage): PageChange {
  return {
    text: similarity(base.text, now.text),
    structure: multisetSimilarity(base.structure, now.structure),
    ...(base.screenshotHash && now.screenshotHash ? { visual: hamming64(base.screenshotHash, now.screenshotHash) / 64 } : {}),
    titleChanged: base.title.trim() !== now.title.trim(),
  };
}

/** Defacement needs several independent signals; one changed word or notice is not one. */
export function isDefaced(c: PageChange): boolean {
  const signals = [c.text < 0.35, c.structure < 0.5, (c.visual ?? 0) > 0.3, c.titleChanged].filter(Boolean).length;
  return (c.text < 0.35 && signals >= 2) || signals >= 3;
}

export function compareBaseline(baseline: Baseline, pages: PageResult[], shots: Map<string, string>, siteHost: string): Finding[] {
  const out: Finding[] = [];
  for (const page of pages) {
    const now = baselinePage(page, shots.get(page.url));
    const base = baseline.pages.find((b) => b.path === now?.path);
    if (!now || !base) continue;
    const c = pageChange(base, now);
    const pct = (x: number) => `${Math.round(x * 100)}%`;
    const detail = `글 유사도 ${pct(c.text)}, 구조 유사도 ${pct(c.structure)}${c.visual !== undefined ? `, 화면 차이 ${pct(c.visual)}` : ''}${c.titleChanged ? ', 제목 변경' : ''}`;
    if (isDefaced(c)) {
      out.push({ ruleId: 'DEFACEMENT', severity: 'high', resource: page.url, page: page.url, profile: 'baseline', evidence: `기준선과 비교해 페이지가 통째로 바뀌었습니다(${detail}). 홈페이지 변조가 의심됩니다.` });
    } else if (c.text < 0.6 || c.structure < 0.7) {
      out.push({ ruleId: 'PAGE_CHANGED', severity: 'low', resource: page.url, page: page.url, profile: 'baseline', evidence: `기준선 이후 내용이 많이 바뀌었습니다(${detail}). 직접 수정한 것이 아니면 확인하세요.` });
    }
    const baseHosts = new Set(base.externalScripts.map((u) => siteOf(safeHost(u))));
    for (const u of now.externalScripts) {
      const h = safeHost(u);
      if (!baseHosts.has(siteOf(h)) && unknownForeign(h, { siteHost })) {
        out.push({ ruleId: 'NEW_EXTERNAL_SCRIPT', severity: 'medium', resource: u, page: page.url, profile: 'baseline', evidence: `기준선에 없던 외부 사이트 ${h}의 스크립트가 새로 들어왔습니다.` });
      }
    }
    const desktop = desktopOf(page);
    for (const s of desktop?.scripts ?? []) {
      if (s.kind !== 'external' || !base.externalScripts.includes(s.url) || base.scriptHashes.includes(s.sha256)) continue;
      out.push({ ruleId: 'SCRIPT_CHANGED', severity: 'low', resource: s.url, page: page.url, profile: 'baseline', evidence: `기준선 이후 스크립트 내용이 바뀌었습니다(sha256 ${s.sha256.slice(0, 16)}…). 업데이트한 것이 아니면 확인하세요.` });
    }
  }
  return out;
}

function safeHost(u: string): string {
  try {
    return hostOf(new URL(u));
  } catch {
    return '';
  }
}
