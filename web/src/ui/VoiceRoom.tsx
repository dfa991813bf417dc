// A voice room in the main area: a tile per person (their camera, or their avatar with a speaking ring) and a
// tile per shared screen, in a grid or with one tile in the spotlight; a volume slider for each other person
// (on touch screens shown when the tile is tapped, never over the avatar otherwise); a join button when this
// tab is not in the room, and on phones the call bar once in it; the DJ's now-playing bar on top; the soundboard
// (in the header on wide screens, in the call bar on phones) and the sounds others play, for a moment. The tiles
// (`Stage`) are also the call view of a DM or group DM, above its messages (`DmCall.tsx`).

import { useEffect, useRef, useState } from 'preact/hooks';
import type { Snowflake, VoiceState } from '../api/types';
import { api } from '../api/rest';
import { attempt } from '../state/actions';
import { Perm, can, displayName, update, useStore, userById, type State } from '../state/store';
import { join } from '../voice/controller';
import { setVolume } from '../voice/local';
import { volumeOf } from '../voice/prefs';
import { Avatar } from './Avatar';
import { CallBar } from './CallBar';
import { Icon } from './Icon';
import { NowPlaying } from './NowPlaying';
import { PaneHeader } from './PaneHeader';
import { PHONE, TOUCH, matches, useMedia } from './media';
import { SoundboardButton } from './Soundboard';
import { StateIcons, occupants, stateLabel } from './VoicePanel';
import { VoiceEffects } from './VoiceEffects';

function Video({ stream, mirror = false, label }: { stream: MediaStream; mirror?: boolean; label: string }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (el && el.srcObject !== stream) {
      el.srcObject = stream;
      void el.play().catch(() => undefined);
    }
  }, [stream]);
  // Received audio plays through Web Audio (src/voice/audio.ts); the element only shows the picture.
  return <video ref={ref} class={mirror ? 'mirror' : ''} autoplay playsInline muted aria-label={label} />;
}

interface Tile {
  key: string;
  userId: Snowflake;
  vs: VoiceState;
  kind: 'person' | 'screen';
  stream: MediaStream | null;
  self: boolean;
}

function tilesOf(s: State, channelId: Snowflake): Tile[] {
  const tiles: Tile[] = [];
  const meId = s.me?.id;
  const inRoom = s.voice.channelId === channelId;
  for (const vs of occupants(s.voiceStates, channelId)) {
    const self = vs.user_id === meId && inRoom;
    const received = (source: 'camera' | 'screen') =>
      [...s.voice.video.values()].find((x) => x.userId === vs.user_id && x.source === source)?.stream ?? null;
    const camera = vs.self_video ? (self ? s.voice.localCamera : received('camera')) : null;
    tiles.push({ key: `p${vs.user_id}`, userId: vs.user_id, vs, kind: 'person', stream: camera, self });
    if (vs.self_stream) {
      const screen = self ? s.voice.localScreen : received('screen');
      tiles.push({ key: `s${vs.user_id}`, userId: vs.user_id, vs, kind: 'screen', stream: screen, self });
    }
  }
  return tiles;
}

/** Whether a tile has controls of its own (a volume slider, moderation): on a touch screen, the first tap shows
 *  them and the next one spotlights the tile. */
function hasControls(s: State, tile: Tile): boolean {
  if (tile.kind !== 'person' || tile.self) return false;
  return s.voice.channelId === tile.vs.channel_id || mayModerate(tile.vs);
}

/** Hides a tile's controls when a tap lands elsewhere. */
function useOutside(open: boolean, root: { current: HTMLElement | null }, close: () => void): void {
  useEffect(() => {
    if (!open) return undefined;
    const outside = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) close();
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [open]);
}

function TileView({ tile, big }: { tile: Tile; big: boolean }) {
  const s = useStore();
  const [controls, setControls] = useState(false);
  const root = useRef<HTMLElement>(null);
  useOutside(controls, root, () => setControls(false));
  const user = s.members.get(tile.userId)?.user ?? tile.vs.member?.user ?? userById(tile.userId);
  const name = displayName(tile.userId, user);
  const speaking = tile.kind === 'person' && s.voice.speaking.has(tile.userId);
  const label = tile.kind === 'screen' ? `${name}'s screen` : stateLabel(tile.vs, speaking);
  const classes = ['tile', tile.kind];
  if (speaking) classes.push('speaking');
  if (big) classes.push('big');
  if (tile.stream) classes.push('has-video');
  if (controls) classes.push('controls');
  return (
    <figure
      ref={root}
      class={classes.join(' ')}
      data-user={tile.userId}
      data-kind={tile.kind}
      data-speaking={speaking ? 'true' : 'false'}
      aria-label={label}
    >
      <button
        type="button"
        class="tile-focus"
        aria-label={big ? `Leave spotlight: ${label}` : `Spotlight ${label}`}
        aria-expanded={hasControls(s, tile) && matches(TOUCH) ? controls : undefined}
        onClick={() => {
          if (!controls && hasControls(s, tile) && matches(TOUCH)) {
            setControls(true);
            return;
          }
          setControls(false);
          update((st) => {
            const same = st.voice.layout === 'spotlight' && st.voice.spotlight === tile.key;
            st.voice.layout = same ? 'grid' : 'spotlight';
            st.voice.spotlight = same ? null : tile.key;
          });
        }}
      >
        {tile.stream ? (
          <Video stream={tile.stream} mirror={tile.self && tile.kind === 'person'} label={label} />
        ) : tile.kind === 'screen' ? (
          <span class="tile-placeholder">
            <Icon name="screen" size={40} />
          </span>
        ) : (
          user && <Avatar user={user} size={80} />
        )}
      </button>
      <figcaption>
        <span class="tile-name">{tile.kind === 'screen' ? `${name} · screen` : name}</span>
        {tile.kind === 'person' && <StateIcons vs={tile.vs} />}
      </figcaption>
      {tile.kind === 'person' && !tile.self && s.voice.channelId === tile.vs.channel_id && (
        <label class="tile-volume" title="Volume for you">
          <Icon name="speaker" size={14} />
          <input
            type="range"
            min={0}
            max={100}
            step={5}
            value={volumeOf(tile.userId)}
            aria-label={`Volume for ${name}`}
            onInput={(e) => setVolume(tile.userId, Number(e.currentTarget.value))}
          />
          <span class="tile-volume-value">{volumeOf(tile.userId)}%</span>
        </label>
      )}
      {tile.kind === 'person' && !tile.self && <Moderation vs={tile.vs} name={name} />}
    </figure>
  );
}

