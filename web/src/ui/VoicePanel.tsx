// Voice in the sidebar: who is in each voice room (under the room's name, with speaking, mute, deafen, camera
// and live indicators), and the call panel above the user panel — status, the room, mute, deafen, camera,
// screen share and disconnect, and any problem (a blocked microphone, a refused join). A DM's call shows here
// too, named after the conversation; its controls are also in the call view above the DM (`DmCall.tsx`).

import type { Snowflake, VoiceState } from '../api/types';
import { openChannel } from '../state/actions';
import { conversationName } from '../state/private';
import { displayName, update, useStore, userById } from '../state/store';
import { join, leave } from '../voice/controller';
import { toggleCamera, toggleDeafen, toggleMute, toggleScreen } from '../voice/local';
import { keyLabel, prefs } from '../voice/prefs';
import { Avatar } from './Avatar';
import { Icon, type IconName } from './Icon';

/** The people in a room, in join order as the server listed them. */
export function occupants(voiceStates: Map<Snowflake, VoiceState>, channelId: Snowflake): VoiceState[] {
  return [...voiceStates.values()].filter((vs) => vs.channel_id === channelId);
}

export function StateIcons({ vs }: { vs: VoiceState }) {
  return (
    <span class="voice-flags">
      {vs.deaf || vs.self_deaf ? (
        <span title={vs.deaf ? 'Deafened by a moderator' : 'Deafened'} class={vs.deaf ? 'server' : ''}>
          <Icon name="headphonesOff" size={14} />
        </span>
      ) : vs.mute || vs.self_mute ? (
        <span title={vs.mute ? 'Muted by a moderator' : 'Muted'} class={vs.mute ? 'server' : ''}>
          <Icon name="micOff" size={14} />
        </span>
      ) : null}
      {vs.self_video && (
        <span title="Camera on">
          <Icon name="video" size={14} />
        </span>
      )}
      {vs.self_stream && <span class="live">LIVE</span>}
    </span>
  );
}

/** Describes a voice state for screen readers: "alice, speaking, muted". */
export function stateLabel(vs: VoiceState, speaking: boolean): string {
  const parts = [displayName(vs.user_id, vs.member?.user)];
  if (speaking) parts.push('speaking');
  if (vs.mute) parts.push('server muted');
  else if (vs.self_mute) parts.push('muted');
  if (vs.deaf) parts.push('server deafened');
  else if (vs.self_deaf) parts.push('deafened');
  if (vs.self_video) parts.push('camera on');
  if (vs.self_stream) parts.push('sharing screen');
  return parts.join(', ');
}

export function VoiceMembers({ channelId }: { channelId: Snowflake }) {
  const s = useStore();
  const people = occupants(s.voiceStates, channelId);
  if (people.length === 0) return null;
  return (
    <ul class="voice-members">
      {people.map((vs) => {
        const user = s.members.get(vs.user_id)?.user ?? vs.member?.user ?? userById(vs.user_id);
        const speaking = s.voice.speaking.has(vs.user_id);
        return (
          <li
            key={vs.user_id}
            class={speaking ? 'voice-member speaking' : 'voice-member'}
            data-user={vs.user_id}
            data-speaking={speaking ? 'true' : 'false'}
            aria-label={stateLabel(vs, speaking)}
          >
            {user && <Avatar user={user} size={24} />}
            <span class="voice-member-name">{displayName(vs.user_id, user)}</span>
            <StateIcons vs={vs} />
          </li>
        );
      })}
    </ul>
  );
}

/** A call control: its label names what pressing it does (so no `aria-pressed` on top). */
function CallButton({ label, icon, state, title, disabled, onClick }: {
  label: string;
  icon: IconName;
  state: '' | 'active' | 'active-off';
  title?: string;
  disabled?: boolean;
  onClick: () => void;
}) {
  return (
    <button
      type="button"
      class={state ? `icon ${state}` : 'icon'}
      aria-label={label}
      title={title ?? label}
      disabled={disabled}
      onClick={onClick}
    >
      <Icon name={icon} />
    </button>
  );
}

