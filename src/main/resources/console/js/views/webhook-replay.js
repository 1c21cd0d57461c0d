// Webhook replays and secret rotation: a delivery's Replay button, the bulk "Replay failed" form
// with its progress, and "Rotate secret", which shows the new secret once.
import { get, post } from '../api.js';
import { h, fill, field, onSubmit, flash, when } from '../dom.js';

/** "Replay" for a settled delivery; `done()` runs once the replay is queued. */
export function replayButton(delivery, done) {
  if (delivery.status !== 'success' && delivery.status !== 'failed') return '—';
  const button = h('button', {
    type: 'button', class: 'link replay', text: 'Replay', 'data-delivery': delivery.id,
  });
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await post(`/v1/webhooks/deliveries/${delivery.id}/replay`);
      flash(`Delivery ${delivery.id} queued again with its original id.`);
      await done();
    } catch (e) {
      flash(e.message, 'error');
      button.disabled = false;
    }
  });
  return button;
}

/** Local "YYYY-MM-DDTHH:MM" for a datetime-local input. */
function localInput(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
    + `T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The bulk form: replays the failed deliveries of a window and follows the job's progress. */
export function bulkReplay(onProgress) {
  const now = new Date();
  const progress = h('p', { id: 'replay-progress', role: 'status', class: 'hint' });
  const form = h('form', { class: 'inline', id: 'replay-failed' },
    field('Failed since', h('input', {
      name: 'since', type: 'datetime-local', required: true,
      value: localInput(new Date(now.getTime() - 24 * 3600_000)),
    })),
    field('until', h('input', {
      name: 'until', type: 'datetime-local', required: true,
      value: localInput(new Date(now.getTime() + 3600_000)),
    })),
    h('button', { type: 'submit', text: 'Replay failed' }));
  onSubmit(form, async (data) => {
    const job = await post('/v1/webhooks/deliveries/replay', {
      status: 'failed',
      since: new Date(data.get('since')).toISOString(),
      until: new Date(data.get('until')).toISOString(),
    });
    progress.textContent = `Replaying ${job.count} failed deliver${job.count === 1 ? 'y' : 'ies'}…`;
    follow(job.jobId, progress, onProgress);
  });
  return h('div', { class: 'stack' }, form, progress);
}

async function follow(jobId, progress, onProgress) {
  try {
    const job = await get(`/v1/webhooks/replays/${jobId}`);
    const skipped = job.skipped ? `, ${job.skipped} skipped` : '';
    fill(progress, `Replay ${job.status}: ${job.replayed} of ${job.total} replayed${skipped}`
      + ` (${job.succeeded} delivered, ${job.failed} failed again).`);
    if (job.status === 'running') {
      setTimeout(() => follow(jobId, progress, onProgress), 1000);
    } else if (onProgress) {
      await onProgress();
    }
  } catch (e) {
    progress.textContent = `Replay progress unavailable: ${e.message}`;
  }
}

/**
 * "Rotate secret" for the webhook at `path`; `shown(notice)` gets the notice with the new
 * secret, displayed once (it is not kept anywhere in the page after that view).
 */
export function rotateButton(path, scope, shown) {
  const button = h('button', { type: 'button', text: 'Rotate secret', id: `rotate-${scope}` });
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const rotated = await post(`${path}/rotate-secret`);
      await shown(h('div', { class: 'notice', id: `rotated-${scope}`, role: 'status' },
        h('p', { text: 'New signing secret (shown once, copy it now):' }),
        h('code', { class: 'secret', text: rotated.secret }),
        h('p', { class: 'hint' }, 'The previous secret also signs every request until ',
          when(rotated.previousSecretExpiresAt), '.')));
    } catch (e) {
      flash(e.message, 'error');
      button.disabled = false;
    }
  });
  return button;
}
