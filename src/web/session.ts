/**
 * Sessions for the pages: the whole session sealed in one cookie (AES-256-GCM, a key derived from
 * SESSION_SECRET), HttpOnly and SameSite=Lax, Secure when the service is served over https. It holds
 * who signed in (actor id, roles, teams) and the form token, never the token they signed in with.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import type { Actor } from '../process';

export const SESSION_COOKIE = 'sd_session';
/** A signed-in session lasts a working day, however active: then the person signs in again. */
export const SIGNED_IN_MS = 10 * 60 * 60 * 1000;
/** A session with nobody signed in (it carries only the sign-in form's token). */
const ANONYMOUS_MS = 2 * 60 * 60 * 1000;
/** A session cookie larger than this is not ours (browsers keep 4 KB per cookie). */
const MAX_COOKIE_LENGTH = 4096;

export interface SignedIn {
  id: string;
  roles: Actor['roles'];
  teams: string[];
  via: 'token' | 'oidc';
}

/** What a login with the identity provider must get back: kept only between the redirect and the callback. */
export interface PendingLogin {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
  startedAt: number;
}

export interface SessionData {
  /** The token every form carries (CSRF): new for each session, and again at sign-in. */
  csrf: string;
  user?: SignedIn;
  /** A one-time message for the next page (the notification banner after an approval). */
  flash?: string;
  login?: PendingLogin;
  /** Epoch ms after which the cookie is refused. */
  expiresAt: number;
}

export interface SessionOptions {
  secret: string;
  /** Secure cookies: the service is reached over https (PUBLIC_URL). */
  secure: boolean;
  now?: () => number;
}

const randomToken = () => randomBytes(24).toString('base64url');

/** Seals and opens session data; a cookie altered, sealed with another secret, or expired opens to nothing. */
export function sessionSealer(secret: string) {
  const key = Buffer.from(hkdfSync('sha256', secret, 'statutory-deadlines', 'web session v1', 32));
  return {
    seal(data: SessionData): string {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(JSON.stringify(data), 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    },
    open(sealed: string, now: number): SessionData | undefined {
      if (sealed.length > MAX_COOKIE_LENGTH) return undefined;
      const raw = Buffer.from(sealed, 'base64url');
      if (raw.length < 29) return undefined;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
        decipher.setAuthTag(raw.subarray(12, 28));
        const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
        const data = JSON.parse(text) as SessionData;
        return typeof data.expiresAt === 'number' && data.expiresAt > now && typeof data.csrf === 'string'
          ? data
          : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

/** The value of one cookie in a Cookie header, without indexing an object by its name. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

export interface Session {
  data: SessionData;
  /** Writes the session back to its cookie (call before the response is sent). */
  save(): void;
  /** Signs the person in: a new form token, a working day's life, no pending login. */
  signIn(user: SignedIn): void;
  /** Ends the session: a new anonymous one takes its place. */
  clear(): void;
  /** Takes the one-time message, if any. */
  takeFlash(): string | undefined;
}

declare module 'express-serve-static-core' {
  interface Request {
    session?: Session;
  }
}

export function sessions({ secret, secure, now = Date.now }: SessionOptions): RequestHandler {
  const sealer = sessionSealer(secret);
  const anonymous = (): SessionData => ({ csrf: randomToken(), expiresAt: now() + ANONYMOUS_MS });
  return (req, res, next) => {
    const cookie = cookieValue(req.get('cookie'), SESSION_COOKIE);
    const opened = cookie === undefined ? undefined : sealer.open(cookie, now());
    const session: Session = {
      data: opened ?? anonymous(),
      save() {
        res.cookie(SESSION_COOKIE, sealer.seal(session.data), {
          httpOnly: true,
          sameSite: 'lax',
          secure,
          path: '/',
          expires: new Date(session.data.expiresAt),
          // express would URI-encode it; base64url needs none.
          encode: String,
        });
      },
      signIn(user) {
        session.data = { csrf: randomToken(), user, expiresAt: now() + SIGNED_IN_MS };
        session.save();
      },
      clear() {
        session.data = anonymous();
        session.save();
      },
      takeFlash() {
        const flash = session.data.flash;
        if (flash !== undefined) {
          delete session.data.flash;
          session.save();
        }
        return flash;
      },
    };
    req.session = session;
    if (!opened) session.save();
    next();
  };
}

/** The form token is the session's: compared in constant time. */
export function csrfValid(req: Request): boolean {
  const body = req.body as Record<string, unknown> | undefined;
  const sent = body && Object.hasOwn(body, '_csrf') ? body._csrf : undefined;
  const expected = req.session?.data.csrf;
  if (typeof sent !== 'string' || expected === undefined) return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
