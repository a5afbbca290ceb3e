/** The public deadline calculator (`/v1/deadlines`): any rule, one anchor, the workflows' own code. */
import { Router } from 'express';
import { z } from 'zod';
import type { WorkingDayCalendar } from '../calendar';
import {
  AnchorOutOfRangeError,
  calculateDue,
  NotComputableError,
  primaryUnit,
  UnknownRuleError,
} from '../deadline-calculator';
import { deadlineRules } from '../rules';
import { scheduledAt } from '../schemas';
import { HttpProblem, parse } from './problem';

export const MAX_BATCH = 1_000;

export const calculateQuerySchema = z.strictObject({
  rule: z.string().min(1).max(100).describe('A deadline id of docs/deadlines.md'),
  anchor: scheduledAt.describe(
    'The anchor instant, 1990 to 20 years ahead (for rules counted back from an event, the event’s start)',
  ),
});
export const calculateBatchSchema = z
  .array(z.strictObject({ rule: z.string().min(1).max(100), anchor: z.string().max(100) }).describe('One calculation'))
  .min(1)
  .max(MAX_BATCH, `at most ${MAX_BATCH} items per batch`);

/** One calculation, or the problem it raises; `path` names where the bad input was. */
function calculate(calendar: WorkingDayCalendar, rule: string, anchorText: string, path: string) {
  const anchor = scheduledAt.safeParse(anchorText);
  if (!deadlineRules.has(rule))
    throw new HttpProblem(400, 'Unknown rule', `no deadline rule with id ${rule}`, {
      errors: [{ path: `${path}.rule`, message: 'unknown deadline id' }],
    });
  if (!anchor.success)
    throw new HttpProblem(400, 'Invalid anchor', anchor.error.issues[0]!.message, {
      errors: [{ path: `${path}.anchor`, message: anchor.error.issues[0]!.message }],
    });
  try {
    return calculateDue(calendar, rule, new Date(anchor.data));
  } catch (error) {
    if (error instanceof NotComputableError)
      throw new HttpProblem(422, 'Not computable', error.message, {
        errors: [{ path: `${path}.rule`, message: error.message }],
      });
    // The calendar cannot count from this anchor (outside its years): the anchor's fault, not the rule's.
    if (error instanceof AnchorOutOfRangeError)
      throw new HttpProblem(400, 'Invalid anchor', 'the calendar cannot count from this anchor', {
        errors: [{ path: `${path}.anchor`, message: 'outside the years the calendar covers' }],
      });
    if (error instanceof UnknownRuleError) throw new HttpProblem(400, 'Unknown rule', error.message);
    throw error;
  }
}

export function deadlinesRouter(calendar: WorkingDayCalendar): Router {
  const router = Router();

  router.get('/deadlines/rules', (_req, res) => {
    res.json({
      calendarVersion: calendar.version,
      rules: [...deadlineRules.values()].map((rule) => ({
        id: rule.id,
        process: rule.process,
        label: rule.label,
        unit: primaryUnit(rule) ?? null,
        duration: rule.duration ?? null,
        direction: rule.direction,
        computable: primaryUnit(rule) !== undefined,
        source: rule.source,
      })),
    });
  });

  router.get('/deadlines/calculate', (req, res) => {
    const query = parse(
      z.strictObject({ rule: z.string().min(1).max(100), anchor: z.string().min(1).max(100) }),
      req.query,
      'query',
    );
    res.json(calculate(calendar, query.rule, query.anchor, 'query'));
  });

  router.post('/deadlines/calculate', (req, res) => {
    const items = parse(calculateBatchSchema, req.body);
    const results = items.map(({ rule, anchor }, index) => {
      try {
        return { index, ok: true, ...calculate(calendar, rule, anchor, `body.${index}`) };
      } catch (error) {
        if (!(error instanceof HttpProblem)) throw error;
        return {
          index,
          ok: false,
          error: { status: error.status, title: error.title, detail: error.detail, ...error.extra },
        };
      }
    });
    res.json({ calendarVersion: calendar.version, results });
  });
  return router;
}
