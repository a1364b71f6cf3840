// Runs in the central API (Node). JSON schemas of every route body, query and answer; they
// validate requests (unknown fields refused) and make the OpenAPI document.

const UUID = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
const MS = { type: 'integer', minimum: 0, maximum: 8_640_000_000_000_000 } as const;
const MS_STRING = { type: 'string', pattern: '^[0-9]{1,16}$', description: 'ms since the Unix epoch' } as const;

export const errorSchema = {
  $id: 'ApiError',
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string', description: 'Korean, for people' } },
    },
  },
} as const;

const errors = { 400: { $ref: 'ApiError#' }, 401: { $ref: 'ApiError#' }, 403: { $ref: 'ApiError#' }, 404: { $ref: 'ApiError#' } };

const strict = <P extends Record<string, unknown>, R extends readonly string[]>(properties: P, required: R) =>
  ({ type: 'object', additionalProperties: false, required, properties }) as const;

export const wireEntrySchema = strict(
  {
    id: { type: 'string', pattern: UUID, description: 'entry uuid: the idempotency key' },
    tokenId: { type: 'string', pattern: '^[0-9]{1,3}:[0-9a-f]{16}$' },
    issuer: { type: 'integer', minimum: 0, maximum: 255 },
    subject: { type: 'string', pattern: '^[0-9a-f]{32}$', description: "issuer's opaque subject handle" },
    scannedAt: MS,
    issuedAt: { type: 'integer', minimum: 0, maximum: 4_294_967_295 },
    source: { type: 'string', enum: ['wedge', 'camera', 'demo', 'hid', 'selftest'] },
  },
  ['id', 'tokenId', 'issuer', 'subject', 'scannedAt', 'issuedAt', 'source'],
);

const kioskSecurity = [{ kioskSignature: [] }];
const adminSecurity = [{ bearer: [] }];

