// Runs in the central API (Node). Staff-account certificate settings from the environment, so
// `munjigi server` needs no new flags: which roots to trust, intermediates, the CRL mode.
import { CodedError } from '../../shared/envelope';
import type { ServerOptions } from '../app';
import { loadCertificates } from './certificates';

/**
 * MUNJIGI_NPKI_ANCHORS        comma-separated PEM/DER files or directories of root CA certificates
 * MUNJIGI_NPKI_INTERMEDIATES  the same, for issuing CA certificates
 * MUNJIGI_NPKI_REVOCATION     closed (default) | open
 * MUNJIGI_ACCOUNTS_AUDIENCE   the audience line of signed messages (default munjigi-central)
 * Unset anchors = no certificate is trusted (every sign-up and login is refused).
 */
export function accountsConfigFromEnv(env: Record<string, string | undefined>): NonNullable<ServerOptions['accounts']> {
  const list = (v: string | undefined) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const revocation = env.MUNJIGI_NPKI_REVOCATION ?? 'closed';
  if (revocation !== 'closed' && revocation !== 'open') {
    throw new CodedError('CONFIG_INVALID', 'MUNJIGI_NPKI_REVOCATION은 closed 또는 open이어야 합니다.');
  }
  try {
    return {
      anchors: loadCertificates(list(env.MUNJIGI_NPKI_ANCHORS)),
      intermediates: loadCertificates(list(env.MUNJIGI_NPKI_INTERMEDIATES)),
      revocation,
      audience: env.MUNJIGI_ACCOUNTS_AUDIENCE ?? 'munjigi-central',
    };
  } catch (e) {
    if (e instanceof CodedError) throw e;
    throw new CodedError('CONFIG_INVALID', `인증서 신뢰 설정 파일을 읽을 수 없습니다: ${e instanceof Error ? e.message : String(e)}`);
  }
}
