// The composer's microphone: held down, it records a voice message that is sent on release; a tap (shorter than
// 300 ms, or Enter/Space) starts a recording that stays on, with the recording bar's Cancel and Send. The
// release is followed on the window, so the press ends wherever the finger lifts.

import type { Snowflake } from '../api/types';
import { isPrivate } from '../state/private';
import { Perm, can } from '../state/store';
import { Icon } from './Icon';

/** Where a recording is: held, on after a tap, or told to end (sent, thrown away). */
export type VoiceMode = 'hold' | 'tap' | 'send' | 'cancel';

/** A press shorter than this is a tap. */
const TAP_MS = 300;

/** Whether this browser can record here and this user may send voice messages here (the server checks again). */
export function mayRecord(channelId: Snowflake): boolean {
  if (typeof MediaRecorder === 'undefined' || !navigator.mediaDevices?.getUserMedia) return false;
  return isPrivate(channelId) || can(Perm.SendVoiceMessages);
}

export function MicButton({ pressed, onPress, onRelease }: {
  pressed: boolean;
  onPress: () => void;
  onRelease: (mode: 'tap' | 'send' | 'cancel') => void;
}) {
  return (
    <button
      type="button"
      class={pressed ? 'icon mic recording' : 'icon mic'}
      aria-label="Record voice message"
      title="Record voice message: hold to talk, or tap"
      onPointerDown={(e) => {
        if (pressed || e.button !== 0) return;
        e.preventDefault();
        const start = Date.now();
        const end = (ev: PointerEvent) => {
          window.removeEventListener('pointerup', end);
          window.removeEventListener('pointercancel', end);
          onRelease(ev.type === 'pointercancel' ? 'cancel' : Date.now() - start < TAP_MS ? 'tap' : 'send');
        };
        window.addEventListener('pointerup', end);
        window.addEventListener('pointercancel', end);
        onPress();
      }}
      onClick={(e) => {
        // A keyboard's click (no pointer before it) starts a recording that stays on.
        if (e.detail === 0 && !pressed) {
          onPress();
          onRelease('tap');
        }
      }}
      onContextMenu={(e) => e.preventDefault()}
    >
      <Icon name="mic" size={22} />
    </button>
  );
}
