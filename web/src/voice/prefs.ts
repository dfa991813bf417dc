// Voice preferences kept in this browser (localStorage): microphone and speaker choice, voice activity or
// push-to-talk and its key, and the volume set for each person. Nothing here goes to the server.

import type { Snowflake } from '../api/types';

export interface VoicePrefs {
  /** `deviceId` of the microphone, or '' for the browser's default. */
  input: string;
  /** `deviceId` of the speakers, or '' for the default. */
  output: string;
  mode: 'voice' | 'ptt';
  /** `KeyboardEvent.code` of the push-to-talk key. */
  pttKey: string;
  /** Per-person playback volume in percent (0–100), by user id; 100 when absent. */
  volumes: Record<Snowflake, number>;
}

const KEY = 'spot.voice';

const DEFAULTS: VoicePrefs = { input: '', output: '', mode: 'voice', pttKey: 'Backquote', volumes: {} };

function load(): VoicePrefs {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<VoicePrefs>;
    return { ...DEFAULTS, ...saved, volumes: { ...(saved.volumes ?? {}) } };
  } catch {
    return { ...DEFAULTS, volumes: {} };
  }
}

export const prefs: VoicePrefs = load();

/** Changes preferences and saves them. */
export function setPrefs(change: Partial<VoicePrefs>): void {
  Object.assign(prefs, change);
  try {
    localStorage.setItem(KEY, JSON.stringify(prefs));
  } catch {
    // Storage full or disabled: the choice lasts for this page only.
  }
}

export function volumeOf(userId: Snowflake): number {
  return prefs.volumes[userId] ?? 100;
}

/** A key code as people read it: `KeyV` → "V", `Backquote` → "`". */
export function keyLabel(code: string): string {
  if (code.startsWith('Key')) return code.slice(3);
  if (code.startsWith('Digit')) return code.slice(5);
  const named: Record<string, string> = { Backquote: '`', Space: 'Space', CapsLock: 'Caps Lock' };
  return named[code] ?? code;
}
