// What floats over a voice room for a moment when someone plays a sound there: "🎺 alice played airhorn"
// (VOICE_CHANNEL_EFFECT_SEND, kept in the store for 2.5 s by `state/expressions.ts`).

import type { Snowflake } from '../api/types';
import { useStore } from '../state/store';
import { Emoji } from './Emoji';

export function VoiceEffects({ channelId }: { channelId: Snowflake }) {
  const s = useStore();
  const shown = s.effects.filter((e) => e.channelId === channelId);
  return (
    <div class="voice-effects" aria-live="polite">
      {shown.map((effect) => (
        <p key={effect.id} class="voice-effect">
          {effect.emoji && <Emoji emoji={effect.emoji} />} {effect.text}
        </p>
      ))}
    </div>
  );
}
