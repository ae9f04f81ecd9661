/** struct peer_info { u32 version; }: the payload of MSG_HELLO. */

export const PEER_INFO_SIZE = 4;
