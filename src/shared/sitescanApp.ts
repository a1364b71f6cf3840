// Runs everywhere (renderer, main, server). The homepage-security app contract: the registration
// form's field rules with Korean messages (the same rules the server applies), which hosts are
// blogs/cafés/SNS and not a clinic's homepage, and the shapes of the service's answers that the
// app reads (site list, site report, visit evidence).
import { z } from 'zod';

/**
 * Hosts that are blogs, cafés or SNS pages, not a clinic's own homepage: the host itself or any
 * subdomain matches. Kept as data so the CERT can extend it.
 */
export const NON_HOMEPAGE_HOSTS: ReadonlyArray<readonly [string, string]> = [
  ['blog.naver.com', '네이버 블로그'],
  ['cafe.naver.com', '네이버 카페'],
  ['post.naver.com', '네이버 포스트'],
  ['blog.me', '네이버 블로그'],
  ['tistory.com', '티스토리 블로그'],
  ['blog.daum.net', '다음 블로그'],
  ['cafe.daum.net', '다음 카페'],
  ['brunch.co.kr', '브런치'],
  ['blogspot.com', '블로거(Blogspot)'],
  ['wordpress.com', '워드프레스닷컴 블로그'],
  ['velog.io', '벨로그'],
  ['instagram.com', '인스타그램'],
  ['facebook.com', '페이스북'],
  ['fb.com', '페이스북'],
  ['youtube.com', '유튜브'],
  ['youtu.be', '유튜브'],
  ['twitter.com', '트위터(X)'],
  ['x.com', '트위터(X)'],
  ['threads.net', '스레드'],
  ['tiktok.com', '틱톡'],
  ['band.us', '네이버 밴드'],
  ['pf.kakao.com', '카카오톡 채널'],
  ['story.kakao.com', '카카오스토리'],
  ['open.kakao.com', '카카오톡 오픈채팅'],
  ['linkedin.com', '링크드인'],
];

/** Returns the kind of non-homepage service the host belongs to, or undefined. */
export function nonHomepageKind(host: string): string | undefined {
  const h = host.toLowerCase().replace(/\.$/, '');
  return NON_HOMEPAGE_HOSTS.find(([suffix]) => h === suffix || h.endsWith(`.${suffix}`))?.[1];
}

/** Office numbers: 02 + 7–8 digits, 0[3-6]x + 7–8 digits, 070/050x, 15xx/16xx/18xx + 4, or a mobile. */
export function isOfficePhone(v: string): boolean {
  return /^(02\d{7,8}|0[3-6][1-5]\d{7,8}|070\d{8}|050\d{8,9}|1[568]\d{6}|01[016789]\d{7,8})$/.test(v);
}
export function isMobilePhone(v: string): boolean {
  return /^01[016789]\d{7,8}$/.test(v);
}
export const EMAIL_RE = /^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** What the form can tell without the server: http(s), a host, not a blog/café/SNS page. The server checks addresses further. */
export function homepageUrlProblem(raw: string): string | null {
  const v = raw.trim();
  if (!v) return '홈페이지 주소를 입력해 주세요.';
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return '홈페이지 주소를 https://www.example.co.kr 처럼 입력해 주세요.';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return '홈페이지 주소는 http:// 또는 https:// 로 시작해야 합니다.';
  if (url.username || url.password) return '홈페이지 주소에 아이디나 비밀번호를 넣을 수 없습니다.';
  const kind = nonHomepageKind(url.hostname);
  if (kind) return `${kind}은(는) 블로그·카페·SNS 페이지라 등록할 수 없습니다. 의료기관이 직접 운영하는 홈페이지 주소를 입력해 주세요.`;
  return null;
}

const ko = (message: string) => ({ message });
const digits = (label: string) => z.string().regex(/^\d+$/, ko(`${label}는 숫자만 입력해 주세요 (- 없이).`));

