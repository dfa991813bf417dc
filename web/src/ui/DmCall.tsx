// The call of a DM or group DM, above its messages while the call runs: the people in it as the voice room's
// tiles, and a bar to join, or, once in, mute, deafen, camera, screen and hang up. The tiles come from the voice
// room (`VoiceRoom.tsx`), loaded on demand.

import type { Snowflake } from '../api/types';
import { joinCall } from '../state/dms';
import { useStore } from '../state/store';
import { leave } from '../voice/controller';
import { Icon } from './Icon';
import { lazy, onDemand } from './lazy';
import { CallControls, occupants } from './VoicePanel';

const Stage = lazy(onDemand, 'Stage');
const LayoutButton = lazy(onDemand, 'LayoutButton');

const STATUS = {
  idle: '',
  joining: 'Joining…',
  connecting: 'Connecting…',
  connected: 'In the call',
  reconnecting: 'Reconnecting…',
} as const;

export function DmCall({ channelId }: { channelId: Snowflake }) {
  const s = useStore();
  const inCall = s.voice.channelId === channelId;
  const people = occupants(s.voiceStates, channelId);
  if (!inCall && people.length === 0 && !s.calls.has(channelId)) return null;
  const ringing = s.calls.get(channelId)?.ringing.length ?? 0;
  return (
    <section class="dm-call" aria-label="Call">
      <Stage channelId={channelId} />
      <div class="dm-call-bar">
        <span class="dm-call-status" role="status" data-status={inCall ? s.voice.status : 'out'}>
          {inCall ? STATUS[s.voice.status] : `${people.length} in the call`}
          {ringing > 0 && <span class="muted"> · ringing {ringing}</span>}
        </span>
        {inCall ? (
          <>
            <CallControls />
            <LayoutButton />
            <button type="button" class="icon hangup" aria-label="Leave call" title="Leave call" onClick={leave}>
              <Icon name="hangup" />
            </button>
          </>
        ) : (
          <button type="button" class="join-call" onClick={() => joinCall(channelId)}>
            <Icon name="phone" size={16} /> Join call
          </button>
        )}
      </div>
    </section>
  );
}
