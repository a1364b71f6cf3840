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

export interface TokenUseTable {
  token_id: string;
  first_entry_id: string;
  facility_id: string;
  scanned_at: number;
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
}
