/** Whether a host name or a peer address is this machine's loopback interface, and nothing wider. */
import { isIPv4 } from 'node:net';

/** A peer address as Node reports it: `127.x.x.x`, `::1`, or IPv4 mapped into IPv6 (`::ffff:127.0.0.1`). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  if (address === '::1') return true;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return isIPv4(v4) && v4.startsWith('127.');
}

/** A host to listen on or to name in a URL: `localhost`, a loopback address, or `[::1]`. */
export const isLoopbackHost = (host: string): boolean =>
  host.toLowerCase() === 'localhost' || isLoopbackAddress(host.replace(/^\[(.*)\]$/, '$1'));
