/** The pages' templates: Nunjucks over this folder's views and GOV.UK Frontend's macros, escaping everything. */
import { dirname, join } from 'node:path';
import nunjucks from 'nunjucks';
import {
  escalationText,
  isoAttribute,
  legalStatusText,
  londonDate,
  londonTime,
  roleName,
  stageText,
  statusTag,
} from './format';

/** GOV.UK Frontend's package: its templates, and the stylesheet, script, fonts and images the pages load. */
export const govukDist = join(dirname(require.resolve('govuk-frontend/package.json')), 'dist');
export const viewsDir = join(__dirname, 'views');
export const publicDir = join(__dirname, 'public');

export function createViews(): nunjucks.Environment {
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader([viewsDir, govukDist]), {
    autoescape: true,
    throwOnUndefined: false,
  });
  env.addFilter('londonTime', londonTime);
  env.addFilter('londonDate', londonDate);
  env.addFilter('isoAttribute', isoAttribute);
  env.addFilter('statusTag', statusTag);
  env.addFilter('roleName', roleName);
  env.addFilter('stageText', stageText);
  env.addFilter('legalStatus', legalStatusText);
  env.addFilter('escalation', (level: number) => escalationText(level));
  return env;
}
