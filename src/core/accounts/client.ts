// Runs in Node (Electron main, development host). The kiosk app's accounts client: talks to
// the central API's accounts routes, signs each challenge with the person's 공동인증서 in main
// (the key is unlocked for one call, then dropped) and keeps the session token here; the
// renderer only ever sees the user, roles and menus.
import type { z } from 'zod';
import type { AccountRole, MenuId, RequestableRole, SignupSignedPayload, SigningPurpose, SignupUser } from '../../shared/accounts';
import {
  CURRENT_CONSENT,
  approvalList,
  challengeResponse,
  decisionResponse,
  institutionList,
  menusFor,
  myRolesResponse,
  roleRequestCreated,
  sessionResponse,
  signingMessage,
  signupResponse,
} from '../../shared/accounts';
import { CodedError } from '../../shared/envelope';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { HttpClient } from '../sync';
import type { CertificateSigner, CertificateWallet } from './wallet';

export interface SessionView {
  user: z.infer<typeof sessionResponse>['user'];
  roles: AccountRole[];
  menus: MenuId[];
  expiresAt: number;
}

export interface AccountsClientOptions {
  /** The central API's base address, or null when the kiosk has none configured. */
  apiUrl: () => string | null;
  http: HttpClient;
  wallet: CertificateWallet;
  clock: Clock;
  logger: Logger;
}

export interface SignupInput {
  certificateRef: string;
  password: Buffer;
  consent: { version: string; sha256: string; agreedAt: number };
  user: SignupUser;
  roles: RequestableRole[];
  /** 승인기관: the wizard always sends it (default: the institution's 관할 보건소) so the signed payload names it. */
  approverId: string;
}

const noServer = () => new CodedError('ACCOUNTS_NO_SERVER', '중앙 서버 주소가 설정되지 않았습니다. 운영 설정에서 서버 주소를 먼저 입력해 주세요.');
const notSignedIn = () => new CodedError('ACCOUNTS_NOT_SIGNED_IN', '로그인이 필요합니다. 공동인증서로 다시 로그인해 주세요.');
const badResponse = () => new CodedError('ACCOUNTS_BAD_RESPONSE', '중앙 서버의 응답을 읽을 수 없습니다. 잠시 후 다시 시도해 주세요.');

