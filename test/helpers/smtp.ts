/** A real SMTP server on loopback that keeps every message it accepts, for asserting emails. */
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface CapturedMail {
  envelopeTo: string[];
  messageId: string;
  subject: string;
  text: string;
  to: string[];
  cc: string[];
  parsed: ParsedMail;
}

export interface SmtpCapture {
  port: number;
  messages: CapturedMail[];
  /** Addresses refused with 550 while they are in the set (a mailbox that is unavailable for now). */
  refusing: Set<string>;
  /** Waits until `count` messages match, failing after `timeoutMs` of real time. */
  waitFor(match: (m: CapturedMail) => boolean, count?: number, timeoutMs?: number): Promise<CapturedMail[]>;
  close(): Promise<void>;
}

const addresses = (field: ParsedMail['to']): string[] =>
  (Array.isArray(field) ? field : field ? [field] : []).flatMap((a) => a.value.map((v) => v.address ?? ''));

/** Addresses starting with "invalid" (or in `refusing`) are refused with 550, as a real server refuses an unknown mailbox. */
export async function startSmtpCapture(): Promise<SmtpCapture> {
  const messages: CapturedMail[] = [];
  const refusing = new Set<string>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    // Workers' pooled connections stay open until the capture closes: close them at once, not after 30 s.
    closeTimeout: 200,
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('invalid') || refusing.has(address.address)) {
        const error = Object.assign(new Error('mailbox unavailable'), { responseCode: 550 });
        callback(error);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          messages.push({
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            messageId: parsed.messageId ?? '',
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            to: addresses(parsed.to),
            cc: addresses(parsed.cc),
            parsed,
          });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    messages,
    refusing,
    async waitFor(match, count = 1, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.filter(match);
        if (found.length >= count) return found;
        if (Date.now() > deadline) {
          throw new Error(
            `expected ${count} matching email(s), got ${found.length}; subjects: ${messages.map((m) => m.subject).join(' | ')}`,
          );
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
