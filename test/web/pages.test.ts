/**
 * The pages for managers in a real Chromium, over the real API, Temporal dev server, worker and SMTP
 * capture: each page loads and has no WCAG 2.2 AA violation axe-core can find, a PGL approves a
 * briefing from the review page (by keyboard) and the Director's email arrives, and forms refuse a
 * post without the session's token.
 */
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localTokens } from '../../src/config';
import { axeViolations, focused, launchChromium, pageText, screenshot } from '../helpers/browser';
import { briefingRequest } from '../helpers/need-to-know';
import { apiStack } from '../helpers/stack';

let stack: Awaited<ReturnType<typeof apiStack>>;
let browser: Browser;

beforeAll(async () => {
  stack = await apiStack(localTokens, { web: { sessionSecret: 'test-session-secret-'.repeat(3), tokenSignIn: true } });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const startBriefing = async (id: string) => {
  const started = await stack.call(
    'POST',
    '/v1/need-to-know',
    'local-social-worker',
    briefingRequest(id, { people: { social_worker: ['sam.worker@example.test'] } }),
  );
  expect(started.status).toBe(201);
};

/** A fresh browser context: its own cookies, so each test signs in as whom it needs. */
async function newPage(): Promise<Page> {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport({ width: 1024, height: 768 });
  return page;
}

const open = async (page: Page, path: string) => {
  const response = await page.goto(`${stack.base}${path}`, { waitUntil: 'load' });
  return response!.status();
};

async function expectAccessible(page: Page) {
  const violations = await axeViolations(page);
  expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
}

/** Signs in with the token form, by keyboard: Tab to the field, type, Enter. */
async function signIn(page: Page, token: string, path = '/sign-in') {
  await open(page, path);
  await page.focus('#token');
  await page.keyboard.type(token);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
}

describe('signing in', () => {
  it('shows the start page and the sign-in page, accessible, and refuses an unknown token', async () => {
    const page = await newPage();
    const cspRefusals: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspRefusals.push(message.text());
    });
    const response = await page.goto(`${stack.base}/`, { waitUntil: 'load' });
    expect(response!.status()).toBe(200);
    expect(await page.title()).toBe('Statutory deadlines – Statutory deadlines');
    // The one inline script ran by its nonce, GOV.UK Frontend's module loaded, and the CSP refused nothing.
    expect(response!.headers()['content-security-policy']).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    await page.waitForFunction("document.body.classList.contains('govuk-frontend-supported')");
    expect(response!.headers()['cache-control']).toBe('no-store');
    await expectAccessible(page);
    await screenshot(page, 'home');

    expect(await open(page, '/sign-in')).toBe(200);
    await expectAccessible(page);
    await screenshot(page, 'sign-in');
    await page.type('#token', 'not-a-known-token');
    const [refused] = await Promise.all([page.waitForNavigation(), page.click('form button')]);
    expect(refused!.status()).toBe(400);
    expect(await page.title()).toMatch(/^Error: Sign in/);
    expect(await pageText(page)).toContain('The access token is not one this service knows');
    // GOV.UK Frontend moves the focus to the error summary.
    expect((await focused(page)).text).toContain('There is a problem');
    await expectAccessible(page);
    await screenshot(page, 'sign-in-error');
    // The token typed is never written back into the page.
    expect(await page.content()).not.toContain('not-a-known-token');
    expect(cspRefusals).toEqual([]);
  });

  it('is usable by keyboard alone: the skip link, then the token field, then Enter signs in', async () => {
    const page = await newPage();
    await open(page, '/sign-in');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ tag: 'a', text: 'Skip to main content' });
    await page.keyboard.press('Enter');
    expect(await focused(page)).toMatchObject({ tag: 'main', id: 'main-content' });
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ tag: 'input', id: 'token' });
    await page.keyboard.type('local-team-manager');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ tag: 'button', text: 'Sign in' });
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    expect(new URL(page.url()).pathname).toBe('/worktray');
    expect(await pageText(page)).toContain('Signed in as tm-1');
    // Without the reports service, the worktray says so (503), accessibly; the start page offers the pages.
    expect(await pageText(page)).toContain('not connected');
    await expectAccessible(page);
    expect(await open(page, '/')).toBe(200);
    expect(await pageText(page)).toContain('Timeliness report');
    await expectAccessible(page);
  });

  it('sends a signed-out person to sign in, and back to the page they asked for', async () => {
    await startBriefing('WEB-RETURN');
    const page = await newPage();
    await open(page, '/need-to-know/WEB-RETURN');
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await page.type('#token', 'local-pgl');
    await Promise.all([page.waitForNavigation(), page.click('form button')]);
    expect(new URL(page.url()).pathname).toBe('/need-to-know/WEB-RETURN');
  });

  it('signs out with a form, and the session no longer opens pages', async () => {
    const page = await newPage();
    await signIn(page, 'local-director');
    expect(await open(page, '/sign-out')).toBe(200);
    await expectAccessible(page);
    await Promise.all([page.waitForNavigation(), page.click('main form button')]);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await open(page, '/worktray');
    expect(new URL(page.url()).pathname).toBe('/sign-in');
  });
});

