// Runs in the central API (Node). The API's error vocabulary: stable codes for programs,
// Korean sentences for people. Every 4xx leaves as { error: { code, message } }.
import { CodedError } from '../shared/envelope';

export class ApiError extends CodedError {
  constructor(
    readonly status: number,
    code: string,
    message: string,
  ) {
    super(code, message);
  }
}

export const apiErrors = {
  badJson: () => new ApiError(400, 'BAD_JSON', '요청 본문이 올바른 JSON이 아닙니다.'),
  validation: (detail: string) => new ApiError(400, 'VALIDATION_FAILED', `요청 형식이 올바르지 않습니다: ${detail}`),
  tooLarge: () => new ApiError(413, 'BODY_TOO_LARGE', '요청 본문이 너무 큽니다. 한 번에 보내는 양을 줄여 주세요.'),
  unsupportedType: () => new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', '요청 본문은 application/json 이어야 합니다.'),
  notFound: () => new ApiError(404, 'NOT_FOUND', '요청한 주소를 찾을 수 없습니다.'),
  unauthenticated: () => new ApiError(401, 'UNAUTHENTICATED', '인증 정보가 없거나 올바르지 않습니다.'),
  forbidden: () => new ApiError(403, 'FORBIDDEN', '이 요청을 할 권한이 없습니다.'),
  kioskUnknown: () => new ApiError(401, 'KIOSK_UNKNOWN', '등록되지 않은 키오스크입니다. 등록 코드로 다시 등록해 주세요.'),
  kioskRevoked: () => new ApiError(403, 'KIOSK_REVOKED', '사용이 중지된 키오스크입니다. 관리자에게 문의해 주세요.'),
  badSignature: () => new ApiError(401, 'BAD_SIGNATURE', '요청 서명이 올바르지 않습니다.'),
  staleRequest: () => new ApiError(401, 'STALE_REQUEST', '요청 시각이 서버 시각과 너무 다릅니다. 키오스크의 시계를 확인해 주세요.'),
  replayedRequest: () => new ApiError(409, 'REQUEST_REPLAYED', '이미 처리된 요청입니다 (nonce 재사용).'),
  enrollmentInvalid: () => new ApiError(400, 'ENROLLMENT_CODE_INVALID', '등록 코드가 올바르지 않거나 이미 사용되었거나 만료되었습니다. 새 코드를 발급받아 주세요.'),
  businessNoInvalid: () => new ApiError(400, 'BUSINESS_NO_INVALID', '사업자등록번호가 올바르지 않습니다 (10자리, 검증번호 확인).'),
  jurisdictionInvalid: () => new ApiError(400, 'JURISDICTION_INVALID', '관할 시군구가 올바르지 않습니다 (예: 서울특별시 강남구).'),
  facilityNotFound: () => new ApiError(404, 'FACILITY_NOT_FOUND', '시설을 찾을 수 없습니다.'),
  kioskNotFound: () => new ApiError(404, 'KIOSK_NOT_FOUND', '키오스크를 찾을 수 없습니다.'),
  publicKeyInvalid: () => new ApiError(400, 'PUBLIC_KEY_INVALID', '공개키가 올바른 Ed25519 키(base64url 32바이트)가 아닙니다.'),
  kioskKeyInUse: () => new ApiError(409, 'KIOSK_KEY_IN_USE', '이미 등록된 장치 키입니다. 새 키를 만들어 등록해 주세요.'),
  issuerExists: () => new ApiError(409, 'ISSUER_EXISTS', '같은 코드나 이름의 발급기관이 이미 있습니다.'),
  issuerNotFound: () => new ApiError(404, 'ISSUER_NOT_FOUND', '발급기관을 찾을 수 없습니다.'),
  issuerKeyExists: () => new ApiError(409, 'ISSUER_KEY_EXISTS', '같은 번호의 키가 이미 있습니다. 다른 키 번호를 사용해 주세요.'),
  issuerKeyNotFound: () => new ApiError(404, 'ISSUER_KEY_NOT_FOUND', '발급기관 키를 찾을 수 없습니다.'),
  windowInvalid: () => new ApiError(400, 'WINDOW_INVALID', '조회 기간이 올바르지 않습니다 (시작 < 끝, 최대 28일).'),
  batchTooLarge: () => new ApiError(400, 'BATCH_TOO_LARGE', '한 번에 보낼 수 있는 출입 기록은 최대 1,000건입니다.'),
  batchDuplicateIds: () => new ApiError(400, 'BATCH_DUPLICATE_IDS', '한 묶음 안에 같은 출입 기록 id가 두 번 있습니다.'),
};
