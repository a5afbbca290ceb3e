/** `npm run docs`: writes docs/deadlines.md from the rule catalogue. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { deadlineReference } from '../src/deadline-reference';
import { deadlineRules } from '../src/rules';

const file = path.resolve(__dirname, '../docs/deadlines.md');
writeFileSync(file, deadlineReference(deadlineRules.values()));
console.log(`wrote ${path.relative(process.cwd(), file)} (${deadlineRules.size} deadlines)`);
