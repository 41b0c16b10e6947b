import type { RemoteBilling } from '../../analysis/remote-billing.js';
import { formatRemoteLines, REMOTE_NOT_MEASURED } from '../format-remote.js';
import { escapeHtml } from './escape.js';

/** The billed section of a remote run's page. Pure. */
export function renderRemote(b: RemoteBilling): string {
  const items = formatRemoteLines(b).map((l) => `<li>${escapeHtml(l)}</li>`);
  return [
    '<section id="remote-billing">',
    '<h2>Billed by the API</h2>',
    `<ul>${items.join('')}</ul>`,
    `<p class="na">${escapeHtml(REMOTE_NOT_MEASURED)}</p>`,
    '</section>',
  ].join('\n');
}
