/** The API's HTTP server, with the limits on what a client may send stated here rather than left to Node's defaults. */
import { createServer, type RequestListener, type Server } from 'node:http';

export interface HttpLimits {
  /** The request line and all headers together; more is answered 431. */
  maxHeaderBytes: number;
  /** From the connection (or the previous request on it) to the end of the headers; then the socket is closed (a slow-headers attack holds no connection longer). */
  headersTimeoutMs: number;
  /** From the connection to the end of the body (at most the 256 kB express.json accepts); then 408. */
  requestTimeoutMs: number;
  /** How often Node checks the two timeouts above: they are enforced to within this. */
  timeoutCheckMs: number;
}

/**
 * 16 KiB of headers: the API's own requests need a bearer token, a content type and a request id
 * (well under 1 KiB); 16 KiB is Node's default, made explicit, and leaves room for a proxy's
 * forwarding headers. 10 s for the headers (Node: 60 s) and 30 s for the whole request (Node: 300 s):
 * a 256 kB body arrives in well under a second on any link a council uses, and a client that takes
 * longer holds a connection for nothing. Neither limits the response: a request waiting on Temporal
 * is not cut short.
 */
export const httpLimits: HttpLimits = {
  maxHeaderBytes: 16 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  timeoutCheckMs: 1_000,
};

export function createHttpServer(app: RequestListener, limits: HttpLimits = httpLimits): Server {
  return createServer(
    {
      maxHeaderSize: limits.maxHeaderBytes,
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: limits.timeoutCheckMs,
    },
    app,
  );
}
