/** The trigger_service_params structs of protocols 2, 3 and 4: field offsets and sizes. */
import { SERVICE_PARAMS_SIZE } from './service-params.js';

/** v2: { char service_name[64]; char target_domain[32]; service_params request_id; } (fixed size). */
export const TRIGGER_SERVICE_PARAMS = {
  SERVICE_NAME: 0, SERVICE_NAME_SIZE: 64, TARGET_DOMAIN: 64, TARGET_DOMAIN_SIZE: 32, REQUEST_ID: 96,
  SIZE: 96 + SERVICE_PARAMS_SIZE,
} as const;

/** v3: { char target_domain[64]; service_params request_id; char service_name[]; } (NUL-terminated name follows). */
export const TRIGGER_SERVICE_PARAMS3 = {
  TARGET_DOMAIN: 0, TARGET_DOMAIN_SIZE: 64, REQUEST_ID: 64, SERVICE_NAME: 96, SIZE: 64 + SERVICE_PARAMS_SIZE,
} as const;

/** v4: { char source_domain[64]; char target_domain[64]; service_params request_id; char service_name[]; }. */
export const TRIGGER_SERVICE_PARAMS4 = {
  SOURCE_DOMAIN: 0, SOURCE_DOMAIN_SIZE: 64, TARGET_DOMAIN: 64, TARGET_DOMAIN_SIZE: 64, REQUEST_ID: 128, SERVICE_NAME: 160,
  SIZE: 128 + SERVICE_PARAMS_SIZE,
} as const;