describe('the session cookie and form tokens', () => {
  const cookieOf = (response: Response) => (response.headers.get('set-cookie') ?? '').split(';')[0]!;

  it('is HttpOnly and SameSite=Lax, and keeps no token', async () => {
    const first = await fetch(`${stack.base}/sign-in`);
    const setCookie = first.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^sd_session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).not.toMatch(/Secure/i);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await first.text())![1]!;
    const signedIn = await fetch(`${stack.base}/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieOf(first) },
      body: new URLSearchParams({ _csrf: csrf, token: 'local-pgl', returnTo: '/' }),
    });
    expect(signedIn.status).toBe(303);
    const sealed = decodeURIComponent(cookieOf(signedIn).split('=')[1]!);
    expect(Buffer.from(sealed, 'base64url').toString('latin1')).not.toContain('local-pgl');
    expect(Buffer.from(sealed, 'base64url').toString('latin1')).not.toContain('pgl-1');
  });

  it('refuses a form without the session’s token, changing nothing', async () => {
    await startBriefing('WEB-CSRF');
    const first = await fetch(`${stack.base}/sign-in`);
    const noToken = await fetch(`${stack.base}/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieOf(first) },
      body: new URLSearchParams({ token: 'local-pgl' }),
    });
    expect(noToken.status).toBe(403);
    expect(await noToken.text()).toContain('Your form has expired');
    // Signed in, a review posted with another session's token is refused too.
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await first.text())![1]!;
    const signedIn = await fetch(`${stack.base}/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieOf(first) },
      body: new URLSearchParams({ _csrf: csrf, token: 'local-pgl' }),
    });
    const forged = await fetch(`${stack.base}/need-to-know/WEB-CSRF/review`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieOf(signedIn) },
      body: new URLSearchParams({ _csrf: csrf, decision: 'approve' }),
    });
    expect(forged.status).toBe(403);
    expect((await stack.call('GET', '/v1/need-to-know/WEB-CSRF', 'local-pgl')).body.stage).toBe('awaiting_pgl');
  });

  it('refuses an approval posted by someone who is not the PGL, with a valid form token', async () => {
    await startBriefing('WEB-NOT-PGL');
    const first = await fetch(`${stack.base}/sign-in`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await first.text())![1]!;
    const signedIn = await fetch(`${stack.base}/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieOf(first) },
      body: new URLSearchParams({ _csrf: csrf, token: 'local-social-worker' }),
    });
    const cookie = cookieOf(signedIn);
    // The token rotates at sign-in: the new one is on any form, the sign-out page's too.
    const signOutPage = await (await fetch(`${stack.base}/sign-out`, { headers: { cookie } })).text();
    const fresh = /name="_csrf" value="([^"]+)"/.exec(signOutPage)![1]!;
    expect(fresh).not.toBe(csrf);
    const posted = await fetch(`${stack.base}/need-to-know/WEB-NOT-PGL/review`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams({ _csrf: fresh, decision: 'approve' }),
    });
    expect(posted.status).toBe(403);
    expect((await stack.call('GET', '/v1/need-to-know/WEB-NOT-PGL', 'local-pgl')).body.stage).toBe('awaiting_pgl');
  });

  it('leaves the API’s answers to the API', async () => {
    const missing = await stack.call('GET', '/v1/no-such-thing', 'local-pgl');
    expect(missing.status).toBe(404);
    expect(missing.type).toContain('application/problem+json');
  });
});

