/** struct service_params { char ident[32]; }: the request ident that ties MSG_SERVICE_CONNECT/REFUSED to a trigger. */

export const SERVICE_PARAMS_SIZE = 32;
