// Runs in the central API (Node). The table types of the server database, shared by both
// engines (SQLite and PostgreSQL); times are integer milliseconds since the epoch.

export interface AuthorityKeyTable {
  key_id: string;
  public_key: string;
  private_key_pem: string;
  created_at: number;
}

export interface IssuerTable {
  code: number;
  name: string;
  display_name: string;
  created_at: number;
}

export interface IssuerKeyTable {
  issuer_code: number;
  key_id: number;
  public_key: string;
  not_before: number;
  not_after: number;
  status: 'active' | 'revoked';
  created_at: number;
}

export interface TrustStateTable {
  id: number;
  sequence: number;
  envelope: string;
  etag: string;
  updated_at: number;
}

export interface FacilityTable {
  id: string;
  name: string;
  address: string;
  business_no: string;
  jurisdiction: string;
  created_at: number;
}

export interface KioskTable {
  id: string;
  facility_id: string;
  public_key: string;
  label: string;
  status: 'active' | 'revoked';
  enrolled_at: number;
  revoked_at: number | null;
}

export interface EnrollmentCodeTable {
  code_hash: string;
  facility_id: string;
  expires_at: number;
  used_at: number | null;
  kiosk_id: string | null;
  created_at: number;
}

export interface RequestNonceTable {
  kiosk_id: string;
  nonce: string;
  seen_at: number;
}

export interface EntryTable {
  id: string;
  scanned_at: number;
  token_id: string;
  issuer: number;
  subject: string;
  facility_id: string;
  kiosk_id: string;
  issued_at: number;
  source: string;
  received_at: number;
  replay: number;
}

/** PostgreSQL only: SQLite keeps token ownership in entries (lowest seq), migration 0004. */
export interface TokenUseTable {
  token_id: string;
  first_entry_id: string;
  facility_id: string;
  scanned_at: number;
}

export interface KioskReceiptKeyTable {
  kiosk_id: string;
  public_key: string;
  pinned_at: number;
}

export interface DeletionReceiptTable {
  kiosk_id: string;
  n: number;
  facility_id: string;
  purge_date: string;
  purged_at: number;
  cutoff: number;
  entry_count: number;
  /** The exact JSON the kiosk signed, and its base64url Ed25519 signature. */
  body: string;
  signature: string;
  received_at: number;
}

export interface ApiTokenTable {
  id: string;
  token_hash: string;
  role: 'admin' | 'investigator';
  name: string;
  created_at: number;
  revoked_at: number | null;
}

export interface AuditLogTable {
  id: string;
  at: number;
  actor_id: string;
  actor_name: string;
  action: string;
  params: string;
  result_count: number;
}

export interface ServerSchema {
  authority_keys: AuthorityKeyTable;
  issuers: IssuerTable;
  issuer_keys: IssuerKeyTable;
  trust_state: TrustStateTable;
  facilities: FacilityTable;
  kiosks: KioskTable;
  enrollment_codes: EnrollmentCodeTable;
  request_nonces: RequestNonceTable;
  entries: EntryTable;
  token_uses: TokenUseTable;
  api_tokens: ApiTokenTable;
  audit_log: AuditLogTable;
  kiosk_receipt_keys: KioskReceiptKeyTable;
  deletion_receipts: DeletionReceiptTable;
  institutions: InstitutionTable;
  users: UserTable;
  user_roles: UserRoleTable;
  role_requests: RoleRequestTable;
  role_request_events: RoleRequestEventTable;
  account_nonces: AccountNonceTable;
  server_secrets: ServerSecretTable;
}

export interface InstitutionTable {
  id: string;
  name: string;
  kind: 'health_center' | 'clinic' | 'facility';
  sido: string;
  sigungu: string;
  phone: string | null;
  health_center_id: string;
}

export interface UserTable {
  id: string;
  login_id: string;
  name: string;
  institution_id: string;
  department: string | null;
  mobile: string;
  office_phone: string;
  status: 'pending' | 'active' | 'disabled';
  cert_spki_sha256: string;
  /** DER, base64. */
  cert_der: string;
  cert_subject: string;
  cert_serial: string;
  cert_not_after: number;
  consent_version: string;
  consent_sha256: string;
  consent_agreed_at: number;
  consent_received_at: number;
  created_at: number;
}

export interface UserRoleTable {
  user_id: string;
  role: string;
  granted_at: number;
  granted_by: string;
  request_id: string | null;
}

export interface RoleRequestTable {
  id: string;
  user_id: string;
  role: string;
  approver_id: string;
  state: 'pending' | 'approved' | 'rejected' | 'cancelled' | 'expired';
  requested_at: number;
  expires_at: number;
  decided_at: number | null;
  decided_by: string | null;
  comment: string | null;
  /** The exact text the certificate signed, and the signature (base64): the evidence. */
  signed_message: string;
  signature: string;
}

export interface RoleRequestEventTable {
  id: string;
  request_id: string;
  /** 0, 1, 2… within one request: the order of its transitions. */
  seq: number;
  at: number;
  actor_id: string;
  actor_name: string;
  action: string;
  from_state: string | null;
  to_state: string | null;
  comment: string | null;
}

export interface AccountNonceTable {
  nonce: string;
  purpose: string;
  expires_at: number;
  used_at: number | null;
}

export interface ServerSecretTable {
  name: string;
  value: string;
  created_at: number;
}
