/**
 * @module
 * `CollectorClient`: signed HTTPS requests to the collector over connections
 * whose certificate is pinned by SHA-256 fingerprint.
 *
 * The system's certificate authorities play no part: the collector's
 * certificate is usually self-signed, and a CA-valid certificate that is not
 * the pinned one must be refused too. Every request opens its own TLS
 * connection, and the fingerprint is checked when the handshake completes,
 * before a byte of the request is written, so an impostor receives nothing
 * (the cost, one handshake per segment or heartbeat, is small against a
 * segment a minute).
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';
import { connect, type TLSSocket } from 'node:tls';
import type { Credentials } from './credentials.js';
import { AgentError, AgentErrorCode } from './errors.js';
import { signedHeaders, signingKey } from './signing.js';

const CONNECT_TIMEOUT_MS = 15_000;
/** A segment of tens of MiB on a slow uplink, plus the collector's durable commit. */
const RESPONSE_TIMEOUT_MS = 300_000;
const MAX_ANSWER_BYTES = 1 << 20;

export interface CollectorResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface CollectorRequest {
  method: 'POST';
  path: string;
  body: Uint8Array;
  contentType: string;
  /** The `x-teiten-segment` header value, or '' for none. */
  segmentHeader?: string;
}

/** A network failure (refused, reset, timeout): worth retrying, unlike an `AgentError`. */
export class CollectorUnreachableError extends Error {
  readonly code = 'TEITEN_SENSOR_UNREACHABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CollectorUnreachableError';
  }
}

export class CollectorClient {
  readonly #url: URL;
  readonly #fingerprint: string;
  readonly #sensor: string;
  readonly #key: string;

  constructor(credentials: Credentials) {
    this.#url = new URL(credentials.collector);
    this.#fingerprint = credentials.fingerprint.toUpperCase();
    this.#sensor = credentials.sensor;
    this.#key = signingKey(credentials.secret);
  }

  get origin(): string {
    return this.#url.origin;
  }

  async send(req: CollectorRequest): Promise<CollectorResponse> {
    const socket = await this.#connectPinned();
    const headers = signedHeaders(this.#key, {
      method: req.method,
      path: req.path,
      sensor: this.#sensor,
      segmentHeader: req.segmentHeader ?? '',
      body: req.body,
    });
    return new Promise<CollectorResponse>((resolve, reject) => {
      const request = httpRequest({
        method: req.method,
        host: this.#url.hostname,
        port: this.#port(),
        path: req.path,
        headers: { ...headers, 'content-type': req.contentType, 'content-length': String(req.body.length) },
        createConnection: () => socket,
        timeout: RESPONSE_TIMEOUT_MS,
      });
      request.on('timeout', () => request.destroy(new Error(`no answer within ${RESPONSE_TIMEOUT_MS / 1000} s`)));
      request.on('error', (error) => {
        socket.destroy();
        reject(
          new CollectorUnreachableError(`Cannot reach the collector ${this.origin}: ${error.message}`, {
            cause: error,
          }),
        );
      });
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ANSWER_BYTES) response.destroy(new Error(`answer longer than ${MAX_ANSWER_BYTES} bytes`));
          else chunks.push(chunk);
        });
        response.on('error', (error) =>
          reject(
            new CollectorUnreachableError(`Cannot read the collector's answer: ${error.message}`, { cause: error }),
          ),
        );
        response.on('end', () => {
          socket.destroy();
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) });
        });
      });
      request.end(req.body);
    });
  }

  #port(): number {
    return this.#url.port === '' ? 443 : Number(this.#url.port);
  }

  /** A TLS connection whose peer certificate has the pinned fingerprint, or an `AgentError`. */
  #connectPinned(): Promise<TLSSocket> {
    const host = this.#url.hostname.replace(/^\[|\]$/g, '');
    return new Promise((resolve, reject) => {
      const socket = connect({
        host,
        port: this.#port(),
        // SNI needs a name, not an address.
        ...(isIP(host) === 0 ? { servername: host } : {}),
        // Trust is the pinned fingerprint below, never a CA.
        rejectUnauthorized: false,
        ALPNProtocols: ['http/1.1'],
      });
      const timer = setTimeout(
        () => socket.destroy(new Error(`TLS handshake not done within ${CONNECT_TIMEOUT_MS / 1000} s`)),
        CONNECT_TIMEOUT_MS,
      );
      socket.once('secureConnect', () => {
        clearTimeout(timer);
        const got = socket.getPeerCertificate().fingerprint256?.toUpperCase();
        if (got !== this.#fingerprint) {
          socket.destroy();
          reject(
            new AgentError(
              AgentErrorCode.CERTIFICATE,
              `The collector ${this.origin} presented a certificate with SHA-256 fingerprint ${got ?? '(none)'}, not the pinned ${this.#fingerprint}: refusing to send anything (re-enrol the sensor if the collector's certificate was replaced)`,
            ),
          );
          return;
        }
        resolve(socket);
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(
          new CollectorUnreachableError(`Cannot connect to the collector ${this.origin}: ${error.message}`, {
            cause: error,
          }),
        );
      });
    });
  }
}
