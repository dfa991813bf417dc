// The gateway client: the same WebSocket protocol bots speak (Gateway v10). HELLO → IDENTIFY (an empty token: the
// server authenticates the browser by its session cookie) → READY, then dispatches. Heartbeats on the server's
// interval; a missed ack or a dropped socket reconnects with backoff and RESUMEs, falling back to a fresh IDENTIFY
// when the server says the session is gone (as after a restart). It knows nothing of the UI: it reports its
// status and hands each dispatch to `onDispatch`.

const Op = {
  Dispatch: 0,
  Heartbeat: 1,
  Identify: 2,
  PresenceUpdate: 3,
  VoiceStateUpdate: 4,
  Resume: 6,
  Reconnect: 7,
  InvalidSession: 9,
  Hello: 10,
  HeartbeatAck: 11,
} as const;

/** Close codes after which reconnecting cannot help. */
const FATAL_CLOSES = new Set([4004, 4010, 4011, 4012, 4013, 4014]);

export type GatewayStatus = 'connecting' | 'ready' | 'reconnecting' | 'failed';

interface Frame {
  op: number;
  d: unknown;
  s?: number | null;
  t?: string | null;
}

export interface GatewayHandlers {
  onDispatch(type: string, data: unknown): void;
  onStatus(status: GatewayStatus, detail?: string): void;
  /** The presence IDENTIFY carries (the chosen status; `afk` while the tab is in the background). */
  presence?(): { status: string; afk: boolean };
}

export class Gateway {
  private socket: WebSocket | null = null;
  private sessionId: string | null = null;
  private seq: number | null = null;
  private heartbeat: number | undefined;
  private acked = true;
  private attempts = 0;
  /** A 4004 was answered by identifying afresh once: the cookie may have been replaced (a password change). */
  private reauthenticating = false;
  private retryTimer: number | undefined;
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly handlers: GatewayHandlers,
  ) {}

  start(): void {
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    this.cleanup();
    this.socket?.close(1000);
  }

  /** Sets this user's status (online, idle, dnd, invisible) and whether this client is in the background
   *  (`afk`: the server pushes notifications to the user's devices only then). False when not connected. */
  setPresence(status: string, afk = false): boolean {
    if (!this.sessionId || this.socket?.readyState !== WebSocket.OPEN) return false;
    this.send({ op: Op.PresenceUpdate, d: { since: afk ? Date.now() : null, activities: [], status, afk } });
    return true;
  }

  /** Joins, moves between or (with `channel_id: null`) leaves voice rooms and DM calls (`guild_id: null`), and
   *  sets the self flags (opcode 4). */
  updateVoiceState(d: {
    guild_id: string | null;
    channel_id: string | null;
    self_mute: boolean;
    self_deaf: boolean;
    self_video: boolean;
    self_stream: boolean;
  }): boolean {
    if (this.socket?.readyState !== WebSocket.OPEN || !this.sessionId) return false;
    this.send({ op: Op.VoiceStateUpdate, d });
    return true;
  }

  /** This connection's session id (voice states name the session that joined). */
  session(): string | null {
    return this.sessionId;
  }

  private open(): void {
    this.handlers.onStatus(this.attempts === 0 && !this.sessionId ? 'connecting' : 'reconnecting');
    const socket = new WebSocket(`${this.url}?v=10&encoding=json`);
    this.socket = socket;
    socket.onmessage = (event) => this.receive(event.data as string);
    socket.onclose = (event) => {
      if (socket !== this.socket) return;
      this.cleanup();
      if (this.stopped) return;
      if (event.code === 4004 && !this.reauthenticating) {
        // The session's credential ended. If this browser still has a valid cookie (it changed its own
        // password), a new session starts; if not, the next 4004 sends it to the login page.
        this.reauthenticating = true;
        this.sessionId = null;
        this.retry();
        return;
      }
      if (FATAL_CLOSES.has(event.code)) {
        this.handlers.onStatus('failed', event.reason || `closed with ${event.code}`);
        if (event.code === 4004) window.location.assign('/login');
        return;
      }
      this.retry();
    };
  }

  private retry(): void {
    this.handlers.onStatus('reconnecting');
    const base = Math.min(10_000, 500 * 2 ** this.attempts);
    this.attempts += 1;
    window.clearTimeout(this.retryTimer);
    this.retryTimer = window.setTimeout(() => this.open(), base / 2 + Math.random() * (base / 2));
  }

  private cleanup(): void {
    window.clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    if (this.socket) this.socket.onmessage = null;
  }

  private send(frame: Frame): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(frame));
  }

  private receive(text: string): void {
    let frame: Frame;
    try {
      frame = JSON.parse(text) as Frame;
    } catch {
      return;
    }
    switch (frame.op) {
      case Op.Hello:
        this.startHeartbeat((frame.d as { heartbeat_interval: number }).heartbeat_interval);
        this.authenticate();
        break;
      case Op.HeartbeatAck:
        this.acked = true;
        break;
      case Op.Heartbeat:
        this.send({ op: Op.Heartbeat, d: this.seq });
        break;
      case Op.Reconnect:
        this.socket?.close(4000);
        break;
      case Op.InvalidSession:
        this.sessionId = null;
        this.seq = null;
        // Discord asks for a short random wait before identifying again.
        window.setTimeout(() => this.authenticate(), 200 + Math.random() * 800);
        break;
      case Op.Dispatch:
        if (typeof frame.s === 'number') this.seq = frame.s;
        this.dispatch(frame.t ?? '', frame.d);
        break;
    }
  }

  private dispatch(type: string, data: unknown): void {
    if (type === 'READY') {
      this.sessionId = (data as { session_id: string }).session_id;
      this.attempts = 0;
      this.reauthenticating = false;
      this.handlers.onStatus('ready');
    } else if (type === 'RESUMED') {
      this.attempts = 0;
      this.handlers.onStatus('ready');
    }
    this.handlers.onDispatch(type, data);
  }

  private authenticate(): void {
    if (this.sessionId && this.seq !== null) {
      this.send({ op: Op.Resume, d: { token: '', session_id: this.sessionId, seq: this.seq } });
    } else {
      this.send({
        op: Op.Identify,
        d: {
          token: '',
          // DEDUPE_USER_OBJECTS: READY names DM recipients by id; the members come with GUILD_CREATE.
          capabilities: 1 << 4,
          properties: { os: navigator.platform || 'web', browser: 'spot web', device: 'spot web' },
          presence: { ...(this.handlers.presence?.() ?? { status: 'online', afk: false }), since: null, activities: [] },
        },
      });
    }
  }

  private startHeartbeat(interval: number): void {
    window.clearInterval(this.heartbeat);
    this.acked = true;
    this.heartbeat = window.setInterval(() => {
      if (!this.acked) {
        // A zombie connection: drop it and resume on a new one.
        this.socket?.close(4000);
        return;
      }
      this.acked = false;
      this.send({ op: Op.Heartbeat, d: this.seq });
    }, interval);
  }
}
