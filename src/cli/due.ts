/** `npm run due -- <rule> <anchor>`: when is it due? Prints UTC and Europe/London. */
import { calendarFromConfig, loadConfig } from '../config';
import { calculateDue } from '../deadline-calculator';
import { londonTime } from '../notifications';
import { scheduledAt } from '../schemas';

const [rule, anchorText] = process.argv.slice(2);
if (!rule || !anchorText) {
  console.error(
    'usage: npm run due -- <rule-id> <anchor ISO-8601 instant with offset>\n  e.g. npm run due -- icpc-held 2025-04-22T10:00:00+01:00',
  );
  process.exit(2);
}
const anchor = scheduledAt.safeParse(anchorText);
if (!anchor.success) {
  console.error(`anchor: ${anchor.error.issues[0]!.message}`);
  process.exit(2);
}
try {
  const due = calculateDue(calendarFromConfig(loadConfig()), rule, new Date(anchor.data));
  console.log(`rule       ${due.rule}: ${due.label}`);
  console.log(`anchor     ${due.anchorAt}  ${londonTime(due.anchorAt)}`);
  console.log(`due        ${due.dueAt}  ${londonTime(due.dueAt)}`);
  console.log(`statutory  ${due.statutoryDueAt}  ${londonTime(due.statutoryDueAt)}`);
  console.log(`source     ${due.source.join('; ')}`);
  console.log(`calendar   ${due.calendarVersion}`);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
