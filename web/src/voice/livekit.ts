// The LiveKit backend (`voice.backend = "livekit"`): VOICE_SERVER_UPDATE names the LiveKit server and carries an
// access token spot issued; livekit-client joins the room (named by the channel id, with the user id as the
// identity) and this adapter reports its tracks to the controller exactly as the embedded SFU's connection does.
// livekit-client is loaded only here, on first use, so the app's first load does not carry it.

import type { Room } from 'livekit-client';
import type { MediaEvents, MediaLink, Source } from './connection';

/** Our source names ↔ LiveKit's `Track.Source` values. */
const TO_LIVEKIT: Record<Source, string> = {
  microphone: 'microphone',
  camera: 'camera',
  screen: 'screen_share',
  screen_audio: 'screen_share_audio',
};

function fromLivekit(source: string): Source {
  const found = (Object.keys(TO_LIVEKIT) as Source[]).find((k) => TO_LIVEKIT[k] === source);
  return found ?? 'camera';
}

/** The sources the token lets us publish (`video.canPublishSources` in the JWT spot signed). */
function grantsOf(token: string): { audio: boolean; video: boolean } {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const claims = JSON.parse(atob(payload)) as { video?: { canPublish?: boolean; canPublishSources?: string[] } };
    const video = claims.video ?? {};
    const sources = video.canPublishSources ?? [];
    const can = (s: string) => !!video.canPublish && (sources.length === 0 || sources.includes(s));
    return { audio: can('microphone'), video: can('camera') };
  } catch {
    return { audio: false, video: false };
  }
}

export class LivekitLink implements MediaLink {
  private room: Room | null = null;
  private closed = false;
  private grants = { audio: false, video: false };
  private readonly tracks = new Map<Source, MediaStreamTrack>();

  constructor(
    private readonly endpoint: string,
    private readonly token: string,
    private microphone: MediaStreamTrack | null,
    private readonly events: MediaEvents,
  ) {
    void this.start();
  }

  private async start(): Promise<void> {
    try {
      const lk = await import('livekit-client');
      if (this.closed) return;
      // The tracks are the controller's (they outlive this room: a reconnect hands them to the next one), so
      // LiveKit must not stop them when it unpublishes or disconnects. Adaptive streaming stays off: it counts a
      // video as watched only through `track.attach()`, and the UI plays the raw MediaStreamTrack.
      const room = new lk.Room({ adaptiveStream: false, dynacast: true, stopLocalTrackOnUnpublish: false });
      this.room = room;
      room.on(lk.RoomEvent.TrackSubscribed, (track, publication, participant) => {
        this.events.track(
          {
            mid: publication.trackSid,
            user_id: participant.identity,
            kind: track.kind === lk.Track.Kind.Video ? 'video' : 'audio',
            source: fromLivekit(publication.source),
          },
          track.mediaStreamTrack,
        );
      });
      room.on(lk.RoomEvent.TrackUnsubscribed, (_track, publication) => this.events.ended([publication.trackSid]));
      room.on(lk.RoomEvent.Reconnecting, () => this.events.reconnecting?.());
      room.on(lk.RoomEvent.Reconnected, () => this.events.connected());
      room.on(lk.RoomEvent.Disconnected, (reason) => {
        if (this.closed) return;
        this.closed = true;
        if (reason === lk.DisconnectReason.PARTICIPANT_REMOVED) this.events.removed('disconnected');
        else if (reason === lk.DisconnectReason.DUPLICATE_IDENTITY) this.events.removed('replaced');
        else if (reason === lk.DisconnectReason.CLIENT_INITIATED) this.events.removed('left');
        else this.events.lost();
      });
      await room.connect(this.endpoint, this.token, { autoSubscribe: true });
      if (this.closed) return;
      this.grants = grantsOf(this.token);
      this.events.ready(this.grants);
      this.events.connected();
    } catch (error) {
      if (this.closed) return;
      this.closed = true;
      this.room?.disconnect(false).catch(() => undefined);
      this.events.refused('livekit', `Could not connect to the LiveKit server: ${(error as Error)?.message ?? error}`);
      return;
    }
    // Without SPEAK there is nothing to publish; a refused publish is not a lost connection.
    if (this.microphone && this.grants.audio) {
      await this.publish('microphone', this.microphone).catch((e) => console.error('LiveKit: microphone not published', e));
    }
  }

  private async publish(source: Source, track: MediaStreamTrack | null): Promise<void> {
    const room = this.room;
    if (!room) throw new Error('Voice is still connecting; try again in a moment.');
    const old = this.tracks.get(source);
    if (old) {
      await room.localParticipant.unpublishTrack(old, false);
      this.tracks.delete(source);
    }
    if (!track) return;
    await room.localParticipant.publishTrack(track, { source: TO_LIVEKIT[source] as never, simulcast: source === 'camera' });
    this.tracks.set(source, track);
  }

  setMicrophone(track: MediaStreamTrack | null): Promise<void> {
    this.microphone = track;
    return this.room && this.grants.audio ? this.publish('microphone', track) : Promise.resolve();
  }

  setSource(source: Exclude<Source, 'microphone'>, track: MediaStreamTrack | null): Promise<void> {
    return this.publish(source, track);
  }

  close(): void {
    this.closed = true;
    void this.room?.disconnect(false).catch(() => undefined);
    this.room = null;
  }
}