describe('a process and its Need to Know review', () => {
  it('shows a process’s deadlines as a table and a timeline, and its events, accessibly', async () => {
    await startBriefing('WEB-PROC');
    const page = await newPage();
    await signIn(page, 'local-team-manager');
    expect(await open(page, '/need-to-know/WEB-PROC')).toBe(200);
    const text = await pageText(page);
    expect(text).toContain('Need to Know briefing');
    expect(text).toContain('CASE-WEB-PROC');
    expect(await page.$$eval('table.govuk-table', (tables) => tables.length)).toBe(2);
    expect(await page.$$eval('.app-timeline__item', (items) => items.length)).toBeGreaterThan(0);
    // Times in Europe/London: the table shows what the API's instant is in London.
    const dueAt = await page.$eval('table time', (t) => t.getAttribute('datetime'));
    expect(dueAt).toMatch(/Z$/);
    await expectAccessible(page);
    await screenshot(page, 'process');
  });

  it('shows any process’s page: a Section 47 enquiry with a deadline already missed', async () => {
    // Received 5 hours ago: the 4-hour decision on the contact is overdue from the start.
    const started = await stack.call('POST', '/v1/s47-enquiries', 'local-mash-officer', {
      contactId: 'WEB-S47',
      caseReference: 'CASE-WEB-S47',
      receivedAt: new Date(Date.now() - 5 * 3_600_000).toISOString(),
      contactType: 'police_notification',
      children: [{ reference: 'C1' }],
    });
    expect(started.status).toBe(201);
    // The breach is recorded as its timer fires: wait until the API shows it, then read the page.
    await expect
      .poll(
        async () => {
          const state = await stack.call('GET', '/v1/s47-enquiries/WEB-S47', 'local-mash-duty-manager');
          return state.body.deadlines.some((d: { status: string }) => d.status === 'overdue');
        },
        { timeout: 20_000 },
      )
      .toBe(true);
    const page = await newPage();
    await signIn(page, 'local-mash-duty-manager');
    expect(await open(page, '/s47-enquiries/WEB-S47')).toBe(200);
    const text = await pageText(page);
    expect(text).toContain('Section 47');
    expect(text).toContain('Overdue');
    // No review link: only a Need to Know briefing has one.
    expect(await page.$('a[href$="/review"]')).toBeNull();
    await expectAccessible(page);
  });

  it('lets a PGL approve the draft from the page, by keyboard, and the Director’s email arrives', async () => {
    await startBriefing('WEB-APPROVE');
    const page = await newPage();
    await signIn(page, 'local-pgl');
    expect(await open(page, '/need-to-know/WEB-APPROVE/review')).toBe(200);
    expect(await pageText(page)).toContain('Looked-after child missing for 48 hours.');
    await expectAccessible(page);
    await screenshot(page, 'review');

    // Keyboard only: focus the first radio, select it with Space, Tab past the comment to the button.
    await page.focus('#decision');
    await page.keyboard.press('Space');
    expect(await page.$eval('#decision', (r) => (r as unknown as { checked: boolean }).checked)).toBe(true);
    await page.focus('#comment');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ tag: 'button', text: 'Send to the Director' });
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);

    expect(await pageText(page)).toContain('Briefing approved');
    await expectAccessible(page);
    await screenshot(page, 'review-approved');
    const [email] = await stack.smtp.waitFor(
      (m) => m.messageId === '<ntk-WEB-APPROVE.briefing.v1.approved@test.example>',
    );
    expect(email!.to).toEqual(['director@example.test']);
    const state = await stack.call('GET', '/v1/need-to-know/WEB-APPROVE', 'local-pgl');
    expect(state.body.stage).toBe('with_director');
    expect(state.body.deadlines.find((d: { id: string }) => d.id === 'ntk-cat2-director')).toMatchObject({
      status: 'met',
      metBy: 'pgl-1',
    });
    // Reloaded, the banner has gone and no form is offered any more.
    await page.reload();
    expect(await pageText(page)).not.toContain('Briefing approved');
    expect(await page.$('form[action$="/review"]')).toBeNull();
  });

  it('takes the keyboard through the review form in reading order, and arrows between the decisions', async () => {
    await startBriefing('WEB-KEYS');
    const page = await newPage();
    await signIn(page, 'local-pgl');
    await open(page, '/need-to-know/WEB-KEYS/review');
    const stops: string[] = [];
    for (let i = 0; i < 40; i += 1) {
      await page.keyboard.press('Tab');
      const at = await focused(page);
      stops.push(at.id || at.text);
      if (at.tag === 'button') break;
    }
    expect(stops[0]).toBe('Skip to main content');
    const formStops = stops.slice(stops.indexOf('decision'));
    expect(formStops).toEqual([
      'decision',
      'concern',
      'actionTaken',
      'updateExpectedOn-day',
      'updateExpectedOn-month',
      'updateExpectedOn-year',
      'contactName',
      'contactRole',
      'contactPhone',
      'contactEmail',
      'comment',
      'Send to the Director',
    ]);
    // Within the radios, the arrow keys choose: down from the first selects "Amend and approve".
    await page.focus('#decision');
    await page.keyboard.press('ArrowDown');
    expect(await focused(page)).toMatchObject({ id: 'decision-2' });
    expect(await page.$eval('#decision-2', (r) => (r as unknown as { checked: boolean }).checked)).toBe(true);
  });

  it('amends and approves, showing the errors of an incomplete amendment first', async () => {
    await startBriefing('WEB-AMEND');
    const page = await newPage();
    await signIn(page, 'local-pgl');
    await open(page, '/need-to-know/WEB-AMEND/review');
    await page.click('#decision-2');
    await page.$eval('#concern', (t) => ((t as unknown as { value: string }).value = ''));
    await page.$eval('#updateExpectedOn-month', (t) => ((t as unknown as { value: string }).value = '13'));
    const [refused] = await Promise.all([page.waitForNavigation(), page.click('main form button')]);
    expect(refused!.status()).toBe(400);
    const text = await pageText(page);
    expect(text).toContain('Enter the nature of the concern');
    expect(text).toContain('Enter the date an update is expected');
    await expectAccessible(page);
    await screenshot(page, 'review-errors');
    expect((await stack.call('GET', '/v1/need-to-know/WEB-AMEND', 'local-pgl')).body.stage).toBe('awaiting_pgl');

    await page.type('#concern', 'Amended: the child was found safe after 50 hours.');
    const parts = (await stack.call('GET', '/v1/need-to-know/WEB-AMEND/briefing', 'local-pgl')).body.briefing
      .updateExpectedOn as string;
    await page.$eval(
      '#updateExpectedOn-month',
      (t, month) => ((t as unknown as { value: string }).value = month as string),
      String(Number(parts.slice(5, 7))),
    );
    await Promise.all([page.waitForNavigation(), page.click('main form button')]);
    expect(await pageText(page)).toContain('Briefing amended and approved');
    const briefing = await stack.call('GET', '/v1/need-to-know/WEB-AMEND/briefing', 'local-pgl');
    expect(briefing.body.briefing.concern).toBe('Amended: the child was found safe after 50 hours.');
    expect(briefing.body.briefing.child.reference).toBe('CHILD-9');
    await stack.smtp.waitFor((m) => m.to.includes('director@example.test') && m.messageId.includes('ntk-WEB-AMEND'));
  });

  it('shows the draft to the staff the API lets read it, the form only to the PGL, and nothing to others', async () => {
    await startBriefing('WEB-ROLES');
    const worker = await newPage();
    await signIn(worker, 'local-social-worker');
    expect(await open(worker, '/need-to-know/WEB-ROLES/review')).toBe(200);
    expect(await pageText(worker)).toContain('Test Child');
    expect(await worker.$('form[action$="/review"]')).toBeNull();

    const iro = await newPage();
    await signIn(iro, 'local-iro');
    expect(await open(iro, '/need-to-know/WEB-ROLES/review')).toBe(403);
    expect(await pageText(iro)).not.toContain('Test Child');
    await expectAccessible(iro);
    // The same answer for a briefing that does not exist: nothing is learnt of which ones do.
    expect(await open(iro, '/need-to-know/NO-SUCH-ONE/review')).toBe(403);
    // A post by someone who is not the PGL changes nothing.
    expect((await stack.call('GET', '/v1/need-to-know/WEB-ROLES', 'local-pgl')).body.stage).toBe('awaiting_pgl');
  });

  it('answers an unknown process with an accessible page not found', async () => {
    const page = await newPage();
    await signIn(page, 'local-pgl');
    expect(await open(page, '/need-to-know/NO-SUCH-BRIEFING')).toBe(404);
    expect(await pageText(page)).toContain('Page not found');
    await expectAccessible(page);
    expect(await open(page, '/s47-enquiries/bad%20id')).toBe(404);
    expect(await open(page, '/nowhere')).toBe(404);
  });
});