/** The registration form (POST /v1/sitescan/sites), field by field with Korean messages. */
export const siteRegistration = z
  .object({
    clinicName: z.string().trim().min(1, ko('의료기관명을 입력해 주세요.')).max(100, ko('의료기관명은 100자 이내로 입력해 주세요.')),
    url: z
      .string()
      .max(2000, ko('홈페이지 주소가 너무 깁니다.'))
      .superRefine((v, ctx) => {
        const problem = homepageUrlProblem(v);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
    contactName: z.string().trim().min(1, ko('담당자명을 입력해 주세요.')).max(50, ko('담당자명은 50자 이내로 입력해 주세요.')),
    officePhone: digits('회사 전화번호').refine(isOfficePhone, ko('회사 전화번호를 지역번호부터 숫자만 입력해 주세요 (예: 0212345678).')),
    mobile: digits('휴대폰 번호').refine(isMobilePhone, ko('휴대폰 번호는 010으로 시작하는 숫자 10~11자리로 입력해 주세요 (예: 01012345678).')),
    email: z.string().trim().max(254, ko('이메일 주소가 너무 깁니다.')).regex(EMAIL_RE, ko('이메일 주소 형식이 올바르지 않습니다 (예: staff@clinic.kr).')),
    consentCollection: z.literal(true, ko('개인정보 수집·이용에 동의해야 신청할 수 있습니다.')),
    consentSuspension: z.literal(true, ko('보안 조치 미이행 시 서비스 중단 조건에 동의해야 신청할 수 있습니다.')),
  })
  .strict();
export type SiteRegistration = z.infer<typeof siteRegistration>;

/** Field → first Korean message, for showing beside each field. */
export function registrationProblems(input: unknown): Partial<Record<keyof SiteRegistration, string>> {
  const r = siteRegistration.safeParse(input);
  if (r.success) return {};
  const out: Partial<Record<keyof SiteRegistration, string>> = {};
  for (const issue of r.error.issues) {
    const key = issue.path[0] as keyof SiteRegistration | undefined;
    if (key && !out[key]) out[key] = issue.message;
  }
  return out;
}

export const siteId = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, ko('홈페이지 번호가 올바르지 않습니다.'));
export const resultId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, ko('점검 결과 번호가 올바르지 않습니다.'));
export const emailCode = z.string().regex(/^\d{6}$/, ko('인증 코드는 숫자 6자리입니다.'));

export const SITE_STATUSES = ['applied', 'verified', 'monitoring', 'suspended'] as const;
export const FOLLOWUP_STATES = ['normal', 'detected', 'action_requested', 'remediated', 'suspended'] as const;
export const OUTCOMES = ['clean', 'suspicious', 'malicious', 'failed'] as const;
const outcome = z.enum(OUTCOMES);

export const siteSummary = z.object({
  siteId: z.string(),
  clinicName: z.string(),
  url: z.string(),
  status: z.enum(SITE_STATUSES),
  statusLabel: z.string(),
  followup: z.enum(FOLLOWUP_STATES),
  followupLabel: z.string(),
  lastScanAt: z.number().nullable(),
  lastOutcome: outcome.nullable(),
  createdAt: z.number(),
});
export type SiteSummary = z.infer<typeof siteSummary>;
export const siteList = z.object({ sites: z.array(siteSummary) });

export const siteFinding = z.object({
  ruleId: z.string(),
  severity: z.string(),
  evidence: z.string(),
  resource: z.string().optional().nullable(),
  page: z.string().optional().nullable(),
  profile: z.string().optional().nullable(),
});
export type SiteFinding = z.infer<typeof siteFinding>;

export const siteReport = siteSummary.extend({
  nextScanAt: z.number().nullable(),
  emailCode: z.object({ expiresAt: z.number(), attemptsLeft: z.number(), sendsLeft: z.number(), resendAt: z.number() }).nullable(),
  results: z.array(
    z.object({
      resultId: z.string(),
      startedAt: z.number(),
      finishedAt: z.number(),
      outcome,
      errorCode: z.string().nullable(),
      // Findings are stored as the scanner wrote them; anything unreadable is shown as nothing rather than failing the report.
      findings: z.array(siteFinding).catch([]),
    }),
  ),
  notices: z.array(z.object({ at: z.number(), kind: z.string(), title: z.string(), body: z.string(), emailed: z.boolean() })),
});
export type SiteReport = z.infer<typeof siteReport>;

export const registered = z.object({ siteId: z.string(), status: z.literal('applied'), statusLabel: z.string() });
export const verified = z.object({ status: z.literal('verified'), statusLabel: z.string(), firstScanAt: z.number() });
export const codeSent = z.object({ sent: z.literal(true), expiresAt: z.number() });
export const remediated = z.object({ followup: z.enum(FOLLOWUP_STATES), followupLabel: z.string() });

export const visitEvidence = z.object({
  resultId: z.string(),
  siteId: z.string(),
  hasScreenshot: z.boolean(),
  pages: z.array(
    z.object({
      url: z.string(),
      finalUrl: z.string(),
      redirectChain: z.array(z.string()),
      requests: z.array(z.object({ url: z.string(), type: z.string(), status: z.number().nullable(), host: z.string() })),
      serverIp: z.string().nullable(),
      tlsIssuer: z.string().nullable(),
    }),
  ),
  preopen: z.unknown().optional(),
});
export const screenshotJson = z.object({ pngBase64: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/) });
/** What the app's report shows of one visit: the evidence and the screenshot (base64 PNG) when kept. */
export const visitView = visitEvidence.extend({ screenshotPngBase64: z.string().nullable() });
export type VisitView = z.infer<typeof visitView>;
