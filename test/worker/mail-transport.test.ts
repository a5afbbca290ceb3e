import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createMailTransport } from '../../worker/mail-transport';
import { startSmtpCapture, type SmtpCapture } from '../helpers/smtp';

let smtp: SmtpCapture;
beforeAll(async () => {
  smtp = await startSmtpCapture();
});
afterAll(() => smtp?.close());

const message = (n: number) => ({
  from: 'deadlines@example.test',
  to: 'director@example.test',
  subject: `transport ${n}`,
  text: 'A line of text. '.repeat(100),
});

describe('the mail transport', () => {
  it('sets no-delay on the socket it sends by', async () => {
    const setNoDelay = vi.spyOn(net.Socket.prototype, 'setNoDelay');
    const transport = createMailTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true });
    try {
      await transport.sendMail(message(0));
      const toCapture = setNoDelay.mock.contexts.filter((socket) => (socket as net.Socket).remotePort === smtp.port);
      expect(toCapture.length).toBeGreaterThan(0);
      expect(setNoDelay.mock.calls[setNoDelay.mock.contexts.indexOf(toCapture[0])]).toEqual([true]);
    } finally {
      setNoDelay.mockRestore();
      transport.close();
    }
  });

  // A connection per message costs the server's greeting (100 ms here: smtp-server's wait for early
  // talkers), and Nagle's algorithm ~40 ms a message: ten sends took ~1.5 s, or ~450 ms pooled alone.
  it('sends ten messages one after another over one kept connection, with no stall', async () => {
    const transport = createMailTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true });
    try {
      await transport.sendMail(message(1)); // the connection, and its greeting
      const began = performance.now();
      for (let n = 2; n <= 11; n += 1) await transport.sendMail(message(n));
      const elapsed = performance.now() - began;
      const received = await smtp.waitFor((m) => m.subject.startsWith('transport '), 11);
      expect(received.map((m) => m.subject)).toEqual(expect.arrayContaining(['transport 1', 'transport 11']));
      expect(elapsed).toBeLessThan(250);
    } finally {
      transport.close();
    }
  });

  it('fails a send to a closed port as a transient connection error', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const transport = createMailTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
    try {
      await expect(transport.sendMail(message(12))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    } finally {
      transport.close();
    }
  });
});
