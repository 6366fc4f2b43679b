/** The fleet report's formats, one file each behind one switch (as the validator's reporters in src/report). */
import type { FleetReport } from '../types.js';
import { formatHtml } from './html.js';
import { formatMarkdown } from './markdown.js';
import { formatText } from './text.js';

export const FLEET_FORMATS = ['text', 'json', 'markdown', 'html'] as const;
export type FleetFormat = (typeof FLEET_FORMATS)[number];

export function formatFleetReport(report: FleetReport, format: FleetFormat): string {
  switch (format) {
    case 'text':
      return formatText(report);
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'markdown':
      return formatMarkdown(report);
    case 'html':
      return formatHtml(report);
  }
}
