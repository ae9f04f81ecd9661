/** Domain ids: the numbers every interface names a domain by, and the reserved ones (Xen's public/xen.h). */

/** The highest id a domain can have; ids from DOMID_FIRST_RESERVED (0x7ff0) up are reserved. */
export const MAX_DOMID = 0x7fef;
/** Xen's DOMID_SELF: "the calling domain" wherever an operation accepts it. */
export const DOMID_SELF = 0x7ff0;