/** Server mute, deafen and disconnect for people with those rights (the server checks them again). Not in a
 *  DM's call: the space's moderation does not reach it. */
function mayModerate(vs: VoiceState): boolean {
  return !!vs.guild_id && (can(Perm.MuteMembers) || can(Perm.DeafenMembers) || can(Perm.MoveMembers));
}

function Moderation({ vs, name }: { vs: VoiceState; name: string }) {
  const s = useStore();
  const guild = s.guild?.id;
  if (!guild || !mayModerate(vs)) return null;
  const patch = (body: Record<string, unknown>) =>
    void attempt(() => api('PATCH', `/guilds/${guild}/members/${vs.user_id}`, body));
  return (
    <div class="tile-mod">
      {can(Perm.MuteMembers) && (
        <button type="button" class="secondary" aria-pressed={vs.mute} onClick={() => patch({ mute: !vs.mute })}>
          {vs.mute ? `Unmute ${name} for everyone` : `Mute ${name} for everyone`}
        </button>
      )}
      {can(Perm.DeafenMembers) && (
        <button type="button" class="secondary" aria-pressed={vs.deaf} onClick={() => patch({ deaf: !vs.deaf })}>
          {vs.deaf ? `Undeafen ${name}` : `Deafen ${name}`}
        </button>
      )}
      {can(Perm.MoveMembers) && (
        <button type="button" class="danger" onClick={() => patch({ channel_id: null })}>
          {`Disconnect ${name}`}
        </button>
      )}
    </div>
  );
}

/** The people in a room or call as tiles, in a grid or with one in the spotlight. */
export function Stage({ channelId }: { channelId: Snowflake }) {
  const s = useStore();
  const tiles = tilesOf(s, channelId);
  const layout = s.voice.layout;
  const focused =
    layout === 'spotlight'
      ? (tiles.find((t) => t.key === s.voice.spotlight) ??
        tiles.find((t) => t.kind === 'screen') ??
        tiles.find((t) => s.voice.speaking.has(t.userId)) ??
        tiles[0])
      : undefined;
  if (tiles.length === 0) return <p class="empty-chat muted">Nobody is here yet.</p>;
  return focused ? (
    <div class="stage spotlight-layout">
      <div class="spotlight-main">
        <TileView tile={focused} big />
      </div>
      <div class="spotlight-strip">
        {tiles
          .filter((t) => t !== focused)
          .map((t) => (
            <TileView key={t.key} tile={t} big={false} />
          ))}
      </div>
    </div>
  ) : (
    <div class={`stage grid-layout n${Math.min(tiles.length, 9)}`}>
      {tiles.map((t) => (
        <TileView key={t.key} tile={t} big={false} />
      ))}
    </div>
  );
}

/** Grid or spotlight, for the room view and a DM's call alike. */
export function LayoutButton() {
  const s = useStore();
  const layout = s.voice.layout;
  return (
    <button
      type="button"
      class="icon"
      aria-label={layout === 'grid' ? 'Spotlight view' : 'Grid view'}
      title={layout === 'grid' ? 'Spotlight view' : 'Grid view'}
      onClick={() =>
        update((st) => {
          st.voice.layout = st.voice.layout === 'grid' ? 'spotlight' : 'grid';
        })
      }
    >
      <Icon name={layout === 'grid' ? 'spotlight' : 'grid'} />
    </button>
  );
}

export function VoiceRoom({ channelId }: { channelId: Snowflake }) {
  const s = useStore();
  const channel = s.channels.get(channelId);
  const inRoom = s.voice.channelId === channelId;
  const phone = useMedia(PHONE);
  return (
    <main class="chat voice-room" aria-label={`Voice room ${channel?.name ?? ''}`}>
      <PaneHeader icon="speaker" name={channel?.name ?? ''}>
        {!phone && <SoundboardButton channelId={channelId} />}
        <LayoutButton />
      </PaneHeader>
      <NowPlaying channelId={channelId} />
      <VoiceEffects channelId={channelId} />
      <Stage channelId={channelId} />
      {!inRoom && (
        <div class="join-bar">
          <button type="button" class="button" onClick={() => void join(channelId)}>
            Join voice
          </button>
        </div>
      )}
      {inRoom && phone && <CallBar channelId={channelId} />}
    </main>
  );
}
