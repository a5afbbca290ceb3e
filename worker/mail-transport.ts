/**
 * The SMTP transport every email leaves by. Two costs made a send slow, each fixed here:
 * - nodemailer leaves Nagle's algorithm on, so each small SMTP command waits for the server's
 *   delayed ACK (about 40 ms on Linux): the socket is opened here, with no-delay set;
 * - it opened a connection per message, and a server's greeting can take long (smtp-server waits
 *   100 ms to catch early talkers; MTAs often delay it on purpose): the transport is pooled, up to
 *   5 connections kept open and reused, each for at most 100 messages.
 * On loopback a send went from ~150 ms to ~1.3 ms (median), a burst from ~300 to ~800 messages/s.
 * A pooled connection the server closed while idle fails its next send as a transient error,
 * which the activity retries.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import net from 'node:net';

export interface MailServer {
  host: string;
  port: number;
  /** Implicit TLS (port 465); otherwise STARTTLS when the server offers it, unless `ignoreTLS`. */
  secure: boolean;
  auth?: { user: string; pass: string };
  ignoreTLS?: boolean;
  /** How long to wait for the TCP connection before the send fails (and the activity retries). */
  connectionTimeoutMs?: number;
}

/** A TCP connection to `server` with no-delay set; TLS (implicit or STARTTLS) is nodemailer's, over it. */
export function connectNoDelay(server: Pick<MailServer, 'host' | 'port' | 'connectionTimeoutMs'>): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: server.host, port: server.port });
    const timer = setTimeout(
      () => socket.destroy(new Error('SMTP connection timeout')),
      server.connectionTimeoutMs ?? 30_000,
    );
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.setNoDelay(true);
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(Object.assign(error, { code: (error as NodeJS.ErrnoException).code ?? 'ECONNECTION' }));
    });
  });
}

export function createMailTransport(server: MailServer): Transporter {
  return nodemailer.createTransport({
    pool: true,
    maxConnections: 5,
    maxMessages: 100,
    host: server.host,
    port: server.port,
    secure: server.secure,
    auth: server.auth,
    ignoreTLS: server.ignoreTLS,
    // nodemailer asks for a socket before each message; an already-open `connection` is used as is.
    getSocket: (_options: unknown, callback: (error: Error | null, socket?: { connection: net.Socket }) => void) => {
      connectNoDelay(server).then(
        (connection) => callback(null, { connection }),
        (error: Error) => callback(error),
      );
    },
  } as Parameters<typeof nodemailer.createTransport>[0]);
}
