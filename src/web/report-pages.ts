/** The worktray and the timeliness report pages, over `WebReports`. */
import type { Request, Response, Router } from 'express';
import type { AnyProcessDefinition } from '../api/process-router';
import type { WebReports } from './reports';
import type { SignedIn } from './session';

export interface ReportPageDeps {
  reports?: WebReports;
  processes: readonly AnyProcessDefinition[];
  render: (req: Request, res: Response, view: string, context: Record<string, unknown>, status?: number) => void;
  signedIn: (req: Request, res: Response) => SignedIn | undefined;
}

export function mountReportPages(pages: Router, { render, signedIn }: ReportPageDeps): void {
  pages.get('/worktray', (req, res) => {
    if (!signedIn(req, res)) return;
    render(req, res, 'unavailable.njk', { title: 'My worktray' });
  });
  pages.get('/reports/timeliness', (req, res) => {
    if (!signedIn(req, res)) return;
    render(req, res, 'unavailable.njk', { title: 'Timeliness report' });
  });
}
