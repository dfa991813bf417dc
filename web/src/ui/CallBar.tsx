// The call bar at the bottom of a voice room on a phone, where the sidebar's call panel is out of sight in the
// channel drawer: this user's avatar with the speaking ring and the call's status, mute, deafen, camera, screen
// share (the same `CallControls` as the panel and a DM's call), the soundboard and hang up, with any voice
// problem above it.
// The DJ's controls are the room's now-playing bar at the top of the same view.

import type { Snowflake } from '../api/types';
import { useStore } from '../state/store';
import { leave } from '../voice/controller';
import { Avatar } from './Avatar';
import { Icon } from './Icon';
import { SoundboardButton } from './Soundboard';
import { CallControls, STATUS_TEXT, VoiceProblem } from './VoicePanel';

export function CallBar({ channelId }: { channelId: Snowflake }) {
  const s = useStore();
  const me = s.me;
  if (s.voice.channelId !== channelId || !me) return null;
  const speaking = s.voice.speaking.has(me.id);
  return (
    <section class="call-bar" aria-label="Call controls">
      <VoiceProblem />
      <div class="call-bar-row">
        <span
          class={speaking ? 'call-self speaking' : 'call-self'}
          data-speaking={speaking ? 'true' : 'false'}
          title={speaking ? 'You are speaking' : undefined}
        >
          <Avatar user={me} size={32} />
        </span>
        <strong class={`call-status voice-state ${s.voice.status}`} role="status" data-status={s.voice.status}>
          {STATUS_TEXT[s.voice.status]}
        </strong>
        <CallControls />
        <SoundboardButton channelId={channelId} />
        <button type="button" class="icon hangup" aria-label="Disconnect" title="Disconnect" onClick={leave}>
          <Icon name="hangup" />
        </button>
      </div>
    </section>
  );
}
