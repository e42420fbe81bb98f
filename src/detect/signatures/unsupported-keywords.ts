/**
 * @module
 * Why a keyword is not matched, for skip reports. Anything not listed is
 * "not implemented"; the families below say what is missing for a stateless
 * single-packet matcher.
 */

const EXACT: Readonly<Record<string, string>> = {
  flowbits: 'needs flow state across packets',
  xbits: 'needs state across packets',
  flowint: 'needs flow state across packets',
  stream_size: 'needs TCP stream state',
  file_data: 'selects reassembled file data, not the packet payload',
  'file.data': 'selects reassembled file data, not the packet payload',
  byte_extract: 'byte variables are not implemented',
  byte_math: 'byte variables are not implemented',
  base64_decode: 'decoded buffers are not implemented',
  base64_data: 'decoded buffers are not implemented',
  asn1: 'ASN.1 decoding is not implemented',
  noalert: 'the rule only sets state and never alerts',
  bsize: 'applies to a sticky buffer, which is not implemented',
  urilen: 'needs a parsed HTTP request',
  uricontent: 'needs a parsed HTTP request',
  ssh_proto: 'needs a parsed SSH session',
  tos: 'the IP TOS byte is not decoded',
  ipopts: 'IP options are not decoded by kind',
  rpc: 'needs a decoded RPC header',
  app_layer_protocol: 'needs application-layer detection',
  dce_iface: 'needs DCE/RPC state',
  dce_opnum: 'needs DCE/RPC state',
  dce_stub_data: 'needs DCE/RPC state',
};

const PREFIXES: ReadonlyArray<readonly [string, string]> = [
  ['http', 'needs a parsed HTTP session (sticky buffer or modifier)'],
  ['dns', 'needs a parsed DNS message'],
  ['tls', 'needs a parsed TLS session'],
  ['ssl_', 'needs a parsed TLS session'],
  ['ja3', 'needs a parsed TLS session'],
  ['smb', 'needs a parsed SMB session'],
  ['ftp', 'needs a parsed FTP session'],
  ['smtp', 'needs a parsed SMTP session'],
  ['krb5', 'needs a parsed Kerberos message'],
  ['sip', 'needs a parsed SIP message'],
];

export function unsupportedReason(keyword: string): string {
  const exact = EXACT[keyword];
  if (exact !== undefined) return exact;
  const prefix = PREFIXES.find(([p]) => keyword.startsWith(p));
  return prefix?.[1] ?? 'keyword not implemented';
}
