/**
 * `npm start` survives its own crashes: the worker killed with SIGKILL while 200 backdated Need to
 * Know briefings are sending their emails. The supervisor restarts it by itself, and every
 * expected email reaches the mail catcher; a send repeated because the worker died after the
 * SMTP server took the message but before Temporal heard of it carries the same Message-ID.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { updatePromisedFor } from './helpers/need-to-know';
import { freePorts, isAlive, newDataDir, npmStart, pidIn, READY, startEnv } from './helpers/start';

const BRIEFINGS = 200;
const DOMAIN = 'deadlines.example.test'; // MESSAGE_ID_DOMAIN's default
const CHILD_NAME = 'Quillon Zebedee'; // fictional, and easy to find if it leaked into a log

/** What each backdated category 2 briefing sends at once (Message-ID → subject). */
function expectedMails(id: string): Array<[string, string]> {
  const where = `case CASE-${id}, category 2 item 4`;
  return [
    [`<ntk-${id}.briefing.v1.draft@${DOMAIN}>`, `[Need to Know] Need to Know briefing for your review (${where})`],
    [
      `<ntk-${id}.briefing.v1.not_yet_reviewed@${DOMAIN}>`,
      `[Need to Know] Need to Know briefing: NOT YET REVIEWED (${where})`,
    ],
    // The draft was due two hours after a concern a week ago: it is late even when sent at once.
    [
      `<ntk-${id}.ntk-cat2-draft.1.r0.overdue@${DOMAIN}>`,
      `[Need to Know briefing] Deadline missed: ntk-cat2-draft (case CASE-${id}, level 0)`,
    ],
  ];
}

interface CaughtMail {
  subject: string;
  headers: Record<string, string>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function inParallel<T, R>(items: T[], width: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await run(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: width }, lane));
  return results;
}

it('a worker killed with SIGKILL under load is restarted by the supervisor, and every expected email arrives', async () => {
  const began = Date.now();
  const ports = freePorts();
  const dataDir = newDataDir();
  const run = npmStart(startEnv(ports, dataDir), { direct: true });
  const mailApi = `http://127.0.0.1:${ports.mail}/api/email`;
  const mailCount = async () => ((await (await fetch(`${mailApi}/summary?limit=1`)).json()) as { total: number }).total;
  const allMail = async () => (await (await fetch(mailApi)).json()) as CaughtMail[];
  try {
    await expect.poll(() => run.output, { timeout: 90_000, interval: 250 }).toContain(READY);
    const readyAt = Date.now();
    const firstWorker = pidIn(dataDir, 'worker');

    const concernAroseAt = new Date(Date.now() - 7 * 24 * 3_600_000).toISOString();
    const ids = Array.from({ length: BRIEFINGS }, (_, i) => `KILL-${String(i + 1).padStart(3, '0')}`);
    const start = async (id: string) => {
      const body = JSON.stringify({
        briefingId: id,
        caseReference: `CASE-${id}`,
        category: 2,
        item: 4,
        concernAroseAt,
        briefing: {
          child: { reference: `CH-${id}`, name: CHILD_NAME, legalStatus: 'care_order' },
          concern: 'Missing from placement.',
          actionTaken: 'Police informed.',
          updateExpectedOn: updatePromisedFor(concernAroseAt),
          contact: { name: 'Sam Worker' },
        },
      });
      // While no worker answers, a start times out after the workflow began: its retry gets 409.
      for (const until = Date.now() + 90_000; ; await sleep(1_000)) {
        const status = await fetch(`http://127.0.0.1:${ports.api}/v1/need-to-know`, {
          method: 'POST',
          headers: { authorization: 'Bearer local-social-worker', 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(20_000),
        }).then(
          (response) => response.status,
          () => 0,
        );
        if (status === 201 || status === 409) return status;
        if (Date.now() > until) throw new Error(`${id} could not be started (last status ${status})`);
      }
    };
    const starting = inParallel(ids, 8, start);

    // Kill the worker while the mails are flowing.
    await expect.poll(mailCount, { timeout: 60_000, interval: 200 }).toBeGreaterThanOrEqual(100);
    process.kill(firstWorker, 'SIGKILL');
    const killedAt = Date.now();
    const beforeKill = await mailCount();
    expect(beforeKill).toBeLessThan(BRIEFINGS * 3);

    await expect
      .poll(() => run.output, { timeout: 20_000 })
      .toContain('[start] worker exited (SIGKILL); restarting in 1 s (restart 1)');
    await expect.poll(() => run.output, { timeout: 60_000 }).toMatch(/\[start\] worker is running again \(pid \d+\)/);
    const secondWorker = pidIn(dataDir, 'worker');
    expect(secondWorker).not.toBe(firstWorker);
    expect(isAlive(secondWorker)).toBe(true);
    const backAt = Date.now();

    const statuses = await starting;
    expect(statuses.filter((s) => s === 201 || s === 409)).toHaveLength(BRIEFINGS);

    const expected = new Map(ids.flatMap(expectedMails));
    const missing = (mails: CaughtMail[]) => {
      const seen = new Set(mails.map((m) => m.headers['message-id']));
      return [...expected.keys()].filter((id) => !seen.has(id));
    };
    // A send the dead worker had started is retried when its 1-minute start-to-close timeout ends.
    await expect.poll(async () => missing(await allMail()).length, { timeout: 150_000, interval: 2_000 }).toBe(0);
    const allArrivedAt = Date.now();
    await sleep(2_000); // nothing further is due: anything arriving now would be a stray
    const mails = await allMail();

    // Every email is one of the expected ones, under its own subject; so a duplicate shares a Message-ID.
    const unexpected = mails.filter((m) => expected.get(m.headers['message-id']!) !== m.subject);
    expect(unexpected.map((m) => `${m.headers['message-id']} ${m.subject}`)).toEqual([]);
    const perBriefing = new Map<string, Set<string>>();
    for (const m of mails) {
      const id = /^<ntk-(KILL-\d+)\./.exec(m.headers['message-id']!)![1]!;
      perBriefing.set(id, (perBriefing.get(id) ?? new Set()).add(m.headers['message-id']!));
    }
    expect([...perBriefing.values()].filter((set) => set.size !== 3)).toEqual([]);
    expect(perBriefing.size).toBe(BRIEFINGS);
    const duplicates = mails.length - expected.size;

    // The child's name is in every briefing and in no line of the supervisor or its children.
    expect(run.output).not.toContain(CHILD_NAME);
    for (const log of ['worker.log', 'api.log', 'temporal.log', 'maildev.log']) {
      expect(readFileSync(path.join(dataDir, log), 'utf8')).not.toContain(CHILD_NAME);
    }
    expect(run.output.match(/restarting in/g)).toHaveLength(1); // the worker, once; nothing else died

    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    console.log(
      `[kill test] ${BRIEFINGS} briefings; ${expected.size} emails expected, ${mails.length} arrived ` +
        `(${expected.size} distinct Message-IDs, ${duplicates} duplicates); ${beforeKill} arrived before the kill; ` +
        `worker back ${s(backAt - killedAt)} after the kill, last email ${s(allArrivedAt - killedAt)} after it; ` +
        `start ${s(readyAt - began)}; restarts 1`,
    );
  } finally {
    run.stop();
  }
  expect(await run.exited).toBe(0);
  console.log(`[kill test] wall time ${((Date.now() - began) / 1000).toFixed(1)} s`);
}, 300_000);
