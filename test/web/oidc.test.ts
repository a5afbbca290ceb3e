/**
 * Sign-in with the authority's OpenID Connect provider, in a real Chromium, against a real provider
 * on loopback (oidc-provider): the authorisation code flow with PKCE, state and nonce, the person,
 * roles and teams taken from the ID token, and a callback that does not match its login refused.
 */
import { Client } from '@temporalio/client';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app';
import { ProcessService } from '../../src/api/process-service';
import { calendarFromConfig, loadConfig } from '../../src/config';
import { silentLogger } from '../../src/logger';
import { createOidcSignIn } from '../../src/web/oidc';
import { axeViolations, launchChromium, pageText, screenshot } from '../helpers/browser';
import { startAuthorizationServer, type AuthorizationServer } from '../helpers/oidc';

let provider: AuthorizationServer;
let server: Server;
let base: string;
let browser: Browser;
const logs: string[] = [];

beforeAll(async () => {
  // The pages' address first: the provider knows it as the client's redirect URI.
  server = createServer();
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  provider = await startAuthorizationServer({
    clientId: 'statutory-deadlines',
    clientSecret: 'client-secret-for-tests',
    redirectUri: `${base}/sign-in/callback`,
    claims: () => ({ roles: ['pgl', 'not-a-service-role'], teams: ['safeguarding'] }),
  });
  const oidc = createOidcSignIn(
    {
      issuer: provider.issuer,
      clientId: 'statutory-deadlines',
      clientSecret: 'client-secret-for-tests',
      personClaim: 'sub',
      rolesClaim: 'roles',
      teamsClaim: 'teams',
    },
    base,
  );
  // No page here reads a process: the client is never connected (it connects lazily).
  const service = new ProcessService({
    client: new Client(),
    taskQueue: 'unused',
    namespace: 'default',
    webUiUrl: 'http://localhost:8233',
  });
  const app = createApp({
    service,
    calendar: calendarFromConfig(loadConfig({})),
    tokens: {},
    logger: silentLogger,
    log: (message) => logs.push(message),
    web: { sessionSecret: 'test-session-secret-'.repeat(3), publicUrl: base, tokenSignIn: false, oidc },
  });
  server.on('request', app);
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  server?.closeAllConnections();
  server?.close();
  await provider?.close();
});

async function newPage(): Promise<Page> {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport({ width: 1024, height: 768 });
  return page;
}

/** Through the provider's own login and consent pages (oidc-provider's development pages). */
async function signInAtProvider(page: Page, login: string) {
  await page.waitForSelector('input[name="login"]');
  await page.type('input[name="login"]', login);
  await page.type('input[name="password"]', 'any password');
  await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
  await page.waitForSelector('button[type="submit"]');
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('button[type="submit"]')]);
}

describe('sign-in with the council’s OpenID Connect provider', () => {
  it('offers the provider, not the token form, accessibly', async () => {
    const page = await newPage();
    await page.goto(`${base}/sign-in`);
    expect(await page.$('#token')).toBeNull();
    expect(await pageText(page)).toContain('Sign in with your council account');
    expect((await page.goto(`${base}/sign-in`, { waitUntil: 'load' }))!.status()).toBe(200);
    await expectAccessible(page);
  });

  it('signs in with the authorisation code and PKCE, taking the person, roles and teams from the ID token', async () => {
    const page = await newPage();
    await page.goto(`${base}/sign-in?returnTo=%2Fsign-out`);
    await Promise.all([page.waitForNavigation(), page.click('#oidc-sign-in')]);
    expect(page.url().startsWith(provider.issuer)).toBe(true);
    const request = provider.requests.at(-1)!;
    expect(request.get('code_challenge_method')).toBe('S256');
    expect(request.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(request.get('state')).toBeTruthy();
    expect(request.get('nonce')).toBeTruthy();
    expect(request.get('redirect_uri')).toBe(`${base}/sign-in/callback`);

    await signInAtProvider(page, 'pgl-oidc-7');
    expect(new URL(page.url()).pathname).toBe('/sign-out');
    const text = await pageText(page);
    expect(text).toContain('pgl-oidc-7');
    expect(text).toContain('Practice Group Lead');
    expect(text).not.toContain('not-a-service-role');
    expect(text).toContain('safeguarding');
    expect(text).toContain('Your council account');
    await expectAccessible(page);
    await screenshot(page, 'signed-in');
  });

  it('refuses a callback whose state is not the login’s, and one with no login begun', async () => {
    const page = await newPage();
    await page.goto(`${base}/sign-in`);
    await Promise.all([page.waitForNavigation(), page.click('#oidc-sign-in')]);
    await page.waitForSelector('input[name="login"]');
    // The provider's answer is swapped for a forged one carrying another state.
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/sign-in/callback' && url.searchParams.has('state')) {
        url.searchParams.set('state', 'forged-state');
        void request.continue({ url: url.href });
      } else void request.continue();
    });
    await signInAtProvider(page, 'someone');
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect(await pageText(page)).toContain('Sign-in with your council account did not complete');
    await expectAccessible(page);
    expect(logs.some((line) => line.includes('an OpenID Connect sign-in failed'))).toBe(true);

    const fresh = await newPage();
    await fresh.goto(`${base}/sign-in/callback?code=made-up&state=made-up`);
    expect(new URL(fresh.url()).pathname).toBe('/sign-in');
    await fresh.goto(`${base}/sign-out`);
    expect(new URL(fresh.url()).pathname).toBe('/sign-in');
  });
});

async function expectAccessible(page: Page) {
  const violations = await axeViolations(page);
  expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
}
