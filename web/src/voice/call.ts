// What the two halves of a voice call share: `controller.ts` (being in a room: joining, the media connection,
// rejoining) and `local.ts` (this user's own microphone, camera and screen, mute, deafen, push-to-talk).
// One mutable record, and the opcode 4 sender both use.

import type { Snowflake } from '../api/types';
import type { Gateway } from '../gateway/client';
import { isPrivate } from '../state/private';
import { state } from '../state/store';
import type { MediaLink } from './connection';

export const call = {
  gateway: null as Gateway | null,
  /** The media connection of the current call (embedded SFU or LiveKit), once VOICE_SERVER_UPDATE came. */
  connection: null as MediaLink | null,
  microphone: null as MediaStream | null,
  camera: null as MediaStream | null,
  screen: null as MediaStream | null,
  /** Bumped when a call starts or ends: an await that returns into another call drops what it got. */
  generation: 0,
};

/** The UI's view of the call (in the store). */
export const v = () => state.voice;

/** Sends opcode 4. Without an argument it sends the current room's flags, and nothing when not in a call (a
 *  late flag change must not send a leave that would take another tab's call away). A DM's call has no guild. */
export function sendState(channelId: Snowflake | null | undefined = undefined): boolean {
  if (!call.gateway || !state.guild) return false;
  if (channelId === undefined) {
    if (!v().channelId) return false;
    channelId = v().channelId;
  }
  return call.gateway.updateVoiceState({
    guild_id: isPrivate(channelId ?? v().channelId) ? null : state.guild.id,
    channel_id: channelId,
    self_mute: v().selfMute || v().selfDeaf,
    self_deaf: v().selfDeaf,
    self_video: v().camera,
    self_stream: v().screen,
  });
}

export function stopStream(stream: MediaStream | null): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}
