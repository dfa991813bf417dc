// One media connection to the embedded SFU: the `/voice` signaling WebSocket and its RTCPeerConnection, as
// docs/voice-signaling.md describes. This user's tracks go out on up to four `sendonly` transceivers
// (microphone, camera, screen, screen audio) that are created once and then only have their tracks swapped, so
// turning the camera off and on needs no renegotiation; everything received arrives on m-lines the server adds
// with its own offers, described by the `tracks` list that comes with each of them.
//
// It knows nothing of the UI or the gateway: it reports through `MediaEvents`, and the controller decides what
// a drop means (reconnect, or show why we are out).

import type { Snowflake } from '../api/types';

export type Source = 'microphone' | 'camera' | 'screen' | 'screen_audio';

export interface RemoteTrack {
  mid: string;
  user_id: Snowflake;
  kind: 'audio' | 'video';
  source: Source;
}

export interface MediaEvents {
  /** The token was accepted; `grants` says what the server forwards from us. */
  ready(grants: { audio: boolean; video: boolean }): void;
  /** Media flows (ICE and DTLS are up), or flows again after `reconnecting`. */
  connected(): void;
  /** The backend is getting the media back by itself (LiveKit); `connected` or `lost` follows. */
  reconnecting?(): void;
  /** A received track started (or was replaced) on transceiver `mid`. */
  track(info: RemoteTrack, track: MediaStreamTrack): void;
  /** These mids no longer carry anything. */
  ended(mids: string[]): void;
  /** The server took us out (`left`, `moved`, `disconnected`, `replaced`, `timed_out`, `too_slow`, `shutdown`). */
  removed(reason: string): void;
  /** The server refused something (`invalid_token`, `bad_sdp`, …); the socket closes next. */
  refused(code: string, message: string): void;
  /** The connection died without the server saying why (network loss, server gone). */
  lost(): void;
}

/** What the controller needs from a media backend: the embedded SFU's connection or a LiveKit room. */
export interface MediaLink {
  setMicrophone(track: MediaStreamTrack | null): Promise<void>;
  setSource(source: Exclude<Source, 'microphone'>, track: MediaStreamTrack | null): Promise<void>;
  close(): void;
}

interface ServerMessage {
  type: string;
  sdp?: string;
  tracks?: RemoteTrack[];
  ice_servers?: RTCIceServer[];
  grants?: { audio: boolean; video: boolean };
  code?: string;
  message?: string;
  reason?: string;
}

/** How long ICE may stay `disconnected` before the connection counts as lost. */
const DISCONNECTED_GRACE_MS = 4000;

export class MediaConnection implements MediaLink {
  private readonly ws: WebSocket;
  private pc: RTCPeerConnection | null = null;
  private readonly senders = new Map<Source, RTCRtpTransceiver>();
  private tracks = new Map<string, RemoteTrack>();
  private offering = false;
  private renegotiate = false;
  private closed = false;
  private told = false;
  private graceTimer: number | undefined;
  private inbox: Promise<void> = Promise.resolve();

  constructor(
    endpoint: string,
    token: string,
    private microphone: MediaStreamTrack | null,
    private readonly events: MediaEvents,
  ) {
    this.ws = new WebSocket(endpoint);
    this.ws.onopen = () => this.send({ type: 'identify', token });
    // One thing at a time: an offer must not be looked at while the previous answer is still being applied,
    // our own offers wait their turn too, and the close waits behind a `removed` that came before it.
    this.ws.onmessage = (e) => void this.enqueue(() => this.receive(String(e.data)));
    this.ws.onclose = () => void this.enqueue(async () => this.fail());
  }

