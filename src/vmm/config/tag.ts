/** Tag and feature name rules, as qubesd checks them. */
export const TAG_PATTERN = /^[A-Za-z0-9_-]+$/;
export const TAG_MAX = 255;
export const FEATURE_NAME_PATTERN = /^[a-zA-Z0-9_.-]+$/;
export const FEATURE_NAME_MAX = 255;
/** Feature values: printable ASCII (0x20–0x7E); true is "1", false is "". */
export const FEATURE_VALUE_PATTERN = /^[\x20-\x7e]*$/;
export const FEATURE_VALUE_MAX = 4096;