export const STATUS_TEXT = {
  idle: '',
  joining: 'Joining…',
  connecting: 'Connecting…',
  connected: 'Voice connected',
  reconnecting: 'Reconnecting…',
} as const;

/** Mute, deafen, camera and screen share for the call this tab is in. */
export function CallControls() {
  const s = useStore();
  const vc = s.voice;
  const ready = vc.status === 'connected';
  const videoRefused = vc.grants.video ? null : 'You may not share video in this room';
  return (
    <div class="voice-buttons">
      <CallButton
        label={vc.selfMute ? 'Unmute' : 'Mute'}
        icon={vc.selfMute ? 'micOff' : 'mic'}
        state={vc.selfMute ? 'active-off' : ''}
        onClick={toggleMute}
      />
      <CallButton
        label={vc.selfDeaf ? 'Undeafen' : 'Deafen'}
        icon={vc.selfDeaf ? 'headphonesOff' : 'headphones'}
        state={vc.selfDeaf ? 'active-off' : ''}
        onClick={toggleDeafen}
      />
      <CallButton
        label={vc.camera ? 'Turn camera off' : 'Turn camera on'}
        icon={vc.camera ? 'video' : 'videoOff'}
        state={vc.camera ? 'active' : ''}
        title={videoRefused ?? 'Camera'}
        disabled={!ready || !!videoRefused}
        onClick={() => void toggleCamera()}
      />
      <CallButton
        label={vc.screen ? 'Stop sharing your screen' : 'Share your screen'}
        icon="screen"
        state={vc.screen ? 'active' : ''}
        title={videoRefused ?? 'Screen share'}
        disabled={!ready || !!videoRefused || !navigator.mediaDevices?.getDisplayMedia}
        onClick={() => void toggleScreen()}
      />
    </div>
  );
}

/** What went wrong with the call (a blocked microphone, a refused join), with a button to dismiss it. */
export function VoiceProblem() {
  const s = useStore();
  if (!s.voice.problem) return null;
  return (
    <p class="voice-problem" role="alert">
      <span>{s.voice.problem}</span>
      <button
        type="button"
        class="icon"
        aria-label="Dismiss voice message"
        onClick={() =>
          update((st) => {
            st.voice.problem = null;
          })
        }
      >
        <Icon name="close" size={16} />
      </button>
    </p>
  );
}

export function VoicePanel() {
  const s = useStore();
  const vc = s.voice;
  if (!vc.channelId && !vc.problem) return null;
  const conversation = vc.channelId ? s.privateChannels.get(vc.channelId) : undefined;
  const channel = vc.channelId ? s.channels.get(vc.channelId) : undefined;
  const me = s.me ? s.voiceStates.get(s.me.id) : undefined;
  return (
    <section class="voice-panel" aria-label="Voice call">
      {vc.channelId && (
        <div class="voice-status">
          <div class="voice-status-text">
            <strong class={`voice-state ${vc.status}`} role="status" data-status={vc.status}>
              {STATUS_TEXT[vc.status]}
            </strong>
            <button
              type="button"
              class="link"
              onClick={() => (conversation ? openChannel(conversation.id) : void join(vc.channelId!))}
            >
              {conversation ? `Call: ${conversationName(conversation)}` : (channel?.name ?? 'Voice room')}
            </button>
          </div>
          <button type="button" class="icon danger" aria-label="Disconnect" title="Disconnect" onClick={leave}>
            <Icon name="hangup" />
          </button>
        </div>
      )}
      <VoiceProblem />
      {me?.mute && <p class="voice-note">A moderator muted you.</p>}
      {me?.deaf && <p class="voice-note">A moderator deafened you.</p>}
      {vc.channelId && prefs.mode === 'ptt' && !vc.selfMute && (
        <p class={vc.talking ? 'voice-note talking' : 'voice-note'}>
          {vc.talking ? 'Talking…' : `Push to talk: hold ${keyLabel(prefs.pttKey)}`}
        </p>
      )}
      {vc.channelId && <CallControls />}
    </section>
  );
}
