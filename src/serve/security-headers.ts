/**
 * @module
 * Headers on every answer. The pages need nothing from elsewhere and no
 * inline script or style (charts are inline SVG with presentation
 * attributes, styles come from `/static/teiten.css`, the live chart's
 * script from `/static/live-chart.js`), so the policy allows only this
 * origin's stylesheet, script, images and API reads, and forms posting
 * back to it.
 */

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "style-src 'self'",
  "script-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};
