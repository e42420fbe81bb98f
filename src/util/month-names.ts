/**
 * @module
 * English month names, January first: one table for the report's dates and
 * the finding sentences.
 */

export const MONTH_NAMES_EN = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;
