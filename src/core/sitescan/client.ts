// Runs in Node (Electron main, development host). The app's homepage-security client: my
// institution's sites, registration with the emailed code, a site's report, a visit's evidence
// and screenshot, and 조치 완료 — each over the staff session the accounts client holds (the
// bearer token stays there; this module never sees it). Inputs are checked before anything is sent.
import type { z } from 'zod';
import { CodedError } from '../../shared/envelope';
import type { SiteRegistration, VisitView } from '../../shared/sitescanApp';
import {
  codeSent,
  emailCode,
  registered,
  remediated,
  resultId,
  screenshotJson,
  siteId,
  siteList,
  siteRegistration,
  siteReport,
  verified,
  visitEvidence,
} from '../../shared/sitescanApp';
import type { AccountsClient } from '../accounts/client';

/** The part of the accounts client this one needs: its authorised call. */
export type AuthorizedCall = AccountsClient['authorized'];

/** Screenshots larger than this are not shown (a full-page PNG is a few hundred KiB). */
export const MAX_SCREENSHOT_BYTES = 8 * 1024 * 1024;

function checked<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new CodedError('SITESCAN_INPUT_INVALID', r.error.issues[0]?.message ?? '입력값을 확인해 주세요.');
}

const sitePath = (id: string) => `/v1/sitescan/sites/${encodeURIComponent(checked(siteId, id))}`;

export function createSitescanClient(opts: { authorized: AuthorizedCall }) {
  const { authorized } = opts;
  return {
    /** My institution's sites (시스템관리자: every site) with status and last outcome. */
    list: async () => authorized('GET', '/v1/sitescan/sites', siteList),

    /** 신청: the form checked here with the same rules as the server, then sent; the code goes to the email. */
    register: async (input: SiteRegistration) => {
      const form = checked(siteRegistration, input);
      return authorized('POST', '/v1/sitescan/sites', registered, form);
    },

    verify: async (id: string, code: string) => authorized('POST', `${sitePath(id)}/verify`, verified, { code: checked(emailCode, code.trim()) }),

    resendCode: async (id: string) => authorized('POST', `${sitePath(id)}/resend-code`, codeSent, {}),

    report: async (id: string) => authorized('GET', sitePath(id), siteReport),

    remediated: async (id: string) => authorized('POST', `${sitePath(id)}/remediated`, remediated, {}),

    /** One visit: pages, redirects, requests, and the screenshot when the store kept one. */
    async visit(id: string, result: string): Promise<VisitView> {
      const base = `${sitePath(id)}/results/${encodeURIComponent(checked(resultId, result))}`;
      const ev = await authorized('GET', `${base}/evidence`, visitEvidence);
      let screenshotPngBase64: string | null = null;
      if (ev.hasScreenshot) {
        const shot = await authorized('GET', `${base}/screenshot`, screenshotJson);
        if ((shot.pngBase64.length * 3) / 4 <= MAX_SCREENSHOT_BYTES && shot.pngBase64.startsWith(PNG_BASE64_PREFIX)) screenshotPngBase64 = shot.pngBase64;
      }
      return { ...ev, screenshotPngBase64 };
    },
  };
}

/** base64 of the PNG signature (89 50 4E 47 0D 0A 1A 0A): anything else is not shown as an image. */
const PNG_BASE64_PREFIX = 'iVBORw0KGgo';

export type SitescanClient = ReturnType<typeof createSitescanClient>;
