// An agent's voice settings: the form fields and the JSON they become.
import { h, field, select, value } from '../dom.js';

const LANGUAGES = ['af-ZA', 'ar-SA', 'az-AZ', 'bg-BG', 'bs-BA', 'ca-ES', 'cs-CZ', 'cy-GB', 'da-DK',
  'de-DE', 'el-GR', 'en-AU', 'en-GB', 'en-IN', 'en-NZ', 'en-US', 'es-419', 'es-ES', 'fa-IR', 'fi-FI',
  'fil-PH', 'fr-CA', 'fr-FR', 'gl-ES', 'he-IL', 'hi-IN', 'hr-HR', 'hu-HU', 'hy-AM', 'id-ID', 'is-IS',
  'it-IT', 'ja-JP', 'kk-KZ', 'kn-IN', 'ko-KR', 'lt-LT', 'lv-LV', 'mk-MK', 'mr-IN', 'ms-MY', 'ne-NP',
  'nl-BE', 'nl-NL', 'no-NO', 'pl-PL', 'pt-BR', 'pt-PT', 'ro-RO', 'ru-RU', 'sk-SK', 'sl-SI', 'sr-RS',
  'sv-SE', 'sw-KE', 'ta-IN', 'th-TH', 'tr-TR', 'uk-UA', 'ur-IN', 'vi-VN', 'yue-CN', 'zh-CN'];
const AMBIENCE = [['none', 'None'], ['office', 'Office'], ['coffee-shop', 'Coffee shop'],
  ['outdoor', 'Outdoor']];
const DENOISING = [['noise-cancellation', 'Noise cancellation'],
  ['noise-and-background-speech-cancellation', 'Noise and background speech cancellation']];
const STT = [['fast', 'fast'], ['accurate', 'accurate']];

const TEXTS = ['transferNumber', 'voicemailMessage', 'callScreeningIdentity', 'callScreeningPurpose'];
const CHOICES = ['language', 'ambientSound', 'denoisingMode', 'sttMode'];
const NUMBERS = ['voiceSpeed', 'interruptionSensitivity', 'maxSilenceMs'];
const SWITCHES = ['enableBackchannel', 'enableMessaging'];

/** The voice settings of `agent` (defaults for a new one) as a collapsible group of fields. */
export function voiceFields(agent) {
  const text = (name, attrs = {}) => h('input', { name, value: agent[name] ?? '', ...attrs });
  const number = (name, attrs) => h('input', {
    name, type: 'number', value: agent[name] ?? '', ...attrs,
  });
  const check = (name, label, fallback) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', name, value: 'true', checked: agent[name] ?? fallback }), ` ${label}`);
  const tools = agent.customTools ? JSON.stringify(agent.customTools, null, 2) : '';
  return h('details', { class: 'voice-settings', open: agent.id ? true : undefined },
    h('summary', { text: 'Voice settings' }),
    h('div', { class: 'stack' },
      field('Language', select('language', LANGUAGES.map((l) => [l, l]), agent.language || 'en-US')),
      field('Voice speed', number('voiceSpeed', { min: 0.5, max: 2, step: 0.05 }), '0.5 to 2.0; 1.0 is normal.'),
      field('Interruption sensitivity', number('interruptionSensitivity', { min: 0, max: 1, step: 0.05 }),
        '0 never interrupted, 1 stops at the first sound.'),
      field('Hang up after silence (ms)', number('maxSilenceMs', { min: 10000, max: 3600000, step: 1000 })),
      field('Ambient sound', select('ambientSound', AMBIENCE, agent.ambientSound || 'none')),
      field('Denoising', select('denoisingMode', DENOISING, agent.denoisingMode || 'noise-cancellation')),
      field('Speech recognition', select('sttMode', STT, agent.sttMode || 'fast')),
      check('enableBackchannel', 'Backchannel ("uh-huh") while the caller speaks', true),
      check('enableMessaging', 'Text messages during calls (hosted mode)', true),
      field('Transfer number', text('transferNumber')),
      field('Voicemail message', text('voicemailMessage'), 'Left when a call reaches voicemail.'),
      field('Call screening: who is calling', text('callScreeningIdentity')),
      field('Call screening: why', text('callScreeningPurpose')),
      field('Custom tools (JSON)', h('textarea', { name: 'customTools', rows: 6, value: tools, spellcheck: 'false' }),
        'A list of {name, description, url, method, headers, parameters, timeoutMs, '
        + 'speakDuringExecution, executionMessage}; at most 20.')));
}

/**
 * The voice settings in `data` for a JSON body. On create, blank fields are left out so the
 * defaults apply; on edit a blank field is sent as null (back to the default).
 */
export function voiceBody(data, creating) {
  const out = {};
  const blank = (name) => { if (!creating) out[name] = null; };
  for (const name of [...TEXTS, ...CHOICES]) {
    const v = value(data, name);
    if (v !== undefined) out[name] = v; else blank(name);
  }
  for (const name of NUMBERS) {
    const v = value(data, name);
    if (v !== undefined) out[name] = Number(v); else blank(name);
  }
  for (const name of SWITCHES) out[name] = data.get(name) === 'true';
  const tools = value(data, 'customTools');
  if (tools === undefined) blank('customTools');
  else {
    try {
      out.customTools = JSON.parse(tools);
    } catch (e) {
      throw new Error(`Custom tools: not valid JSON (${e.message})`);
    }
  }
  return out;
}
