// Runs in Node (Electron main, development host). The kiosk app's accounts client: talks to
// the central API's accounts routes, signs each challenge with the person's 공동인증서 in main
// (the key is unlocked for one call, then dropped) and keeps the session token here; the
// renderer only ever sees the user, roles and menus. It refreshes the short session before it
// expires (new roles show up, a disabled account is signed out) and tells main of each change.
import type { z } from 'zod';
import type { AccountRole, MenuId, RequestableRole, SignupSignedPayload, SigningPurpose, SignupUser, institutionCreate, institutionUpdate } from '../../shared/accounts';
import {
  CURRENT_CONSENT,
  adminInstitution,
  adminInstitutionList,
  approvalList,
  approverUserList,
  challengeResponse,
  decisionResponse,
  institutionList,
  menusFor,
  myRolesResponse,
  rebindResponse,
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

/** Why the session changed, as pushed to the renderer (accounts:session). */
export type SessionChangeReason = 'signed-in' | 'refreshed' | 'roles-changed' | 'signed-out' | 'expired' | 'revoked' | 'disabled';

export interface SessionChange {
  session: SessionView | null;
  reason: SessionChangeReason;
  /** Korean sentence for the person when they were signed out by the system; null otherwise. */
  message: string | null;
}

/** Timers the refresh uses; tests pass manual ones. The default timers are unref'd. */
export interface RefreshTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface AccountsClientOptions {
  /** The central API's base address, or null when the kiosk has none configured. */
  apiUrl: () => string | null;
  http: HttpClient;
  wallet: CertificateWallet;
  clock: Clock;
  logger: Logger;
  /** Told of every session change (main pushes it to the renderer). */
  onSession?: (change: SessionChange) => void;
  timers?: RefreshTimers;
  /** Longest time between refreshes, so approved roles appear soon (default 5 minutes). */
  refreshEveryMs?: number;
}

/** Refresh this long before the token expires at the latest. */
export const REFRESH_MARGIN_MS = 60_000;
/** After a failed refresh (network, server error), try again this soon (while the token lasts). */
export const REFRESH_RETRY_MS = 15_000;
export const DEFAULT_REFRESH_EVERY_MS = 5 * 60_000;

const unrefTimers: RefreshTimers = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** Server answers that end a session (anything else is a passing failure: retry). */
const ENDING: Record<string, { reason: SessionChangeReason; message: string }> = {
  UNAUTHENTICATED: { reason: 'revoked', message: '세션이 더 이상 유효하지 않아 로그아웃되었습니다. 공동인증서로 다시 로그인해 주세요.' },
  SESSION_EXPIRED: { reason: 'expired', message: '로그인 시간이 지나 로그아웃되었습니다. 공동인증서로 다시 로그인해 주세요.' },
  USER_NOT_FOUND: { reason: 'revoked', message: '계정을 찾을 수 없어 로그아웃되었습니다. 승인기관에 문의해 주세요.' },
  ACCOUNT_DISABLED: { reason: 'disabled', message: '사용이 중지된 계정이라 로그아웃되었습니다. 승인기관에 문의해 주세요.' },
};
const EXPIRED = ENDING.SESSION_EXPIRED!;

export interface SignupInput {
  certificateRef: string;
  password: Buffer;
  consent: { version: string; sha256: string; agreedAt: number };
  user: SignupUser;
  roles: RequestableRole[];
  /** 승인기관: the wizard always sends it (default: the institution's 관할 보건소) so the signed payload names it. */
  approverId: string;
}

export interface LoginInput {
  loginId: string;
  certificateRef: string;
  password: Buffer;
}

const noServer = () => new CodedError('ACCOUNTS_NO_SERVER', '중앙 서버 주소가 설정되지 않았습니다. 운영 설정에서 서버 주소를 먼저 입력해 주세요.');
const notSignedIn = () => new CodedError('ACCOUNTS_NOT_SIGNED_IN', '로그인이 필요합니다. 공동인증서로 다시 로그인해 주세요.');
const badResponse = () => new CodedError('ACCOUNTS_BAD_RESPONSE', '중앙 서버의 응답을 읽을 수 없습니다. 잠시 후 다시 시도해 주세요.');

export function createAccountsClient(opts: AccountsClientOptions) {
  const { http, wallet, clock, logger } = opts;
  const timers = opts.timers ?? unrefTimers;
  const refreshEveryMs = opts.refreshEveryMs ?? DEFAULT_REFRESH_EVERY_MS;
  /** The bearer token lives only here, in main; never in the renderer or a log. */
  let session: { token: string; view: SessionView } | null = null;
  /** Bumped at every sign-in and sign-out: a refresh answer from an older session is dropped. */
  let epoch = 0;
  let timer: unknown = null;
  let inFlight: Promise<SessionView | null> | null = null;
  let stopped = false;

  const tell = (change: SessionChange) => {
    try {
      opts.onSession?.(change);
    } catch (err) {
      logger.warn('session listener failed', { error: err instanceof Error ? err.message : String(err) });
    }
  };

  function clearTimer() {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
  }

  /** Ends the session held here (sign-out, expiry, revocation) and says so once. */
  function end(reason: SessionChangeReason, message: string | null) {
    clearTimer();
    epoch++;
    if (!session) return;
    session = null;
    logger.info('accounts signed out', { reason });
    tell({ session: null, reason, message });
  }

  function schedule(delayMs?: number) {
    clearTimer();
    if (!session || stopped) return;
    const untilMargin = session.view.expiresAt - REFRESH_MARGIN_MS - clock();
    const delay = Math.max(0, delayMs ?? Math.min(refreshEveryMs, untilMargin));
    timer = timers.setTimeout(() => {
      timer = null;
      void refreshNow().catch(() => {}); // refreshNow reports and reschedules itself
    }, delay);
  }

  function start(s: z.infer<typeof sessionResponse>, reason: SessionChangeReason) {
    epoch++;
    session = { token: s.token, view: viewOf(s) };
    schedule();
    tell({ session: session.view, reason, message: null });
    return session.view;
  }

  const sameRoles = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

  /** One refresh at a time; concurrent callers share it. */
  function refreshNow(): Promise<SessionView | null> {
    if (inFlight) return inFlight;
    // Assigned before it can settle, and cleared only if still the current one: an early return
    // (no session) must not leave a settled promise behind for every later caller.
    const attempt = (async () => {
      {
        const current = session;
        if (!current) return null;
        if (current.view.expiresAt <= clock()) {
          end(EXPIRED.reason, EXPIRED.message);
          return null;
        }
        const at = epoch;
        try {
          const s = await call('POST', '/v1/accounts/refresh', sessionResponse, {}, true);
          if (at !== epoch || !session) return session?.view ?? null; // signed out or in again meanwhile
          const changed = !sameRoles(session.view.roles, s.roles);
          session = { token: s.token, view: viewOf(s) };
          schedule();
          tell({ session: session.view, reason: changed ? 'roles-changed' : 'refreshed', message: null });
          if (changed) logger.info('accounts roles changed', { roles: s.roles.length });
          return session.view;
        } catch (err) {
          if (!session) return null; // call() ended it (a refusal that ends sessions)
          // Network or server trouble: keep the session while the token lasts, try again soon.
          const left = session.view.expiresAt - clock();
          schedule(Math.min(REFRESH_RETRY_MS, Math.max(0, left)));
          throw err;
        }
      }
    })();
    inFlight = attempt;
    const clear = () => {
      if (inFlight === attempt) inFlight = null;
    };
    attempt.then(clear, clear);
    return attempt;
  }

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
      if (session && session.view.expiresAt <= clock()) end(EXPIRED.reason, EXPIRED.message);
      if (!session) throw notSignedIn();
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
      const ending = auth ? ENDING[code] : undefined;
      if (ending) end(ending.reason, ending.message);
      logger.warn('accounts request refused', { path: path.split('?')[0], status: res.status, code });
      // The HTTP status rides along so a caller can tell a refusal (4xx) from server trouble (5xx).
      throw Object.assign(new CodedError(code, typeof err?.message === 'string' ? err.message : '중앙 서버가 요청을 처리하지 못했습니다.'), { status: res.status });
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

  /** Unlock the key, sign the login challenge, log in: the session answer (not yet kept). */
  const loginOnce = (input: LoginInput) =>
    wallet.unlocked(input.certificateRef, input.password, async (signer) => {
      const { nonce, signature } = await signed(signer, 'login', (x) => ({ loginId: input.loginId, spkiSha256: x.spkiSha256 }));
      return call('POST', '/v1/accounts/login', sessionResponse, { loginId: input.loginId, certificate: signer.certificate, nonce, signature });
    });

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

    async login(input: LoginInput): Promise<SessionView> {
      const s = await loginOnce(input);
      logger.info('accounts signed in', { roles: s.roles.length });
      return start(s, 'signed-in');
    },

    /**
     * The same certificate login, but the session is not kept (no token here, no refresh, no
     * accounts:session event): the operator lock's 공동인증서 unlock only needs who signed in.
     */
    async checkLogin(input: LoginInput): Promise<SessionView> {
      return viewOf(await loginOnce(input));
    },

    /**
     * 인증서 갱신 등록: the registered (old, possibly expired) certificate and the renewed one
     * both sign the same rebind message over a fresh nonce; then the new one logs in. Both keys
     * are unlocked before anything is sent, and both passwords are zeroed whatever happens.
     */
    async rebindAndLogin(input: { loginId: string; oldCertificateRef: string; oldPassword: Buffer; newCertificateRef: string; newPassword: Buffer }): Promise<SessionView> {
      try {
        if (input.oldCertificateRef === input.newCertificateRef) {
          throw new CodedError('ACCOUNTS_REBIND_SAME_CERTIFICATE', '기존 인증서와 새 인증서로 서로 다른 인증서를 선택해 주세요.');
        }
        const s = await wallet.unlocked(
          input.oldCertificateRef,
          input.oldPassword,
          (oldSigner) =>
            wallet.unlocked(input.newCertificateRef, input.newPassword, async (newSigner) => {
              if (oldSigner.spkiSha256 === newSigner.spkiSha256) {
                throw new CodedError('ACCOUNTS_REBIND_SAME_CERTIFICATE', '새 인증서가 기존 인증서와 같은 키입니다. 갱신받은 새 인증서를 선택해 주세요.');
              }
              if (oldSigner.holderName.replace(/\s+/g, '').normalize('NFC') !== newSigner.holderName.replace(/\s+/g, '').normalize('NFC')) {
                throw new CodedError('NAME_MISMATCH', `새 인증서의 이름(${newSigner.holderName})이 기존 인증서의 이름과 다릅니다. 본인 명의로 갱신한 인증서를 선택해 주세요.`);
              }
              const challenge = await call('POST', '/v1/accounts/challenge', challengeResponse, { purpose: 'rebind' });
              const message = signingMessage('rebind', challenge.audience, challenge.nonce, {
                loginId: input.loginId,
                oldSpkiSha256: oldSigner.spkiSha256,
                newSpkiSha256: newSigner.spkiSha256,
              });
              await call('POST', '/v1/accounts/rebind', rebindResponse, {
                loginId: input.loginId,
                oldCertificate: oldSigner.certificate,
                newCertificate: newSigner.certificate,
                nonce: challenge.nonce,
                oldSignature: oldSigner.sign(message),
                newSignature: newSigner.sign(message),
              });
              logger.info('accounts certificate re-bound');
              const { nonce, signature } = await signed(newSigner, 'login', (x) => ({ loginId: input.loginId, spkiSha256: x.spkiSha256 }));
              return call('POST', '/v1/accounts/login', sessionResponse, { loginId: input.loginId, certificate: newSigner.certificate, nonce, signature });
            }),
          { allowExpired: true },
        );
        return start(s, 'signed-in');
      } finally {
        input.oldPassword.fill(0);
        input.newPassword.fill(0);
      }
    },

    /** The session as main holds it (refreshed from the server, so approved roles show up), or null. */
    me: (): Promise<SessionView | null> => refreshNow(),

    /** Stops the refresh timer (quit); the session is forgotten. */
    stop() {
      stopped = true;
      clearTimer();
      session = null;
      epoch++;
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

    /** 보건소 승인자: people of their 보건소 (아이디 or 이름), e.g. to re-bind a lost certificate. */
    findUsers: (q: string) => call('GET', `/v1/approvals/users?${new URLSearchParams({ q }).toString()}`, approverUserList, undefined, true),

    /** An approver re-binds a person's renewed certificate (the old key is lost): only the public certificate is sent. */
    async approverRebind(input: { userId: string; certificateRef: string; comment: string }) {
      const certificate = await wallet.certificateOf(input.certificateRef);
      return call('POST', `/v1/approvals/users/${encodeURIComponent(input.userId)}/rebind`, rebindResponse, { newCertificate: certificate, comment: input.comment }, true);
    },

    /** 시스템관리자: the institution directory (src/server/directory/admin.ts). */
    adminInstitutions(query: { q?: string; kind?: 'health_center' | 'clinic' | 'facility'; includeInactive?: boolean }) {
      const params = new URLSearchParams();
      if (query.q) params.set('q', query.q);
      if (query.kind) params.set('kind', query.kind);
      if (query.includeInactive) params.set('includeInactive', 'true');
      const qs = params.toString();
      return call('GET', `/v1/system/institutions${qs ? `?${qs}` : ''}`, adminInstitutionList, undefined, true);
    },
    createInstitution: (input: z.input<typeof institutionCreate>) => call('POST', '/v1/system/institutions', adminInstitution, input, true),
    updateInstitution: (id: string, change: z.input<typeof institutionUpdate>) =>
      call('POST', `/v1/system/institutions/${encodeURIComponent(id)}`, adminInstitution, change, true),
    setInstitutionActive: (id: string, active: boolean, reason: string) =>
      call('POST', `/v1/system/institutions/${encodeURIComponent(id)}/${active ? 'reactivate' : 'deactivate'}`, adminInstitution, { reason }, true),

    logout() {
      end('signed-out', null);
    },

    /**
     * Another central-API route called with this session (the token never leaves this client):
     * the homepage-security client (src/core/sitescan/client.ts) goes through here.
     */
    authorized: <S extends z.ZodType>(method: 'GET' | 'POST', path: string, schema: S, body?: unknown): Promise<z.infer<S>> => call(method, path, schema, body, true),
  };
}

export type AccountsClient = ReturnType<typeof createAccountsClient>;
