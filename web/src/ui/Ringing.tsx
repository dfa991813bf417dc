// Incoming calls: while someone rings this user in a DM or group (CALL_CREATE / CALL_UPDATE name them in
// `ringing`) and this tab is not in that call, a notice shows who calls, with Accept (join the call) and
// Decline (stop the ringing for this user), and the ring sounds. Both stop when the user is no longer rung.

import { useEffect } from 'preact/hooks';
import type { Call, User } from '../api/types';
import { callStarter } from '../state/dmEvents';
import { declineCall, joinCall } from '../state/dms';
import { conversationName, dmPartner, isGroup } from '../state/private';
import { displayName, state, useStore, userById } from '../state/store';
import { startRinging, stopRinging } from '../voice/ringtone';
import { Avatar } from './Avatar';
import { Icon } from './Icon';

/** Who calls: whoever started the call (its message's author), else someone in it, else the DM's other person. */
function caller(call: Call): User | undefined {
  const me = state.me?.id;
  const starter = callStarter(call);
  const inCall = (call.voice_states ?? []).find((vs) => vs.user_id !== me);
  const conversation = state.privateChannels.get(call.channel_id);
  return (
    (starter ? userById(starter) : undefined) ??
    (inCall && userById(inCall.user_id)) ??
    (conversation && dmPartner(conversation))
  );
}

export function Ringing() {
  const s = useStore();
  const me = s.me?.id;
  const ringing = [...s.calls.values()].filter(
    (c) => !!me && c.ringing.includes(me) && s.voice.channelId !== c.channel_id && s.privateChannels.has(c.channel_id),
  );
  const ring = ringing.length > 0;
  useEffect(() => {
    if (ring) startRinging();
    else stopRinging();
  }, [ring]);
  useEffect(() => stopRinging, []);
  if (!ring) return null;
  return (
    <div class="ringing-stack">
      {ringing.map((call) => {
        const conversation = s.privateChannels.get(call.channel_id)!;
        const who = caller(call);
        const name = who ? displayName(who.id, who) : conversationName(conversation);
        return (
          <section key={call.channel_id} class="ringing" role="alertdialog" aria-label={`Incoming call from ${name}`}>
            {who && <Avatar user={who} size={40} />}
            <div class="ringing-text">
              <strong>{name}</strong>
              <span class="muted">
                {isGroup(conversation) ? `is calling ${conversationName(conversation)}…` : 'is calling you…'}
              </span>
            </div>
            <button
              type="button"
              class="icon call-accept"
              aria-label="Accept call"
              title="Accept"
              onClick={() => joinCall(call.channel_id)}
            >
              <Icon name="phone" />
            </button>
            <button
              type="button"
              class="icon call-decline"
              aria-label="Decline call"
              title="Decline"
              onClick={() => void declineCall(call.channel_id)}
            >
              <Icon name="hangup" />
            </button>
          </section>
        );
      })}
    </div>
  );
}
