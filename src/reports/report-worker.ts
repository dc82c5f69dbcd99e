/** Worker-thread task that renders one evaluation report's page (render-off-thread.ts). */
import { renderEvaluationReport } from './evaluation-report.js';
import type { ReportJob } from './render-off-thread.js';

export default function renderReport({ report, options }: ReportJob): string {
  return renderEvaluationReport(report, options);
}