export const routeSchemas = {
  healthz: {
    tags: ['ops'],
    summary: 'Liveness and database reachability',
    response: { 200: { type: 'object', properties: { status: { type: 'string' }, engine: { type: 'string' } } } },
  },
  time: {
    tags: ['kiosk'],
    summary: 'Server time for the NTP-style clock offset (ms)',
    response: { 200: { type: 'object', properties: { serverTime: { type: 'integer' } } } },
  },
  trustList: {
    tags: ['kiosk'],
    summary: 'The signed trust list envelope (ETag / If-None-Match → 304)',
    response: {
      200: { type: 'object', properties: { payload: { type: 'string' }, keyId: { type: 'string' }, signature: { type: 'string' } } },
      304: { type: 'null', description: 'unchanged since If-None-Match' },
    },
  },
  enroll: {
    tags: ['kiosk'],
    summary: 'Enroll a kiosk with a one-time code and its Ed25519 device public key',
    body: strict(
      {
        code: { type: 'string', minLength: 4, maxLength: 40 },
        publicKey: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$' },
        label: { type: 'string', minLength: 1, maxLength: 80 },
      },
      ['code', 'publicKey', 'label'],
    ),
    response: {
      200: { type: 'object', properties: { kioskId: { type: 'string' }, facilityId: { type: 'string' }, facilityName: { type: 'string' } } },
      ...errors,
    },
  },
  kioskMe: {
    tags: ['kiosk'],
    summary: 'The calling kiosk and its facility',
    security: kioskSecurity,
    response: { 200: { type: 'object', properties: { kioskId: { type: 'string' }, facilityId: { type: 'string' } } }, ...errors },
  },
  entries: {
    tags: ['kiosk'],
    summary: 'Upload a batch of entries (≤ 1,000); the entry id is the idempotency key',
    security: kioskSecurity,
    body: strict({ entries: { type: 'array', minItems: 1, maxItems: 1000, items: wireEntrySchema } }, ['entries']),
    response: {
      200: {
        type: 'object',
        properties: {
          accepted: { type: 'integer' },
          duplicates: { type: 'integer' },
          replays: { type: 'array', items: { type: 'object', properties: { entryId: { type: 'string' }, tokenId: { type: 'string' } } } },
          rejected: { type: 'array', items: { type: 'object', properties: { entryId: { type: 'string' }, code: { type: 'string' } } } },
        },
      },
      ...errors,
    },
  },
  createFacility: {
    tags: ['admin'],
    summary: 'Create a facility',
    security: adminSecurity,
    body: strict(
      {
        name: { type: 'string', minLength: 1, maxLength: 100 },
        address: { type: 'string', minLength: 1, maxLength: 200 },
        businessNo: { type: 'string', minLength: 10, maxLength: 12, description: '사업자등록번호, 123-45-67890 or 10 digits' },
        jurisdiction: { type: 'string', minLength: 2, maxLength: 60, description: '관할 시군구, e.g. 서울특별시 강남구' },
      },
      ['name', 'address', 'businessNo', 'jurisdiction'],
    ),
    response: { 201: { $ref: 'Facility#' }, ...errors },
  },
  listFacilities: {
    tags: ['admin'],
    summary: 'List facilities',
    security: adminSecurity,
    response: { 200: { type: 'object', properties: { facilities: { type: 'array', items: { $ref: 'Facility#' } } } }, ...errors },
  },
  enrollmentCode: {
    tags: ['admin'],
    summary: 'Issue a one-time kiosk enrollment code for a facility (shown once)',
    security: adminSecurity,
    params: strict({ facilityId: { type: 'string', pattern: UUID } }, ['facilityId']),
    response: { 201: { type: 'object', properties: { code: { type: 'string' }, expiresAt: { type: 'integer' } } }, ...errors },
  },
  listKiosks: {
    tags: ['admin'],
    summary: 'Kiosks of a facility',
    security: adminSecurity,
    params: strict({ facilityId: { type: 'string', pattern: UUID } }, ['facilityId']),
    response: {
      200: {
        type: 'object',
        properties: {
          kiosks: {
            type: 'array',
            items: {
              type: 'object',
              properties: { id: { type: 'string' }, label: { type: 'string' }, status: { type: 'string' }, enrolledAt: { type: 'integer' }, revokedAt: { type: ['integer', 'null'] } },
            },
          },
        },
      },
      ...errors,
    },
  },
  revokeKiosk: {
    tags: ['admin'],
    summary: 'Revoke a kiosk: its requests are refused from now on',
    security: adminSecurity,
    params: strict({ kioskId: { type: 'string', pattern: UUID } }, ['kioskId']),
    response: { 204: { type: 'null' }, ...errors },
  },
  addIssuer: {
    tags: ['admin'],
    summary: 'Admit a QR issuer to the trust list',
    security: adminSecurity,
    body: strict(
      {
        code: { type: 'integer', minimum: 0, maximum: 255 },
        name: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,63}$' },
        displayName: { type: 'string', minLength: 1, maxLength: 128 },
      },
      ['code', 'name', 'displayName'],
    ),
    response: { 204: { type: 'null' }, ...errors },
  },
  addIssuerKey: {
    tags: ['admin'],
    summary: "Add an issuer's Ed25519 public key to the trust list",
    security: adminSecurity,
    params: strict({ code: { type: 'string', pattern: '^[0-9]{1,3}$' } }, ['code']),
    body: strict(
      {
        keyId: { type: 'integer', minimum: 0, maximum: 255 },
        publicKey: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$' },
        notBefore: MS,
        notAfter: MS,
      },
      ['keyId', 'publicKey', 'notBefore', 'notAfter'],
    ),
    response: { 204: { type: 'null' }, ...errors },
  },
  revokeIssuerKey: {
    tags: ['admin'],
    summary: 'Revoke an issuer key',
    security: adminSecurity,
    params: strict({ code: { type: 'string', pattern: '^[0-9]{1,3}$' }, keyId: { type: 'string', pattern: '^[0-9]{1,3}$' } }, ['code', 'keyId']),
    response: { 204: { type: 'null' }, ...errors },
  },
  audit: {
    tags: ['admin'],
    summary: 'Audit log of investigation queries',
    security: adminSecurity,
    querystring: strict({ from: MS_STRING, to: MS_STRING }, ['from', 'to']),
    response: {
      200: {
        type: 'object',
        properties: {
          entries: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                at: { type: 'integer' },
                actorId: { type: 'string' },
                actorName: { type: 'string' },
                action: { type: 'string' },
                params: { type: 'object', additionalProperties: true },
                resultCount: { type: 'integer' },
              },
            },
          },
        },
      },
      ...errors,
    },
  },
  uploadReceipts: {
    tags: ['kiosk'],
    summary: 'Upload signed deletion receipts (≤ 100); checked against the kiosk\'s pinned receipt key; (kiosk, n) is the idempotency key',
    security: kioskSecurity,
    body: strict(
      {
        receipts: {
          type: 'array',
          minItems: 1,
          maxItems: 100,
          items: strict(
            {
              body: { type: 'string', minLength: 2, maxLength: 4096, description: 'the exact JSON the kiosk signed' },
              signature: { type: 'string', pattern: '^[A-Za-z0-9_-]{86}$', description: 'base64url Ed25519 signature' },
            },
            ['body', 'signature'],
          ),
        },
      },
      ['receipts'],
    ),
    response: {
      200: { type: 'object', properties: { stored: { type: 'integer' }, duplicates: { type: 'integer' } } },
      ...errors,
      409: { $ref: 'ApiError#' },
    },
  },
  facilityReceipts: {
    tags: ['investigation'],
    summary: "Deletion receipts of a facility's kiosks purged in a window (≤ 366 days), with each kiosk's pinned key; audit-logged",
    security: adminSecurity,
    querystring: strict({ facilityId: { type: 'string', pattern: UUID }, from: MS_STRING, to: MS_STRING }, ['facilityId', 'from', 'to']),
    response: {
      200: {
        type: 'object',
        properties: {
          facility: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } },
          kioskKeys: { type: 'array', items: { type: 'object', properties: { kioskId: { type: 'string' }, publicKey: { type: 'string' } } } },
          receipts: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                kioskId: { type: 'string' },
                n: { type: 'integer' },
                date: { type: 'string' },
                purgedAt: { type: 'integer' },
                cutoff: { type: 'integer' },
                count: { type: 'integer' },
                receivedAt: { type: 'integer' },
                body: { type: 'string' },
                signature: { type: 'string' },
              },
            },
          },
        },
      },
      ...errors,
    },
  },
  facilityVisits: {
    tags: ['investigation'],
    summary: '역학조사: visits of a facility in a window (≤ 28 days); audit-logged',
    security: adminSecurity,
    querystring: strict({ facilityId: { type: 'string', pattern: UUID }, from: MS_STRING, to: MS_STRING }, ['facilityId', 'from', 'to']),
    response: {
      200: {
        type: 'object',
        properties: {
          facility: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' }, jurisdiction: { type: 'string' } } },
          truncated: { type: 'boolean' },
          visits: {
            type: 'array',
            items: { type: 'object', properties: { issuer: { type: 'integer' }, subject: { type: 'string' }, scannedAt: { type: 'integer' }, kioskId: { type: 'string' } } },
          },
        },
      },
      ...errors,
    },
  },
  subjectVisits: {
    tags: ['investigation'],
    summary: "역학조사: facilities one issuer subject handle visited in a window (≤ 28 days); audit-logged",
    security: adminSecurity,
    querystring: strict(
      { issuer: { type: 'string', pattern: '^[0-9]{1,3}$' }, subject: { type: 'string', pattern: '^[0-9a-f]{32}$' }, from: MS_STRING, to: MS_STRING },
      ['issuer', 'subject', 'from', 'to'],
    ),
    response: {
      200: {
        type: 'object',
        properties: {
          visits: {
            type: 'array',
            items: {
              type: 'object',
              properties: { facilityId: { type: 'string' }, facilityName: { type: 'string' }, jurisdiction: { type: 'string' }, scannedAt: { type: 'integer' } },
            },
          },
        },
      },
      ...errors,
    },
  },
};

export const facilitySchema = {
  $id: 'Facility',
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    address: { type: 'string' },
    businessNo: { type: 'string' },
    jurisdiction: { type: 'string' },
    createdAt: { type: 'integer' },
  },
} as const;
