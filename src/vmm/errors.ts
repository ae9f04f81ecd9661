/** The one vocabulary of refusals the VM monitor gives; the API maps each code to HTTP in one place. */
export const ERROR_CODES = {
  VALIDATION_FAILED: 'The request does not match its schema',
  MALFORMED_REQUEST: 'The request body could not be read',
  PAYLOAD_TOO_LARGE: 'The request body is larger than the limit',
  UNSUPPORTED_MEDIA_TYPE: 'The request body has a content type the route does not take',
  URI_TOO_LONG: 'A path parameter is longer than any valid value',
  HEADERS_TOO_LARGE: 'The request line and headers are larger than the limit',
  REQUEST_TIMEOUT: 'The request did not arrive in time',
  UNAUTHORIZED: 'A valid bearer token is required',
  ROUTE_NOT_FOUND: 'No such route',
  VM_NOT_FOUND: 'No such VM',
  VM_EXISTS: 'A VM of that name already exists',
  VM_IN_USE: 'The VM is in use by other VMs',
  VM_PROTECTED: 'The VM cannot be changed this way',
  PROPERTY_VALUE_INVALID: 'The property value is not acceptable',
  TAG_NOT_FOUND: 'The VM has no such tag',
  FEATURE_NOT_FOUND: 'The VM has no such feature',
  INVALID_STATE: 'The VM is not in a state that allows this',
  IMAGE_NOT_FOUND: 'No such guest image',
  IMAGE_EXISTS: 'A guest image of that name already exists',
  IMAGE_IN_USE: 'The guest image is in use by VMs',
  IMAGE_INVALID: 'The guest image is not acceptable',
  POLICY_NOT_FOUND: 'No such policy file',
  POLICY_INVALID: 'The policy would not parse',
  POLICY_CONFLICT: 'The policy file changed meanwhile (ETag mismatch)',
  ASK_NOT_FOUND: 'No such pending question',
  TOKEN_NOT_FOUND: 'No such API token',
  TOKEN_EXISTS: 'An API token of that name already exists',
  SNAPSHOT_NOT_FOUND: 'No such snapshot',
  SNAPSHOT_INVALID: 'The snapshot file was refused: not whole, not of a readable version, or not the state it should be',
  SNAPSHOT_MISMATCH: 'The snapshot does not belong to that VM, or the VM was suspended into another one',
  SNAPSHOT_IO: 'The snapshot file could not be written or read (disk full, permissions)',
  FORBIDDEN: 'The policy does not allow this call',
  LIMIT_EXCEEDED: 'A resource limit would be exceeded',
  INTERNAL: 'Internal error',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** A refusal inside the model: a code from the catalogue and a message for people. */
export class CellaError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'CellaError';
  }
}

export function fail(code: ErrorCode, message: string, details?: Record<string, unknown>): never {
  throw new CellaError(code, message, details);
}
