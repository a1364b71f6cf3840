// Runs in Node (main, CLI, server). Korean accredited-CA certificate policy OIDs: which CA
// issued a certificate and whether it is 개인 (personal) or 법인 (corporate). Data, not code:
// callers may pass their own table (e.g. a newer list from settings) to classifyPolicies.

export type CertKind = 'personal' | 'corporate';

export interface PolicyEntry {
  oid: string;
  kind: CertKind;
  /** Issuing CA as people know it. */
  ca: string;
  /** What the policy is, as shown in Korean certificate dialogs. */
  label: string;
  /** 범용 (general purpose) or 용도제한 (limited: banking, securities, …). */
  usage: 'general' | 'limited';
}

type Row = [oid: string, kind: CertKind, usage: PolicyEntry['usage'], label: string];

const byCa = (ca: string, rows: Row[]): PolicyEntry[] =>
  rows.map(([oid, kind, usage, label]) => ({ oid, kind, usage, label, ca }));

/**
 * Sources: the KISA/KCAC policy registrations as listed in the certificate-management tools
 * of the Korean CAs (yessign, SignKorea, SignGate, CrossCert, TradeSign, NCA). Server and
 * encryption-only policies are left out: they never sign a person's login.
 */
export const KOREAN_POLICIES: readonly PolicyEntry[] = [
  ...byCa('금융결제원(yessign)', [
    ['1.2.410.200005.1.1.1', 'personal', 'general', '개인 범용'],
    ['1.2.410.200005.1.1.2', 'corporate', 'limited', '기업 금융(용도제한)'],
    ['1.2.410.200005.1.1.4', 'personal', 'limited', '개인 은행·보험(용도제한)'],
    ['1.2.410.200005.1.1.5', 'corporate', 'general', '법인 범용'],
    ['1.2.410.200005.1.1.6.2', 'personal', 'limited', '개인 신용카드(용도제한)'],
    ['1.2.410.200005.1.1.6.8', 'corporate', 'limited', '전자세금계산서(용도제한)'],
  ]),
  ...byCa('코스콤(SignKorea)', [
    ['1.2.410.200004.5.1.1.1', 'personal', 'limited', '스페셜 개인'],
    ['1.2.410.200004.5.1.1.3', 'corporate', 'limited', '스페셜 법인'],
    ['1.2.410.200004.5.1.1.5', 'personal', 'general', '개인 범용'],
    ['1.2.410.200004.5.1.1.7', 'corporate', 'general', '법인 범용'],
    ['1.2.410.200004.5.1.1.9', 'personal', 'limited', '개인 증권·보험(용도제한)'],
    ['1.2.410.200004.5.1.1.9.2', 'personal', 'limited', '개인 신용카드(용도제한)'],
    ['1.2.410.200004.5.1.1.11', 'personal', 'limited', '실버 개인'],
    ['1.2.410.200004.5.1.1.12', 'corporate', 'limited', '실버 법인'],
  ]),
  ...byCa('한국정보인증(SignGate)', [
    ['1.2.410.200004.5.2.1.1', 'corporate', 'general', '법인 범용'],
    ['1.2.410.200004.5.2.1.2', 'personal', 'general', '개인 범용'],
    ['1.2.410.200004.5.2.1.3', 'corporate', 'limited', '전자입찰 특별등급'],
    ['1.2.410.200004.5.2.1.5', 'corporate', 'limited', '특별등급 법인'],
    ['1.2.410.200004.5.2.1.7.1', 'personal', 'limited', '개인 은행·보험(용도제한)'],
    ['1.2.410.200004.5.2.1.7.2', 'personal', 'limited', '개인 증권(용도제한)'],
    ['1.2.410.200004.5.2.1.7.3', 'personal', 'limited', '개인 신용카드(용도제한)'],
  ]),
  ...byCa('한국전자인증(CrossCert)', [
    ['1.2.410.200004.5.4.1.1', 'personal', 'general', '개인 범용'],
    ['1.2.410.200004.5.4.1.2', 'corporate', 'general', '법인 범용'],
    ['1.2.410.200004.5.4.1.4', 'personal', 'limited', '특수목적 개인'],
    ['1.2.410.200004.5.4.1.5', 'corporate', 'limited', '특수목적 법인'],
    ['1.2.410.200004.5.4.1.101', 'personal', 'limited', '개인 은행·보험(용도제한)'],
    ['1.2.410.200004.5.4.1.102', 'personal', 'limited', '개인 증권(용도제한)'],
    ['1.2.410.200004.5.4.1.103', 'personal', 'limited', '개인 신용카드(용도제한)'],
    ['1.2.410.200004.5.4.1.104', 'personal', 'limited', '개인 전자민원(용도제한)'],
  ]),
  ...byCa('한국무역정보통신(TradeSign)', [
    ['1.2.410.200012.1.1.1', 'personal', 'general', '개인 전자거래 서명용'],
    ['1.2.410.200012.1.1.3', 'corporate', 'general', '법인 전자거래 서명용'],
    ['1.2.410.200012.1.1.7', 'personal', 'limited', '개인 전자무역 서명용'],
    ['1.2.410.200012.1.1.9', 'corporate', 'limited', '법인 전자무역 서명용'],
    ['1.2.410.200012.1.1.101', 'personal', 'limited', '개인 은행·보험(용도제한)'],
    ['1.2.410.200012.1.1.103', 'personal', 'limited', '개인 증권(용도제한)'],
    ['1.2.410.200012.1.1.105', 'personal', 'limited', '개인 신용카드(용도제한)'],
  ]),
  ...byCa('한국전산원(NCA)', [
    ['1.2.410.200004.5.3.1.1', 'corporate', 'general', '기관·단체 1등급'],
    ['1.2.410.200004.5.3.1.2', 'corporate', 'general', '법인 1등급'],
    ['1.2.410.200004.5.3.1.9', 'personal', 'general', '개인 1등급'],
    ['1.2.410.200004.5.3.1.5', 'corporate', 'limited', '기관·단체 특수목적'],
    ['1.2.410.200004.5.3.1.6', 'corporate', 'limited', '법인 특수목적'],
    ['1.2.410.200004.5.3.1.8', 'personal', 'limited', '개인 특수목적'],
  ]),
];

export const KIND_LABEL: Record<CertKind | 'unknown', string> = { personal: '개인', corporate: '법인', unknown: '알 수 없음' };

export interface PolicyClassification {
  kind: CertKind | 'unknown';
  /** The policy OID that decided the kind; else the first policy in the certificate, or null. */
  policy: string | null;
  entry: PolicyEntry | null;
}

/**
 * The first of the certificate's policy OIDs found in the table decides. No match → 'unknown':
 * the sign-up refuses such certificates rather than guess from the subject name.
 */
export function classifyPolicies(oids: readonly string[], table: readonly PolicyEntry[] = KOREAN_POLICIES): PolicyClassification {
  for (const oid of oids) {
    const entry = table.find((e) => e.oid === oid);
    if (entry) return { kind: entry.kind, policy: oid, entry };
  }
  return { kind: 'unknown', policy: oids[0] ?? null, entry: null };
}