  /** Runs `task` after everything queued before it; the queue survives a task that fails. */
  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.inbox.then(task);
    this.inbox = run.catch(() => undefined);
    return run;
  }

  /** Replaces the microphone (a new device, or null to send nothing). */
  async setMicrophone(track: MediaStreamTrack | null): Promise<void> {
    this.microphone = track;
    await this.senders.get('microphone')?.sender.replaceTrack(track);
  }

  /** Starts, swaps or (with null) stops sending a video or screen-audio source. */
  async setSource(source: Exclude<Source, 'microphone'>, track: MediaStreamTrack | null): Promise<void> {
    const pc = this.pc;
    if (!pc) throw new Error('Voice is still connecting; try again in a moment.');
    const existing = this.senders.get(source);
    if (existing) {
      await existing.sender.replaceTrack(track);
      return;
    }
    if (!track) return;
    this.senders.set(source, pc.addTransceiver(track, { direction: 'sendonly' }));
    await this.enqueue(() => this.offer());
  }

  /** Leaves: closes the socket (the server takes us out of the room) and the peer connection. */
  close(): void {
    this.closed = true;
    window.clearTimeout(this.graceTimer);
    this.ws.onclose = null;
    this.ws.onmessage = null;
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(1000);
    this.pc?.close();
    this.pc = null;
  }

  private send(message: Record<string, unknown>): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  private fail(): void {
    if (this.closed) return;
    this.closed = true;
    this.pc?.close();
    this.pc = null;
    if (!this.told) {
      this.told = true;
      this.events.lost();
    }
  }

  private async receive(text: string): Promise<void> {
    let m: ServerMessage;
    try {
      m = JSON.parse(text) as ServerMessage;
    } catch {
      return;
    }
    try {
      switch (m.type) {
        case 'ready':
          await this.start(m.ice_servers ?? [], m.grants ?? { audio: false, video: false });
          break;
        case 'answer':
          if (this.pc?.signalingState !== 'have-local-offer') break;
          this.setTracks(m.tracks ?? []);
          await this.pc.setRemoteDescription({ type: 'answer', sdp: m.sdp ?? '' });
          this.reportTracks();
          if (this.renegotiate) {
            this.renegotiate = false;
            await this.offer();
          }
          break;
        case 'offer':
          await this.answer(m);
          break;
        case 'removed':
          this.told = true;
          this.events.removed(m.reason ?? 'left');
          break;
        case 'error':
          this.told = true;
          this.events.refused(m.code ?? 'error', m.message ?? 'The voice server refused the connection.');
          break;
      }
    } catch (error) {
      // A description the browser cannot apply: start over rather than sit in a half-negotiated call.
      console.error('voice negotiation failed', error);
      this.ws.close(4002);
      this.fail();
    }
  }

  private start(iceServers: RTCIceServer[], grants: { audio: boolean; video: boolean }): Promise<void> {
    const pc = new RTCPeerConnection({ iceServers, bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
    this.pc = pc;
    pc.onicecandidate = (e) => this.send({ type: 'candidate', candidate: e.candidate?.candidate ?? '' });
    pc.ontrack = (e) => {
      const mid = e.transceiver.mid;
      const info = mid ? this.tracks.get(mid) : undefined;
      if (info) this.events.track(info, e.track);
    };
    pc.onconnectionstatechange = () => {
      window.clearTimeout(this.graceTimer);
      if (pc !== this.pc) return;
      if (pc.connectionState === 'connected') this.events.connected();
      else if (pc.connectionState === 'failed') this.fail();
      else if (pc.connectionState === 'disconnected') {
        this.graceTimer = window.setTimeout(() => {
          if (pc === this.pc && pc.connectionState !== 'connected') this.fail();
        }, DISCONNECTED_GRACE_MS);
      }
    };
    // Always one audio m-line, even with no microphone: the server needs an m-line to answer.
    this.senders.set(
      'microphone',
      this.microphone
        ? pc.addTransceiver(this.microphone, { direction: 'sendonly' })
        : pc.addTransceiver('audio', { direction: 'sendonly' }),
    );
    this.events.ready(grants);
    return this.offer();
  }

  private async offer(): Promise<void> {
    const pc = this.pc;
    if (!pc) return;
    if (this.offering || pc.signalingState !== 'stable') {
      this.renegotiate = true;
      return;
    }
    this.offering = true;
    try {
      await pc.setLocalDescription();
      const sources: Record<string, Source> = {};
      for (const [source, transceiver] of this.senders) if (transceiver.mid) sources[transceiver.mid] = source;
      this.send({ type: 'offer', sdp: pc.localDescription?.sdp ?? '', sources });
    } finally {
      this.offering = false;
    }
  }

  private async answer(m: ServerMessage): Promise<void> {
    const pc = this.pc;
    if (!pc) return;
    // Glare: our offer is out; the server rolls its own back and offers again after answering ours.
    if (pc.signalingState === 'have-local-offer' || this.offering) return;
    this.setTracks(m.tracks ?? []);
    await pc.setRemoteDescription({ type: 'offer', sdp: m.sdp ?? '' });
    await pc.setLocalDescription();
    this.send({ type: 'answer', sdp: pc.localDescription?.sdp ?? '' });
    this.reportTracks();
    if (this.renegotiate) {
      this.renegotiate = false;
      await this.offer();
    }
  }

  /** Reports every receiving track (reused m-lines fire no new `track` event); the listener skips repeats. */
  private reportTracks(): void {
    for (const t of this.pc?.getTransceivers() ?? []) {
      const info = t.mid ? this.tracks.get(t.mid) : undefined;
      if (info && t.receiver.track && t.currentDirection !== 'inactive' && t.currentDirection !== 'sendonly') {
        this.events.track(info, t.receiver.track);
      }
    }
  }

  private setTracks(list: RemoteTrack[]): void {
    const next = new Map(list.map((t) => [t.mid, t]));
    const ended = [...this.tracks.keys()].filter((mid) => {
      const now = next.get(mid);
      const before = this.tracks.get(mid);
      return !now || now.user_id !== before?.user_id || now.source !== before?.source;
    });
    this.tracks = next;
    if (ended.length) this.events.ended(ended);
  }
}