export function createAccountsClient(opts: AccountsClientOptions) {
  const { http, wallet, clock, logger } = opts;
  /** The bearer token lives only here, in main; never in the renderer or a log. */
  let session: { token: string; view: SessionView } | null = null;

  async function call<S extends z.ZodType>(
    method: 'GET' | 'POST',
    path: string,
    schema: S,
    body?: unknown,
    auth = false,
  ): Promise<z.infer<S>> {
    const base = opts.apiUrl();
    if (!base) throw noServer();
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (auth) {
      if (!session || session.view.expiresAt <= clock()) {
        session = null;
        throw notSignedIn();
      }
      headers.authorization = `Bearer ${session.token}`;
    }
    let res;
    try {
      res = await http({ method, url: `${base.replace(/\/+$/, '')}${path}`, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    } catch {
      throw new CodedError('ACCOUNTS_NETWORK', '중앙 서버에 연결할 수 없습니다. 네트워크와 서버 주소를 확인해 주세요.');
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(res.body);
    } catch {
      throw badResponse();
    }
    if (res.status < 200 || res.status > 299) {
      const err = (parsed as { error?: { code?: unknown; message?: unknown } } | null)?.error;
      const code = typeof err?.code === 'string' ? err.code : `HTTP_${res.status}`;
      if (auth && (code === 'UNAUTHENTICATED' || code === 'SESSION_EXPIRED')) session = null;
      logger.warn('accounts request refused', { path: path.split('?')[0], status: res.status, code });
      throw new CodedError(code, typeof err?.message === 'string' ? err.message : '중앙 서버가 요청을 처리하지 못했습니다.');
    }
    const checked = schema.safeParse(parsed);
    if (!checked.success) throw badResponse();
    return checked.data;
  }

  /** A fresh single-use nonce from the server, signed over `payload` for `purpose`. */
  async function signed(signer: CertificateSigner, purpose: SigningPurpose, payload: (signer: CertificateSigner) => unknown) {
    const challenge = await call('POST', '/v1/accounts/challenge', challengeResponse, { purpose });
    const signature = signer.sign(signingMessage(purpose, challenge.audience, challenge.nonce, payload(signer)));
    return { nonce: challenge.nonce, signature };
  }

  const viewOf = (s: z.infer<typeof sessionResponse>): SessionView => ({
    user: s.user,
    roles: s.roles,
    // The menus come from the one permission table; what the server sends must agree with it.
    menus: menusFor(s.roles),
    expiresAt: s.expiresAt,
  });

  return {
    /** The consent text this app shows (versioned; its hash goes with the agreement). */
    consent: () => ({ version: CURRENT_CONSENT.version, sha256: CURRENT_CONSENT.sha256, text: CURRENT_CONSENT.text }),

    institutions(query: { q?: string; kind?: 'health_center' | 'clinic' | 'facility' }) {
      const params = new URLSearchParams();
      if (query.q) params.set('q', query.q);
      if (query.kind) params.set('kind', query.kind);
      const qs = params.toString();
      return call('GET', `/v1/accounts/institutions${qs ? `?${qs}` : ''}`, institutionList);
    },

    async signup(input: SignupInput) {
      const entry = wallet.entry(input.certificateRef);
      // 이름 must be the certificate holder's: checked here first so a typo costs no round trip.
      if (entry.holderName.replace(/\s+/g, '') !== input.user.name.replace(/\s+/g, '')) {
        input.password.fill(0);
        throw new CodedError('NAME_MISMATCH', `이름이 인증서의 이름(${entry.holderName})과 다릅니다. 인증서 명의자 본인의 이름을 입력해 주세요.`);
      }
      return wallet.unlocked(input.certificateRef, input.password, async (signer) => {
        const payload = (s: CertificateSigner): SignupSignedPayload => ({
          consent: input.consent,
          user: input.user,
          roles: input.roles,
          approverId: input.approverId,
          spkiSha256: s.spkiSha256,
        });
        const { nonce, signature } = await signed(signer, 'signup', payload);
        return call('POST', '/v1/accounts/signup', signupResponse, {
          consent: input.consent,
          certificate: signer.certificate,
          user: input.user,
          roles: input.roles,
          approverId: input.approverId,
          nonce,
          signature,
        });
      });
    },

    async login(input: { loginId: string; certificateRef: string; password: Buffer }): Promise<SessionView> {
      const s = await wallet.unlocked(input.certificateRef, input.password, async (signer) => {
        const { nonce, signature } = await signed(signer, 'login', (x) => ({ loginId: input.loginId, spkiSha256: x.spkiSha256 }));
        return call('POST', '/v1/accounts/login', sessionResponse, { loginId: input.loginId, certificate: signer.certificate, nonce, signature });
      });
      session = { token: s.token, view: viewOf(s) };
      logger.info('accounts signed in', { roles: s.roles.length });
      return session.view;
    },

    /** The session as main holds it (refreshed from the server, so approved roles show up), or null. */
    async me(): Promise<SessionView | null> {
      if (!session) return null;
      try {
        const s = await call('POST', '/v1/accounts/refresh', sessionResponse, {}, true);
        session = { token: s.token, view: viewOf(s) };
        return session.view;
      } catch (err) {
        if (!session) return null; // the server ended the session
        throw err;
      }
    },

    myRoles: () => call('GET', '/v1/accounts/me/roles', myRolesResponse, undefined, true),

    async requestRoles(input: { roles: RequestableRole[]; approverId?: string; certificateRef: string; password: Buffer }) {
      const current = session;
      if (!current) {
        input.password.fill(0);
        throw notSignedIn();
      }
      return wallet.unlocked(input.certificateRef, input.password, async (signer) => {
        const { nonce, signature } = await signed(signer, 'role-request', () => ({ roles: input.roles, approverId: input.approverId ?? null, userId: current.view.user.id }));
        return call('POST', '/v1/accounts/me/role-requests', roleRequestCreated, { roles: input.roles, ...(input.approverId ? { approverId: input.approverId } : {}), nonce, signature }, true);
      });
    },

    cancelRequest: (requestId: string) =>
      call('POST', `/v1/accounts/me/role-requests/${encodeURIComponent(requestId)}/cancel`, decisionResponse, {}, true),

    pendingApprovals: () => call('GET', '/v1/approvals/role-requests?state=pending', approvalList, undefined, true),

    decide: (input: { requestId: string; approve: boolean; comment: string }) =>
      call(
        'POST',
        `/v1/approvals/role-requests/${encodeURIComponent(input.requestId)}/decision`,
        decisionResponse,
        { decision: input.approve ? 'approve' : 'reject', comment: input.comment },
        true,
      ),

    logout() {
      session = null;
    },
  };
}

export type AccountsClient = ReturnType<typeof createAccountsClient>;
